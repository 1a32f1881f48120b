"""SQLite token store. The ``tokens`` table comes from migration ``0005_tokens``.

Only the SHA-256 of a secret is written; the secret itself never reaches the file.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import msgspec
from sqlite_utils.db import Database

from registry.core.auth import TokenRecord
from registry.core.errors import TokenNotFound
from registry.store.migrations import MIGRATIONS

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
    """Its own connection to the registry's database file; every write commits at once."""

    def __init__(self, path: str | Path) -> None:
        conn = sqlite3.connect(
            str(path), check_same_thread=False, isolation_level=None, timeout=30.0
        )
        self._db = Database(conn)
        self._lock = threading.Lock()
        if str(path) != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA busy_timeout=30000")
        with self._lock:
            MIGRATIONS.apply(self._db)

    def _one(self, where: str, arg: str) -> TokenRecord | None:
        with self._lock:
            row = self._db.execute(f"SELECT {_COLUMNS} FROM tokens WHERE {where} = ?", [arg])
            found = row.fetchone()
        return None if found is None else _record(found)

    def add(self, *, token: TokenRecord) -> TokenRecord:
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
        with self._lock:
            try:
                self._db.execute(
                    f"INSERT INTO tokens ({_COLUMNS}) VALUES ({', '.join('?' * 11)})", values
                )
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
        with self._lock:
            rows = self._db.execute(f"SELECT {_COLUMNS} FROM tokens ORDER BY created_at, id")
            return [_record(row) for row in rows.fetchall()]

    def revoke(self, *, token_id: str, at: str) -> TokenRecord:
        with self._lock:
            self._db.execute(
                "UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                [at, token_id],
            )
        return self.get(token_id=token_id)

    def touch(self, *, token_id: str, at: str) -> None:
        with self._lock:
            self._db.execute("UPDATE tokens SET last_used_at = ? WHERE id = ?", [at, token_id])

    def close(self) -> None:
        with self._lock:
            self._db.conn.close()
