"""SQLite token store. The ``tokens`` table comes from migration ``0005_tokens``.

Only the SHA-256 of a secret is written; the secret itself never reaches the file.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import msgspec

from registry.core.audit import AuditEntry
from registry.core.auth import TokenRecord
from registry.core.errors import TokenNotFound
from registry.store import audit_sqlite
from registry.store.connections import Connections

_COLUMNS = (
    "id, name, scope, secret_hash, creator, created_at, expires_at, last_used_at, revoked_at, "
    "key_prefixes, tags"
)


def _record(row: tuple[Any, ...]) -> TokenRecord:
    *head, prefixes, tags = row
    fields = dict(zip(_COLUMNS.split(", "), head, strict=False))
    return TokenRecord(
        **fields,
        key_prefixes=tuple(msgspec.json.decode(prefixes)),
        tags=tuple(msgspec.json.decode(tags)),
    )


class SqliteTokenStore:
    """Its own connections to the registry's database file (store/connections.py): reads never
    wait for a writer; every write commits before returning."""

    def __init__(self, path: str | Path) -> None:
        self._conns = Connections(path)

    def _one(self, where: str, arg: str) -> TokenRecord | None:
        with self._conns.reading() as conn:
            found = conn.execute(f"SELECT {_COLUMNS} FROM tokens WHERE {where} = ?", [arg])
            row = found.fetchone()
        return None if row is None else _record(row)

    def add(self, *, token: TokenRecord, audit: AuditEntry | None = None) -> TokenRecord:
        values = [
            token.id,
            token.name,
            token.scope,
            token.secret_hash,
            token.creator,
            token.created_at,
            token.expires_at,
            token.last_used_at,
            token.revoked_at,
            msgspec.json.encode(list(token.key_prefixes)).decode(),
            msgspec.json.encode(list(token.tags)).decode(),
        ]
        marks = ", ".join("?" * len(values))
        try:
            with self._conns.writing() as db:
                db.execute(f"INSERT INTO tokens ({_COLUMNS}) VALUES ({marks})", values)
                audit_sqlite.append(db, audit)
        except sqlite3.IntegrityError:
            raise ValueError("token id or secret hash already stored") from None
        return token

    def find(self, *, secret_hash: str) -> TokenRecord | None:
        return self._one("secret_hash", secret_hash)

    def get(self, *, token_id: str) -> TokenRecord:
        token = self._one("id", token_id)
        if token is None:
            raise TokenNotFound(token_id)
        return token

    def list(self) -> list[TokenRecord]:
        with self._conns.reading() as conn:
            rows = conn.execute(f"SELECT {_COLUMNS} FROM tokens ORDER BY created_at, id")
            return [_record(row) for row in rows.fetchall()]

    def revoke(self, *, token_id: str, at: str, audit: AuditEntry | None = None) -> TokenRecord:
        with self._conns.writing() as db:
            changed = db.execute(
                "UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                [at, token_id],
            )
            if changed.rowcount:
                audit_sqlite.append(db, audit)
        return self.get(token_id=token_id)

    def touch(self, *, token_id: str, at: str) -> None:
        with self._conns.writing() as db:
            db.execute("UPDATE tokens SET last_used_at = ? WHERE id = ?", [at, token_id])

    def close(self) -> None:
        self._conns.close()
