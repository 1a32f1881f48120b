"""SQLite inspection log. Tables come from migration ``0003_inspection`` in ``store/sqlite.py``."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import msgspec

from registry.core.inspection import (
    CodeCount,
    InspectedEvent,
    InspectionPage,
    InspectionQuery,
    InspectionSummary,
    TypeCount,
)
from registry.store.connections import Connections

_COLUMNS = """e.id, e.received_at, e.run_id, e.format, e.request_id, e.idx, e.event_type_key,
    e.valid, e.http_status, e.status, e.payload, e.report, e.recorded_by,
    e.user_agent"""
_FILTERS: tuple[tuple[str, str], ...] = (
    ("run_id", "e.run_id = ?"),
    ("event_type_key", "e.event_type_key = ?"),
    ("valid", "e.valid = ?"),
    ("since", "e.received_at >= ?"),
    ("before_id", "e.id < ?"),
    ("recorded_by", "e.recorded_by = ?"),
    (
        "code",
        "EXISTS (SELECT 1 FROM inspection_violations v WHERE v.event_id = e.id AND v.code = ?)",
    ),
)


def _dumps(value: Any) -> str:
    return msgspec.json.encode(value).decode()


def _entry(row: tuple[Any, ...]) -> InspectedEvent:
    id_, received, run, fmt, request, idx, key, valid, http, status, payload, report, by, ua = row
    return InspectedEvent(
        id=id_,
        received_at=received,
        run_id=run,
        format=fmt,
        request_id=request,
        index=idx,
        event_type_key=key,
        valid=bool(valid),
        http_status=http,
        status=status,
        payload=msgspec.json.decode(payload),
        report=msgspec.json.decode(report),
        recorded_by=by,
        user_agent=ua,
    )


def _run_filter(run_id: str | None, recorded_by: str | None = None) -> tuple[str, list[Any]]:
    where, args = ["1 = 1"], []
    for column, value in (("e.run_id", run_id), ("e.recorded_by", recorded_by)):
        if value is not None:
            where.append(f"{column} = ?")
            args.append(value)
    return " AND ".join(where), args


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
                _dumps(e.payload),
                _dumps(e.report),
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
        where, args = ["1 = 1"], []
        for field, clause in _FILTERS:
            value = getattr(query, field)
            if value is not None:
                where.append(clause)
                args.append(int(value) if isinstance(value, bool) else value)
        rows = self._rows(
            f"SELECT {_COLUMNS} FROM inspection_events e WHERE {' AND '.join(where)} "
            "ORDER BY e.id DESC LIMIT ?",
            [*args, query.limit + 1],
        )
        items = [_entry(r) for r in rows[: query.limit]]
        more = len(rows) > query.limit
        return InspectionPage(items=items, next_cursor=str(items[-1].id) if more else None)

    def summary(self, *, run_id: str | None, recorded_by: str | None = None) -> InspectionSummary:
        where, args = _run_filter(run_id, recorded_by)
        total, valid, last_seen = self._rows(
            f"SELECT COUNT(*), COALESCE(SUM(e.valid), 0), MAX(e.received_at) "
            f"FROM inspection_events e WHERE {where}",
            args,
        )[0]
        return InspectionSummary(
            run_id=run_id,
            total=total,
            valid=valid,
            invalid=total - valid,
            last_seen=last_seen,
            by_event_type=self._by_type(where, args),
            by_code=self._by_code(where, args),
            by_param=self._by_param(where, args),
        )

    def _by_type(self, where: str, args: list[Any]) -> dict[str, TypeCount]:
        rows = self._rows(
            f"""SELECT COALESCE(e.event_type_key, ''), COUNT(*), SUM(1 - e.valid),
                MAX(e.received_at) FROM inspection_events e WHERE {where} GROUP BY 1""",
            args,
        )
        return {key: TypeCount(total, invalid, last) for key, total, invalid, last in rows}

    def _by_code(self, where: str, args: list[Any]) -> dict[str, CodeCount]:
        rows = self._rows(
            f"""SELECT v.code, COUNT(DISTINCT v.event_id), MAX(v.event_id)
                FROM inspection_violations v JOIN inspection_events e ON e.id = v.event_id
                WHERE {where} GROUP BY v.code""",
            args,
        )
        ids = [sample for _, _, sample in rows]
        marks = ", ".join("?" * len(ids))
        payloads = dict(
            self._rows(f"SELECT id, payload FROM inspection_events WHERE id IN ({marks})", ids)
        )
        return {
            code: CodeCount(events, sample, msgspec.json.decode(payloads[sample]))
            for code, events, sample in rows
        }

    def _by_param(self, where: str, args: list[Any]) -> dict[str, int]:
        rows = self._rows(
            f"""SELECT v.param, COUNT(*) FROM inspection_violations v
                JOIN inspection_events e ON e.id = v.event_id
                WHERE {where} AND v.param IS NOT NULL GROUP BY v.param""",
            args,
        )
        return dict(rows)

    def delete(self, *, run_id: str | None, recorded_by: str | None = None) -> int:
        where, args = _run_filter(run_id, recorded_by)
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
        (value,) = self._rows("SELECT count(*) FROM inspection_events", [])[0]
        return int(value)

    def close(self) -> None:
        self._conns.close()
