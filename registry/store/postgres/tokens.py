"""PostgreSQL token store (table ``tokens``, migration ``0003_tokens``): every replica sees a
new or revoked token on its next read. Only the SHA-256 of a secret is written."""

from __future__ import annotations

import psycopg.errors

from registry.core.audit import AuditEntry
from registry.core.auth import TokenRecord
from registry.core.errors import TokenNotFound
from registry.store import token_rows
from registry.store.postgres import audit as audit_sql
from registry.store.postgres.connections import Pool


class PostgresTokenStore:
    """A pool of its own on the registry's database; every write commits before returning."""

    def __init__(self, url: str, *, timeout: float = 5.0, pool_size: int = 10) -> None:
        self._pool = Pool(url, timeout=timeout, size=pool_size, name="event-registry-tokens")

    def _one(self, where: str, arg: str) -> TokenRecord | None:
        with self._pool.reading() as conn:
            row = conn.execute(f"SELECT {token_rows.COLUMNS} FROM tokens WHERE {where} = %s", [arg])
            found = row.fetchone()
        return None if found is None else token_rows.record(found)

    def add(self, *, token: TokenRecord, audit: AuditEntry | None = None) -> TokenRecord:
        values = token_rows.values(token)
        marks = ", ".join(["%s"] * len(values))
        try:
            with self._pool.transaction() as conn:
                conn.execute(f"INSERT INTO tokens ({token_rows.COLUMNS}) VALUES ({marks})", values)
                audit_sql.append(conn, audit)
        except psycopg.errors.UniqueViolation:
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
        with self._pool.reading() as conn:
            rows = conn.execute(f"SELECT {token_rows.COLUMNS} FROM tokens ORDER BY created_at, id")
            return [token_rows.record(row) for row in rows.fetchall()]

    def revoke(self, *, token_id: str, at: str, audit: AuditEntry | None = None) -> TokenRecord:
        with self._pool.transaction() as conn:
            changed = conn.execute(
                "UPDATE tokens SET revoked_at = %s WHERE id = %s AND revoked_at IS NULL",
                [at, token_id],
            )
            if changed.rowcount:
                audit_sql.append(conn, audit)
        return self.get(token_id=token_id)

    def touch(self, *, token_id: str, at: str) -> None:
        with self._pool.transaction() as conn:
            conn.execute("UPDATE tokens SET last_used_at = %s WHERE id = %s", [at, token_id])

    def close(self) -> None:
        self._pool.close()
