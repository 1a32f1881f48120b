"""The one place that opens the configured stores and builds the core services from them.

The app (``create_app``) and the CLI (``seed``, ``purge``, ``migrate``) build their
:class:`RegistryService` here; the offline plan registry, which needs no store driver, calls
:func:`registry.build.service_over` directly (this module builds through it too), so every one
of them honours the same limits.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from registry.build import schema_limits, service_over
from registry.core import auth
from registry.core.dryrun import DryRunService
from registry.core.errors import InvalidSettings
from registry.core.inspection import (
    Masker,
    RetentionPolicy,
    parse_mask_fields,
    parse_mask_patterns,
)
from registry.core.ports import InspectionLog, SchemaStore, TokenStore
from registry.core.service import RegistryService
from registry.core.tokens import TokenService
from registry.envvars import env_name
from registry.settings import Settings, is_postgres
from registry.store.inspection_memory import InMemoryInspectionLog
from registry.store.inspection_sqlite import SqliteInspectionLog
from registry.store.sqlite import SqliteStore
from registry.store.tokens_memory import InMemoryTokenStore
from registry.store.tokens_sqlite import SqliteTokenStore

if TYPE_CHECKING:
    from registry.metrics import Metrics

__all__ = [
    "build_dryrun",
    "build_service",
    "build_tokens",
    "open_inspection_log",
    "open_schema_store",
    "open_token_store",
    "schema_limits",
]


def _postgres() -> Any:
    try:
        from registry.store.postgres import inspection, store, tokens
    except ImportError as exc:
        raise InvalidSettings(
            env_name("db"),
            f"a postgresql:// URL needs the PostgreSQL driver ({exc}): "
            "pip install 'event-registry[postgres]'",
        ) from None
    return store, inspection, tokens


def open_schema_store(settings: Settings) -> SchemaStore:
    """The store ``settings.db`` names: a PostgreSQL URL or a SQLite file (migrated)."""
    if is_postgres(settings.db):
        store, _, _ = _postgres()
        made: SchemaStore = store.PostgresStore(
            settings.db, timeout=settings.db_timeout, pool_size=settings.db_pool_size
        )
        return made
    return SqliteStore(settings.db)


def open_inspection_log(settings: Settings) -> InspectionLog:
    if is_postgres(settings.db):
        _, inspection, _ = _postgres()
        made: InspectionLog = inspection.PostgresInspectionLog(
            settings.db, timeout=settings.db_timeout, pool_size=settings.db_pool_size
        )
        return made
    return SqliteInspectionLog(settings.db)


def open_token_store(settings: Settings) -> TokenStore:
    if is_postgres(settings.db):
        _, _, tokens = _postgres()
        made: TokenStore = tokens.PostgresTokenStore(
            settings.db, timeout=settings.db_timeout, pool_size=settings.db_pool_size
        )
        return made
    return SqliteTokenStore(settings.db)


def build_service(
    settings: Settings, store: SchemaStore | None = None, *, metrics: Metrics | None = None
) -> RegistryService:
    """The registry's use cases over ``store`` (default: the database ``settings.db``);
    with ``metrics``, its store calls are timed and its validations counted."""
    store = store if store is not None else open_schema_store(settings)
    return service_over(settings, store, metrics=metrics)


def build_dryrun(
    settings: Settings, service: RegistryService, log_: InspectionLog | None, *, in_memory: bool
) -> DryRunService:
    """The dry-run/inspection use cases; an in-memory registry gets an in-memory log."""
    if log_ is None:
        log_ = InMemoryInspectionLog() if in_memory else open_inspection_log(settings)
    return DryRunService(
        service,
        log_,
        masker=Masker(
            parse_mask_fields(settings.mask_fields), parse_mask_patterns(settings.mask_patterns)
        ),
        retention=RetentionPolicy(
            max_age_days=settings.retention_days, max_events=settings.retention_max_events
        ),
    )


def build_tokens(
    settings: Settings,
    store: TokenStore | None,
    *,
    in_memory: bool,
    audit_sink: Callable[..., object] | None = None,
) -> TokenService:
    """The API tokens (an in-memory registry gets an in-memory token store, whose audit entries
    go to ``audit_sink``; the SQLite one writes them in its own transaction); the admin token
    from the settings is kept only as its hash."""
    if store is None:
        store = InMemoryTokenStore(audit_sink) if in_memory else open_token_store(settings)
    digest = settings.admin_token_sha256
    if settings.admin_token:
        digest = auth.hash_secret(settings.admin_token)
    return TokenService(store, admin_hash=digest)
