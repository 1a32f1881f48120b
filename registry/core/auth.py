"""Who is calling and what they may do: scopes, principals, token records. Pure.

Scopes nest: ``read`` ⊂ ``validate`` ⊂ ``write`` ⊂ ``admin``. A token may also be restricted to
event-type key prefixes and/or tags; a restricted token sees only the event types that match
(a key matches when it starts with one of the prefixes, or the type carries one of the tags).

Tokens are random (``er_`` + 43 url-safe characters, 256 bits), shown once and stored only as
their SHA-256 (a fast hash is right for random secrets of this size: there is nothing to
brute-force, and it keeps the hot path cheap). The handler layer puts the authenticated
:class:`Principal` in the ASGI scope as ``scope["registry_principal"]``.
"""

from __future__ import annotations

import hashlib
import ipaddress
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import msgspec

Scope = Literal["read", "validate", "write", "admin"]
SCOPES: tuple[Scope, ...] = ("read", "validate", "write", "admin")
TOKEN_PREFIX = "er_"
PRINCIPAL_KEY = "registry_principal"
"""Where the api layer puts the :class:`Principal` in the ASGI scope."""
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


def includes(granted: Scope, needed: Scope) -> bool:
    """``True`` when a token of scope ``granted`` may do what ``needed`` allows."""
    return SCOPES.index(granted) >= SCOPES.index(needed)


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller of one request, as the handlers (and the audit trail) see it."""

    name: str
    """The token's name; ``"anonymous"`` with auth off."""
    scope: Scope
    token_id: str | None = None
    key_prefixes: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    authenticated: bool = False

    @property
    def scopes(self) -> frozenset[Scope]:
        """Every scope this principal's scope includes."""
        return frozenset(s for s in SCOPES if includes(self.scope, s))

    @property
    def restricted(self) -> bool:
        return bool(self.key_prefixes or self.tags)

    def allows(self, needed: Scope) -> bool:
        return includes(self.scope, needed)

    def sees(self, key: str, tags: Iterable[str] = ()) -> bool:
        """Whether a restricted token may see the event type ``key`` (carrying ``tags``)."""
        if not self.restricted:
            return True
        return key.startswith(self.key_prefixes) or not set(self.tags).isdisjoint(tags)

    @property
    def sees_every_run(self) -> bool:
        """Admins (and everyone with auth off) see every recorded run; others their own."""
        return self.token_id is None or self.allows("admin")


ANONYMOUS = Principal(name="anonymous", scope="admin")
"""The principal of every request when auth is off."""


class TokenRecord(msgspec.Struct, frozen=True, kw_only=True, rename="camel"):
    """A token as stored: everything but the secret, which only its hash stands for."""

    id: str
    name: str
    scope: Scope
    secret_hash: str
    creator: str
    created_at: str
    expires_at: str | None = None
    last_used_at: str | None = None
    revoked_at: str | None = None
    key_prefixes: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    def principal(self) -> Principal:
        return Principal(
            name=self.name,
            scope=self.scope,
            token_id=self.id,
            key_prefixes=self.key_prefixes,
            tags=self.tags,
            authenticated=True,
        )

    def expired(self, now: str) -> bool:
        """ISO instants in one format (UTC, ``Z``) compare as strings."""
        return self.expires_at is not None and self.expires_at <= now


def new_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def new_token_id() -> str:
    return "tok_" + secrets.token_hex(8)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def is_loopback(host: str) -> bool:
    """``127.0.0.1``, ``::1``, ``localhost`` (any 127/8 address too); not ``0.0.0.0``."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def auth_enabled(*, host: str, auth: str, insecure_no_auth: bool) -> bool:
    """Whether requests need a token, or ``ValueError`` when the combination is refused.

    ``auth="auto"`` is on everywhere but loopback. Off on any other address needs
    ``insecure_no_auth``.
    """
    enabled = auth == "on" or (auth == "auto" and not is_loopback(host))
    if not enabled and not is_loopback(host) and not insecure_no_auth:
        raise ValueError(
            f"auth is off but the server binds {host!r}, which is not loopback: create a token "
            "(event-registry tokens create) and use --auth on, or pass --insecure-no-auth"
        )
    return enabled


def parse_hosts(text: str, bound: str) -> frozenset[str] | None:
    """The Host names to accept (``None``: any, for ``*``). Loopback names are always in, and
    so is the bound address unless it is a wildcard."""
    names = {part.strip().lower().strip("[]") for part in text.split(",") if part.strip()}
    if "*" in names:
        return None
    names.update(LOOPBACK_NAMES)
    if bound not in ("0.0.0.0", "::", ""):
        names.add(bound.lower().strip("[]"))
    return frozenset(names)


def host_name(header: str) -> str:
    """``"example.com:8080"`` -> ``"example.com"``; ``"[::1]:80"`` -> ``"::1"``."""
    value = header.strip().lower()
    if value.startswith("["):
        return value[1:].partition("]")[0]
    return value.rpartition(":")[0] if value.count(":") == 1 else value
