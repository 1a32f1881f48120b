"""In-memory token store: the reference implementation of the TokenStore contract."""

from __future__ import annotations

import threading
from collections.abc import Callable

import msgspec

from registry.core.audit import AuditEntry
from registry.core.auth import TokenRecord
from registry.core.errors import TokenNotFound


class InMemoryTokenStore:
    """``audit_sink`` receives the audit entries (the in-memory schema store's ``record_once``
    when both serve one app: the memory stores share no transaction, only this lock)."""

    def __init__(self, audit_sink: Callable[..., object] | None = None) -> None:
        self._tokens: dict[str, TokenRecord] = {}
        self._lock = threading.Lock()
        self._sink = audit_sink

    def _audit(self, audit: AuditEntry | None) -> None:
        if audit is not None and self._sink is not None:
            self._sink(audit=audit)

    def add(self, *, token: TokenRecord, audit: AuditEntry | None = None) -> TokenRecord:
        with self._lock:
            if token.id in self._tokens or self._find(token.secret_hash) is not None:
                raise ValueError("token id or secret hash already stored")
            self._tokens[token.id] = token
            self._audit(audit)
        return token

    def _find(self, secret_hash: str) -> TokenRecord | None:
        return next((t for t in self._tokens.values() if t.secret_hash == secret_hash), None)

    def find(self, *, secret_hash: str) -> TokenRecord | None:
        with self._lock:
            return self._find(secret_hash)

    def get(self, *, token_id: str) -> TokenRecord:
        with self._lock:
            if token_id not in self._tokens:
                raise TokenNotFound(token_id)
            return self._tokens[token_id]

    def list(self) -> list[TokenRecord]:
        with self._lock:
            return sorted(self._tokens.values(), key=lambda t: (t.created_at, t.id))

    def revoke(self, *, token_id: str, at: str, audit: AuditEntry | None = None) -> TokenRecord:
        with self._lock:
            token = self._tokens.get(token_id)
            if token is None:
                raise TokenNotFound(token_id)
            if token.revoked_at is None:
                token = msgspec.structs.replace(token, revoked_at=at)
                self._tokens[token_id] = token
                self._audit(audit)
            return token

    def touch(self, *, token_id: str, at: str) -> None:
        with self._lock:
            token = self._tokens.get(token_id)
            if token is not None:
                self._tokens[token_id] = msgspec.structs.replace(token, last_used_at=at)

    def close(self) -> None:
        """Nothing to release."""
