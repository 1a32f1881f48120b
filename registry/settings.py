"""Settings declared as data, loaded from ``EVENT_REGISTRY_*`` variables by a pure function."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import msgspec

from registry.core.audit import parse_proxies
from registry.core.errors import InvalidSettings
from registry.core.inspection import DEFAULT_MASK_FIELDS, DEFAULT_MASK_PATTERNS
from registry.envvars import env_name


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    """Runtime configuration. Every field maps to ``EVENT_REGISTRY_<FIELD>`` (upper case)."""

    host: str = "127.0.0.1"
    port: int = 8080
    db: str = "event-registry.db"
    """A SQLite file, or a ``postgresql://`` URL (the ``postgres`` extra) for replicas."""
    db_timeout: float = 5.0
    """PostgreSQL: longest wait for a pooled connection, a connect or a query; then 503."""
    db_pool_size: int = 10
    """PostgreSQL: most connections one worker process keeps open (per store)."""
    workers: int = 1
    max_body_bytes: int = 1_048_576
    """Largest request body accepted by ordinary endpoints (413 above it)."""
    batch_max_bytes: int = 67_108_864
    """Largest body of POST /validate/batch (streamed, never buffered whole)."""
    batch_max_events: int = 100_000
    max_schema_depth: int = 32
    max_schema_bytes: int = 262_144
    max_schema_cost: int = 1000
    """Subschema evaluations one value may trigger (in-place allOf/anyOf/oneOf/$ref fan-out)."""
    max_reference_depth: int = 8
    """How deep declared schema references may nest (a reference of a reference is depth 2)."""
    log_level: str = "info"
    log_format: str = "text"
    """``text`` or ``json`` (one object per line): request lines and every other log line."""
    seed_catalog: bool = True
    """Load the built-in catalog (schemas/) when ``serve`` starts."""
    catalog_dir: str = ""
    """A catalog folder to seed instead of the built-in one."""
    retention_days: int = 730
    retention_max_events: int = 1_000_000
    purge_interval_minutes: int = 60
    """How often the server purges the inspection log; 0 turns the background purge off."""
    mask_fields: str = ",".join(DEFAULT_MASK_FIELDS)
    """Comma-separated field/param names whose values are stored as ``***``."""
    mask_patterns: str = ",".join(DEFAULT_MASK_PATTERNS)
    """Comma-separated glob patterns (``*secret*``) of names whose values are stored as ``***``."""
    trusted_proxies: str = ""
    """Comma-separated addresses/networks whose ``X-Forwarded-For`` the audit trail believes."""
    changes_poll_seconds: float = 1.0
    """How often an open change stream (and the webhook sender) looks for new changes."""
    changes_stream_seconds: float = 300.0
    """How long one ``GET /changes/stream`` stays open (EventSource reconnects)."""
    webhook_urls: str = ""
    """Comma-separated URLs that receive each change-feed event as a signed POST."""
    webhook_secret: str = ""
    """HMAC-SHA256 key of the ``X-Event-Registry-Signature`` header (required with URLs)."""
    webhook_max_attempts: int = 5
    webhook_backoff_seconds: float = 1.0
    """First retry delay; doubled per attempt, at most 60 s."""
    webhook_timeout_seconds: float = 5.0
    header_timeout_seconds: float = 10.0
    """A connection must complete each request's headers within this (slowloris guard)."""
    body_timeout_seconds: float = 30.0
    """Longest wait for the next piece of a request body."""
    max_connections: int = 1000
    """Open connections per worker; one more gets 503 and is closed."""
    auth: str = "auto"
    """``on``, ``off`` or ``auto`` (off on a loopback bind, on anywhere else)."""
    insecure_no_auth: bool = False
    """Allow auth off on a non-loopback bind (``/health`` then says ``insecure``)."""
    admin_token: str = ""
    """An admin token for containers; never printed, never handed to workers in plain text."""
    admin_token_sha256: str = ""
    """The SHA-256 (hex) of an admin token: what ``serve`` hands its workers instead."""
    allowed_hosts: str = ""
    """Host header names the served app accepts besides loopback names; ``*`` for any."""
    cors_origins: str = ""
    """Comma-separated origins allowed cross-origin requests (empty: CORS off)."""


SETTINGS_DOCS: dict[str, str] = {
    "host": "Interface to bind.",
    "port": "TCP port.",
    "db": "SQLite database file (created with its tables on first start), or a "
    "postgresql://user:password@host:5432/name URL: several replicas share that database "
    "(install event-registry[postgres]; tables are created and migrated on first start).",
    "db_timeout": "PostgreSQL only: seconds a request waits for a pooled connection, a connect "
    "or a statement before it fails fast with 503 store_unavailable; lock waits of concurrent "
    "writes get 30 s more.",
    "db_pool_size": "PostgreSQL only: most connections each worker process opens per store "
    "(the schema store and the inspection log each have a pool).",
    "workers": "Server worker processes.",
    "max_body_bytes": "Largest request body for ordinary endpoints; larger gets 413.",
    "batch_max_bytes": "Largest body of POST /validate/batch (streamed).",
    "batch_max_events": "Most events in one POST /validate/batch.",
    "max_schema_depth": "Deepest nesting accepted in a registered schema.",
    "max_schema_bytes": "Largest registered schema document, in bytes.",
    "max_schema_cost": "Most subschema evaluations one value may trigger in a registered schema "
    "(in-place allOf/anyOf/oneOf/not/if and $ref fan-out); more is schema_too_complex.",
    "max_reference_depth": "Deepest chain of declared schema references (references of "
    "references); deeper is reference_too_deep.",
    "log_level": "critical, error, warning, info, debug or trace.",
    "log_format": "text or json: one log line per request (request id, method, route, status, "
    "duration, actor), as text or one JSON object per line.",
    "seed_catalog": "Load the built-in event catalog (schemas/) when `serve` starts.",
    "catalog_dir": "Seed this catalog folder instead of the built-in one (empty: built-in).",
    "retention_days": "Recorded (inspected) events older than this many days are purged.",
    "retention_max_events": "At most this many recorded events are kept (oldest purged first).",
    "purge_interval_minutes": "Minutes between background purges of the inspection log; 0: off.",
    "mask_fields": "Comma-separated names whose values are stored as *** (case-insensitive).",
    "mask_patterns": "Comma-separated glob patterns of names also stored as *** (e.g. *secret*).",
    "trusted_proxies": "Addresses/CIDRs whose X-Forwarded-For the audit trail trusts.",
    "changes_poll_seconds": "Seconds between checks for new changes (SSE streams, webhooks).",
    "changes_stream_seconds": "Seconds one GET /changes/stream stays open before reconnecting.",
    "webhook_urls": "Comma-separated URLs receiving signed change-feed POSTs (empty: none).",
    "webhook_secret": "HMAC-SHA256 key signing webhook deliveries (required with webhook_urls).",
    "webhook_max_attempts": "Delivery attempts per webhook event before it is given up.",
    "webhook_backoff_seconds": "First webhook retry delay; doubles per attempt, at most 60 s.",
    "webhook_timeout_seconds": "Timeout of one webhook delivery attempt.",
    "header_timeout_seconds": "Seconds a client has to send a request's headers; then 408, closed.",
    "body_timeout_seconds": "Seconds a request body may stall between two reads; then closed.",
    "max_connections": "Open connections per worker; beyond it a connection gets 503, closed.",
    "auth": "on, off or auto (off on a loopback bind, on on any other address).",
    "insecure_no_auth": "Allow auth off on a non-loopback bind (/health reports it).",
    "admin_token": "An admin API token (for containers); redacted everywhere it is shown.",
    "admin_token_sha256": "SHA-256 (hex) of an admin token; what serve hands its workers.",
    "allowed_hosts": "Host names accepted besides loopback names (served app); * for any.",
    "cors_origins": "Origins allowed cross-origin requests, comma-separated; empty: CORS off.",
}

SECRET_FIELDS = frozenset({"admin_token", "webhook_secret"})
"""Settings shown and logged as ``***`` when set."""
REDACTED = "***"


def shown(settings: Settings, field: str) -> str:
    """A setting's value as printed: secrets redacted."""
    value = str(getattr(settings, field))
    return REDACTED if field in SECRET_FIELDS and value else value


_POSITIVE = (
    "port",
    "workers",
    "max_body_bytes",
    "batch_max_bytes",
    "batch_max_events",
    "max_schema_depth",
    "max_schema_bytes",
    "max_schema_cost",
    "max_reference_depth",
    "retention_days",
    "retention_max_events",
    "webhook_max_attempts",
    "header_timeout_seconds",
    "body_timeout_seconds",
    "max_connections",
    "db_pool_size",
)
_POSITIVE_SECONDS = (
    "changes_poll_seconds",
    "changes_stream_seconds",
    "webhook_timeout_seconds",
    "db_timeout",
)
_LOG_FORMATS = ("text", "json")
_LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")
_AUTH_MODES = ("auto", "on", "off")
_SHA256_HEX = frozenset("0123456789abcdef")


def load_settings(environ: Mapping[str, str], **overrides: Any) -> Settings:
    """Build Settings from an environment mapping, then explicit overrides (CLI flags).

    Raises InvalidSettings naming the variable when a value does not convert or is out of range.
    """
    raw: dict[str, Any] = {}
    for field in Settings.__struct_fields__:
        if env_name(field) in environ:
            raw[field] = environ[env_name(field)]
    raw.update({k: v for k, v in overrides.items() if v is not None})
    for field, value in raw.items():
        try:
            msgspec.convert({field: value}, Settings, strict=False)
        except msgspec.ValidationError as exc:
            raise InvalidSettings(env_name(field), str(exc)) from None
    settings = msgspec.convert(raw, Settings, strict=False)
    _check_ranges(settings)
    return settings


def _check_ranges(settings: Settings) -> None:
    for field in _POSITIVE:
        if getattr(settings, field) < 1:
            raise InvalidSettings(env_name(field), "must be positive")
    if settings.port > 65535:
        raise InvalidSettings(env_name("port"), "must be at most 65535")
    if settings.purge_interval_minutes < 0:
        raise InvalidSettings(env_name("purge_interval_minutes"), "must be 0 (off) or positive")
    _check_feed(settings)
    if settings.log_format not in _LOG_FORMATS:
        raise InvalidSettings(env_name("log_format"), f"must be one of {', '.join(_LOG_FORMATS)}")
    if settings.log_level not in _LOG_LEVELS:
        raise InvalidSettings(env_name("log_level"), f"must be one of {', '.join(_LOG_LEVELS)}")
    if settings.auth not in _AUTH_MODES:
        raise InvalidSettings(env_name("auth"), f"must be one of {', '.join(_AUTH_MODES)}")
    digest = settings.admin_token_sha256
    if digest and (len(digest) != 64 or not set(digest) <= _SHA256_HEX):
        raise InvalidSettings(env_name("admin_token_sha256"), "must be 64 lower-case hex digits")
    if settings.admin_token and len(settings.admin_token) < 16:
        raise InvalidSettings(env_name("admin_token"), "must be at least 16 characters")


def _check_feed(settings: Settings) -> None:
    try:
        parse_proxies(settings.trusted_proxies)
    except ValueError as exc:
        raise InvalidSettings(env_name("trusted_proxies"), str(exc)) from None
    for field in _POSITIVE_SECONDS:
        if getattr(settings, field) <= 0:
            raise InvalidSettings(env_name(field), "must be a positive number of seconds")
    urls = [u.strip() for u in settings.webhook_urls.split(",") if u.strip()]
    for url in urls:
        if not url.startswith(("http://", "https://")):
            raise InvalidSettings(env_name("webhook_urls"), f"not an http(s) URL: {url!r}")
    if urls and not settings.webhook_secret:
        raise InvalidSettings(env_name("webhook_secret"), "webhooks are signed: set a secret")
    if settings.webhook_backoff_seconds < 0:
        raise InvalidSettings(env_name("webhook_backoff_seconds"), "must not be negative")


def is_postgres(db: str) -> bool:
    """``--db`` names a PostgreSQL database (a URL), not a SQLite file."""
    return db.startswith(("postgresql://", "postgres://"))


def describe_db(db: str) -> str:
    """``db`` for messages: a URL without its password, a file as an absolute path."""
    if is_postgres(db):
        parts = urlsplit(db)
        if parts.password is not None:
            host = parts.netloc.rsplit("@", 1)[-1]
            return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}"))
        return db
    return str(Path(db).resolve())
