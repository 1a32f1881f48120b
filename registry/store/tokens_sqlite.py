"""SQLite token store. The ``tokens`` table comes from migration ``0005_tokens``.

Only the SHA-256 of a secret is written; the secret itself never reaches the file.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from registry.core.audit import AuditEntry
from registry.core.auth import TokenRecord
from registry.core.errors import TokenNotFound
from registry.store import audit_sqlite, token_rows
from registry.store.connections import Connections


class SqliteTokenStore:
    """Its own connections to the registry's database file (store/connections.py): reads never
    wait for a writer; every write commits before returning."""

    def __init__(self, path: str | Path) -> None:
        self._conns = Connections(path)

    def _one(self, where: str, arg: str) -> TokenRecord | None:
        with self._conns.reading() as conn:
            found = conn.execute(
                f"SELECT {token_rows.COLUMNS} FROM tokens WHERE {where} = ?", [arg]
            )
            row = found.fetchone()
        return None if row is None else token_rows.record(row)

    def add(self, *, token: TokenRecord, audit: AuditEntry | None = None) -> TokenRecord:
        values = token_rows.values(token)
        marks = ", ".join("?" * len(values))
        try:
            with self._conns.writing() as db:
                db.execute(f"INSERT INTO tokens ({token_rows.COLUMNS}) VALUES ({marks})", values)
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
            rows = conn.execute(f"SELECT {token_rows.COLUMNS} FROM tokens ORDER BY created_at, id")
            return [token_rows.record(row) for row in rows.fetchall()]

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
