"""PostgreSQL inspection log (tables from migration ``0002_inspection``): every call commits
before it returns, so a replica that answered a dry run has its entries queryable everywhere."""

from __future__ import annotations

import secrets
from typing import Any

import msgspec

from registry.core.inspection import (
    InspectedEvent,
    InspectionPage,
    InspectionQuery,
    InspectionSummary,
)
from registry.store import inspection_sql as queries
from registry.store.postgres.connections import Pool


class PostgresInspectionLog:
    """A pool of its own on the registry's database."""

    def __init__(self, url: str, *, timeout: float = 5.0, pool_size: int = 10) -> None:
        self._pool = Pool(url, timeout=timeout, size=pool_size, name="event-registry-inspection")

    def _rows(self, sql: str, args: list[Any]) -> list[tuple[Any, ...]]:
        with self._pool.reading() as conn:
            return conn.execute(sql, args).fetchall()

    def _write(self, sql: str, args: list[Any]) -> int:
        with self._pool.transaction() as conn:
            return int(conn.execute(sql, args).rowcount)

    def record(
        self, *, entries: list[InspectedEvent], contacts: list[list[str]] | None = None
    ) -> list[InspectedEvent]:
        if not entries:
            return []
        with self._pool.transaction() as conn, conn.cursor() as cur:
            cur.executemany(
                """INSERT INTO inspection_events (received_at, run_id, format, request_id, idx,
                   event_type_key, valid, http_status, status, payload, report, recorded_by,
                   user_agent)
                   VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id""",
                [
                    (
                        e.received_at,
                        e.run_id,
                        e.format,
                        e.request_id,
                        e.index,
                        e.event_type_key,
                        e.valid,
                        e.http_status,
                        e.status,
                        queries.dumps(e.payload),
                        queries.dumps(e.report),
                        e.recorded_by,
                        e.user_agent,
                    )
                    for e in entries
                ],
                returning=True,
            )
            ids: list[int] = []
            while True:
                row = cur.fetchone()
                ids.append(int(row[0]) if row else 0)
                if not cur.nextset():
                    break
            violations = [
                (event_id, v["code"], v["severity"], v.get("param"))
                for event_id, e in zip(ids, entries, strict=True)
                for v in e.violations()
            ]
            if violations:
                cur.executemany(
                    "INSERT INTO inspection_violations (event_id, code, severity, param) "
                    "VALUES (%s, %s, %s, %s)",
                    violations,
                )
            hashes = [
                (event_id, c)
                for i, event_id in enumerate(ids)
                for c in sorted(set(contacts[i] if contacts is not None else []))
            ]
            if hashes:
                cur.executemany(
                    "INSERT INTO inspection_contacts (event_id, contact) VALUES (%s, %s)", hashes
                )
        return [msgspec.structs.replace(e, id=i) for e, i in zip(entries, ids, strict=True)]

    def secret(self) -> bytes:
        """This database's random key for contact hashes (created on first use)."""
        self._write(
            "INSERT INTO inspection_secret (id, secret) VALUES (1, %s) ON CONFLICT DO NOTHING",
            [secrets.token_hex(32)],
        )
        (value,) = self._rows("SELECT secret FROM inspection_secret WHERE id = 1", [])[0]
        return bytes.fromhex(value)

    def delete_contact(self, *, contact: str) -> int:
        return self._write(
            """DELETE FROM inspection_events WHERE id IN
               (SELECT event_id FROM inspection_contacts WHERE contact = %s)""",
            [contact],
        )

    def query(self, *, query: InspectionQuery) -> InspectionPage:
        return queries.query(self._rows, queries.POSTGRES, query)

    def summary(self, *, run_id: str | None, recorded_by: str | None = None) -> InspectionSummary:
        return queries.summary(self._rows, queries.POSTGRES, run_id=run_id, recorded_by=recorded_by)

    def delete(self, *, run_id: str | None, recorded_by: str | None = None) -> int:
        where, args = queries.run_filter(queries.POSTGRES, run_id, recorded_by)
        return self._write(f"DELETE FROM inspection_events AS e WHERE {where}", args)

    def purge(self, *, received_before: str, keep_newest: int) -> int:
        old = self._write("DELETE FROM inspection_events WHERE received_at < %s", [received_before])
        excess = self._write(
            """DELETE FROM inspection_events WHERE id <= (SELECT id FROM inspection_events
               ORDER BY id DESC LIMIT 1 OFFSET %s)""",
            [max(keep_newest, 0)],
        )
        return old + excess

    def count(self) -> int:
        return queries.count(self._rows)

    def close(self) -> None:
        self._pool.close()
