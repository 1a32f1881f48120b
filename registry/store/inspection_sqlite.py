"""SQLite inspection log. Tables come from migration ``0003_inspection`` in ``store/sqlite.py``."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import msgspec

from registry.core.inspection import (
    InspectedEvent,
    InspectionPage,
    InspectionQuery,
    InspectionSummary,
)
from registry.store import inspection_sql as queries
from registry.store.connections import Connections


class SqliteInspectionLog:
    """Its own connection to the registry's database file; every call commits before returning."""

    def __init__(self, path: str | Path) -> None:
        self._conns = Connections(path)
        self._db = self._conns.writer

    def _rows(self, sql: str, args: list[Any]) -> list[tuple[Any, ...]]:
        """On this thread's read connection: never waits for a writer."""
        with self._conns.reading() as conn:
            return conn.execute(sql, args).fetchall()

    def _write(self, statements: list[tuple[str, list[Any]]]) -> int:
        """Run statements in one IMMEDIATE transaction; returns the first one's rowcount."""
        with self._conns.writing() as db:
            counts = [db.execute(sql, args).rowcount for sql, args in statements]
        return counts[0] if counts else 0

    def record(
        self, *, entries: list[InspectedEvent], contacts: list[list[str]] | None = None
    ) -> list[InspectedEvent]:
        with self._conns.writing():
            return [
                self._insert(entry, contacts[i] if contacts is not None else [])
                for i, entry in enumerate(entries)
            ]

    def _insert(self, e: InspectedEvent, contacts: list[str]) -> InspectedEvent:
        cur = self._db.execute(
            """INSERT INTO inspection_events (received_at, run_id, format, request_id, idx,
               event_type_key, valid, http_status, status, payload, report, recorded_by,
               user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                e.received_at,
                e.run_id,
                e.format,
                e.request_id,
                e.index,
                e.event_type_key,
                int(e.valid),
                e.http_status,
                e.status,
                queries.dumps(e.payload),
                queries.dumps(e.report),
                e.recorded_by,
                e.user_agent,
            ],
        )
        event_id = int(cur.lastrowid or 0)
        self._db.conn.executemany(
            "INSERT INTO inspection_violations (event_id, code, severity, param) "
            "VALUES (?, ?, ?, ?)",
            [(event_id, v["code"], v["severity"], v.get("param")) for v in e.violations()],
        )
        self._db.conn.executemany(
            "INSERT INTO inspection_contacts (event_id, contact) VALUES (?, ?)",
            [(event_id, c) for c in sorted(set(contacts))],
        )
        return msgspec.structs.replace(e, id=event_id)

    def secret(self) -> bytes:
        """This database's random key for contact hashes (created on first use)."""
        candidate = secrets.token_hex(32)
        self._write(
            [("INSERT OR IGNORE INTO inspection_secret (id, secret) VALUES (1, ?)", [candidate])]
        )
        (value,) = self._rows("SELECT secret FROM inspection_secret WHERE id = 1", [])[0]
        return bytes.fromhex(value)

    def delete_contact(self, *, contact: str) -> int:
        return self._write(
            [
                (
                    """DELETE FROM inspection_events WHERE id IN
                       (SELECT event_id FROM inspection_contacts WHERE contact = ?)""",
                    [contact],
                )
            ]
        )

    def query(self, *, query: InspectionQuery) -> InspectionPage:
        return queries.query(self._rows, queries.SQLITE, query)

    def summary(self, *, run_id: str | None, recorded_by: str | None = None) -> InspectionSummary:
        return queries.summary(self._rows, queries.SQLITE, run_id=run_id, recorded_by=recorded_by)

    def delete(self, *, run_id: str | None, recorded_by: str | None = None) -> int:
        where, args = queries.run_filter(queries.SQLITE, run_id, recorded_by)
        return self._write([(f"DELETE FROM inspection_events AS e WHERE {where}", args)])

    def purge(self, *, received_before: str, keep_newest: int) -> int:
        old = self._write(
            [("DELETE FROM inspection_events WHERE received_at < ?", [received_before])]
        )
        excess = self._write(
            [
                (
                    """DELETE FROM inspection_events WHERE id <= (SELECT id FROM inspection_events
                       ORDER BY id DESC LIMIT 1 OFFSET ?)""",
                    [max(keep_newest, 0)],
                )
            ]
        )
        return old + excess

    def count(self) -> int:
        return queries.count(self._rows)

    def close(self) -> None:
        self._conns.close()
