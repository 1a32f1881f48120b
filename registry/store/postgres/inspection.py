"""PostgreSQL inspection log (tables from migration ``0002_inspection``): every call commits
before it returns, so a replica that answered a dry run has its entries queryable everywhere."""

from __future__ import annotations

import secrets
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
from registry.store.postgres.connections import Pool

_COLUMNS = """e.id, e.received_at, e.run_id, e.format, e.request_id, e.idx, e.event_type_key,
    e.valid, e.http_status, e.status, e.payload, e.report, e.recorded_by, e.user_agent"""
_FILTERS: tuple[tuple[str, str], ...] = (
    ("run_id", "e.run_id = %s"),
    ("event_type_key", "e.event_type_key = %s"),
    ("valid", "e.valid = %s"),
    ("since", "e.received_at >= %s"),
    ("before_id", "e.id < %s"),
    ("recorded_by", "e.recorded_by = %s"),
    (
        "code",
        "EXISTS (SELECT 1 FROM inspection_violations v WHERE v.event_id = e.id AND v.code = %s)",
    ),
)
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


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
        valid=valid,
        http_status=http,
        status=status,
        payload=msgspec.json.decode(payload),
        report=msgspec.json.decode(report),
        recorded_by=by,
        user_agent=ua,
    )


def _run_filter(run_id: str | None, recorded_by: str | None = None) -> tuple[str, list[Any]]:
    where: list[str] = ["TRUE"]
    args: list[Any] = []
    for column, value in (("e.run_id", run_id), ("e.recorded_by", recorded_by)):
        if value is not None:
            where.append(f"{column} = %s")
            args.append(value)
    return " AND ".join(where), args


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
                        _dumps(e.payload),
                        _dumps(e.report),
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
        where, args = ["TRUE"], []
        for field, clause in _FILTERS:
            value = getattr(query, field)
            if value is not None:
                if isinstance(value, int) and not isinstance(value, bool):
                    value = max(_INT64_MIN, min(_INT64_MAX, value))
                where.append(clause)
                args.append(value)
        rows = self._rows(
            f"SELECT {_COLUMNS} FROM inspection_events e WHERE {' AND '.join(where)} "
            "ORDER BY e.id DESC LIMIT %s",
            [*args, query.limit + 1],
        )
        items = [_entry(r) for r in rows[: query.limit]]
        more = len(rows) > query.limit
        return InspectionPage(items=items, next_cursor=str(items[-1].id) if more else None)

    def summary(self, *, run_id: str | None, recorded_by: str | None = None) -> InspectionSummary:
        where, args = _run_filter(run_id, recorded_by)
        total, valid, last_seen = self._rows(
            "SELECT COUNT(*), COUNT(*) FILTER (WHERE e.valid), MAX(e.received_at) "
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
            f"""SELECT COALESCE(e.event_type_key, ''), COUNT(*),
                COUNT(*) FILTER (WHERE NOT e.valid), MAX(e.received_at)
                FROM inspection_events e WHERE {where} GROUP BY 1""",
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
        payloads = dict(
            self._rows("SELECT id, payload FROM inspection_events WHERE id = ANY(%s)", [ids])
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
        (value,) = self._rows("SELECT count(*) FROM inspection_events", [])[0]
        return int(value)

    def close(self) -> None:
        self._pool.close()
