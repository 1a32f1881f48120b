"""Token use cases: issue, list, revoke, and authenticate a request's secret.

Authentication runs on every request, so it reads the store at most once per second per
secret (:data:`REVOCATION_SECONDS`): a revoked token stops working on every worker and replica
within that bound. A use is written back (``last_used_at``) at most once a minute per token,
and never by :meth:`TokenService.authenticate` itself: it returns whether a write is due and
the caller does it off the event loop (:meth:`TokenService.touch`).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass

from registry.core import audit
from registry.core.audit import SYSTEM, Actor
from registry.core.auth import (
    SCOPES,
    Principal,
    Scope,
    TokenRecord,
    hash_secret,
    new_secret,
    new_token_id,
)
from registry.core.errors import InvalidRequest, InvalidToken, TokenExpired
from registry.core.inspection import normalise_since
from registry.core.model import utc_now
from registry.core.ports import TokenStore

REVOCATION_SECONDS = 1.0
"""A cached verdict on a secret is re-read from the store after this long."""
TOUCH_SECONDS = 60.0
"""``last_used_at`` is written at most this often per token."""
MAX_CACHED = 10_000
"""Cached verdicts (unknown secrets included) before the cache starts over."""
ENV_ADMIN_ID = "env-admin"
ENV_ADMIN_NAME = "EVENT_REGISTRY_ADMIN_TOKEN"


@dataclass(frozen=True, slots=True)
class Issued:
    """A new token: the secret (shown once, never stored) and its record."""

    secret: str
    token: TokenRecord


@dataclass(slots=True)
class _Cached:
    token: TokenRecord | None
    loaded: float


def check_new_token(name: str, scope: str, prefixes: list[str], tags: list[str]) -> Scope:
    """The scope as a :data:`Scope`, or InvalidRequest naming what is wrong."""
    if not name.strip() or len(name) > 200 or not name.isprintable():
        raise InvalidRequest("a token name has 1..200 printable characters", pointer="name")
    if scope not in SCOPES:
        raise InvalidRequest(f"scope must be one of {', '.join(SCOPES)}", pointer="scope")
    for field, values in (("keyPrefixes", prefixes), ("tags", tags)):
        if any(not v or not v.isprintable() or len(v) > 200 for v in values) or len(values) > 100:
            raise InvalidRequest("at most 100 non-empty printable values", pointer=field)
    return scope


class TokenService:
    """Tokens over a :class:`TokenStore`; ``admin_hash`` adds the settings' admin token."""

    def __init__(
        self,
        store: TokenStore,
        *,
        admin_hash: str = "",
        clock: Callable[[], str] = utc_now,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store
        self._clock = clock
        self._monotonic = monotonic
        self._cache: dict[str, _Cached] = {}
        self._touched: dict[str, float] = {}
        self._admin: TokenRecord | None = None
        if admin_hash:
            self._admin = TokenRecord(
                id=ENV_ADMIN_ID,
                name=ENV_ADMIN_NAME,
                scope="admin",
                secret_hash=admin_hash,
                creator="settings",
                created_at="1970-01-01T00:00:00.000Z",
            )

    def create(
        self,
        *,
        name: str,
        scope: str,
        creator: str,
        key_prefixes: list[str] | None = None,
        tags: list[str] | None = None,
        expires_at: str | None = None,
        actor: Actor | None = None,
    ) -> Issued:
        """A new token; ``actor`` (default: ``creator`` with no address) is audited."""
        prefixes, tag_list = key_prefixes or [], tags or []
        checked = check_new_token(name, scope, prefixes, tag_list)
        expiry = normalise_since(expires_at) if expires_at else None
        secret = new_secret()
        record = TokenRecord(
            id=new_token_id(),
            name=name,
            scope=checked,
            secret_hash=hash_secret(secret),
            creator=creator,
            created_at=self._clock(),
            expires_at=expiry,
            key_prefixes=tuple(prefixes),
            tags=tuple(tag_list),
        )
        entry = audit.entry(
            actor or Actor(creator),
            "token.create",
            at=record.created_at,
            name=record.id,
            after={
                "name": record.name,
                "scope": record.scope,
                "keyPrefixes": list(record.key_prefixes),
                "tags": list(record.tags),
                "expiresAt": record.expires_at,
            },
        )
        return Issued(secret, self._store.add(token=record, audit=entry))

    def list(self) -> list[TokenRecord]:
        return self._store.list()

    def revoke(self, *, token_id: str, actor: Actor = SYSTEM) -> TokenRecord:
        """Revoke (once; a second revoke changes and audits nothing)."""
        at = self._clock()
        token = self._store.get(token_id=token_id)
        entry = audit.entry(
            actor,
            "token.revoke",
            at=at,
            name=token.id,
            before={"revokedAt": None},
            after={"revokedAt": at},
        )
        return self._store.revoke(token_id=token_id, at=at, audit=entry)

    def cached(self, secret: str) -> tuple[bool, Principal | None, bool]:
        """``(known, principal, touch_due)`` without I/O; ``known`` is False when the store
        must be read (:meth:`load`) first. Raises InvalidToken or TokenExpired."""
        digest = hash_secret(secret)
        if self._admin is not None and digest == self._admin.secret_hash:
            return True, self._admin.principal(), False
        entry = self._cache.get(digest)
        if entry is None or self._monotonic() - entry.loaded >= REVOCATION_SECONDS:
            return False, None, False
        return True, *self._verdict(entry.token)

    def load(self, secret: str) -> None:
        """Read the secret's token from the store into the cache (blocking I/O)."""
        digest = hash_secret(secret)
        token = self._store.find(secret_hash=digest)
        if len(self._cache) >= MAX_CACHED:
            self._cache.clear()
        self._cache[digest] = _Cached(token, self._monotonic())

    def authenticate(self, secret: str) -> tuple[Principal, bool]:
        """The principal of ``secret`` and whether a ``last_used_at`` write is due."""
        known, principal, due = self.cached(secret)
        if not known:
            self.load(secret)
            known, principal, due = self.cached(secret)
        assert principal is not None
        return principal, due

    def _verdict(self, token: TokenRecord | None) -> tuple[Principal, bool]:
        if token is None or token.revoked_at is not None:
            raise InvalidToken
        if token.expired(self._clock()):
            raise TokenExpired
        now = self._monotonic()
        last = self._touched.get(token.id)
        due = last is None or now - last >= TOUCH_SECONDS
        if due:
            self._touched[token.id] = now
        return token.principal(), due

    def touch(self, token_id: str) -> None:
        """Write ``last_used_at`` now (blocking I/O: run it off the event loop)."""
        self._store.touch(token_id=token_id, at=self._clock())

    def close(self) -> None:
        """Release the token store."""
        self._store.close()


def expiry_in_days(days: int, now: dt.datetime | None = None) -> str:
    """An ``expires_at`` ``days`` from now, in the stored format."""
    moment = (now or dt.datetime.now(dt.UTC)) + dt.timedelta(days=days)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
