"""The inspection log's reads, written once for SQLite and PostgreSQL.

The two stores differ in how they connect and write (one writer connection under WAL; a pool
of transactions), not in what they ask: the same SELECTs with the dialect's placeholder, its
"true", its way of counting booleans and of naming a list of ids. Each store hands
:func:`query` and :func:`summary` its own ``rows(sql, args)`` reader and :data:`SQLITE` or
:data:`POSTGRES`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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

Rows = Callable[[str, list[Any]], list[tuple[Any, ...]]]
"""A store's reader: rows of one SELECT with its arguments."""

_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


@dataclass(frozen=True)
class Dialect:
    mark: str
    """The argument placeholder."""
    true: str
    """A condition that always holds (the start of every WHERE)."""
    valid_count: str
    invalid_count: str
    ids_in: Callable[[list[int]], tuple[str, list[Any]]]
    """``e.id IN (...)`` for a list of ids: the condition and its arguments."""
    argument: Callable[[object], object]
    """A filter value as the driver takes it."""


def _sqlite_argument(value: object) -> object:
    return int(value) if isinstance(value, bool) else value


def _postgres_argument(value: object) -> object:
    if isinstance(value, int) and not isinstance(value, bool):
        return max(_INT64_MIN, min(_INT64_MAX, value))  # bigint: no row lies beyond
    return value


SQLITE = Dialect(
    mark="?",
    true="1 = 1",
    valid_count="COALESCE(SUM(e.valid), 0)",
    invalid_count="SUM(1 - e.valid)",
    ids_in=lambda ids: (f"id IN ({', '.join('?' * len(ids))})", list(ids)),
    argument=_sqlite_argument,
)
POSTGRES = Dialect(
    mark="%s",
    true="TRUE",
    valid_count="COUNT(*) FILTER (WHERE e.valid)",
    invalid_count="COUNT(*) FILTER (WHERE NOT e.valid)",
    ids_in=lambda ids: ("id = ANY(%s)", [list(ids)]),
    argument=_postgres_argument,
)

COLUMNS = """e.id, e.received_at, e.run_id, e.format, e.request_id, e.idx, e.event_type_key,
    e.valid, e.http_status, e.status, e.payload, e.report, e.recorded_by, e.user_agent"""
_FILTERS: tuple[tuple[str, str], ...] = (
    ("run_id", "e.run_id = {m}"),
    ("event_type_key", "e.event_type_key = {m}"),
    ("valid", "e.valid = {m}"),
    ("since", "e.received_at >= {m}"),
    ("before_id", "e.id < {m}"),
    ("recorded_by", "e.recorded_by = {m}"),
    (
        "code",
        "EXISTS (SELECT 1 FROM inspection_violations v WHERE v.event_id = e.id AND v.code = {m})",
    ),
)


def dumps(value: Any) -> str:
    return msgspec.json.encode(value).decode()


def entry(row: tuple[Any, ...]) -> InspectedEvent:
    """One row of :data:`COLUMNS` as the recorded event."""
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


def run_filter(
    d: Dialect, run_id: str | None, recorded_by: str | None = None
) -> tuple[str, list[Any]]:
    """The WHERE of one run (``None``: every run), and of one token's entries if given."""
    where, args = [d.true], []
    for column, value in (("e.run_id", run_id), ("e.recorded_by", recorded_by)):
        if value is not None:
            where.append(f"{column} = {d.mark}")
            args.append(value)
    return " AND ".join(where), args


def query(rows: Rows, d: Dialect, q: InspectionQuery) -> InspectionPage:
    """Newest first, one page of ``q.limit`` and the cursor of the next."""
    where, args = [d.true], []
    for field, clause in _FILTERS:
        value = getattr(q, field)
        if value is not None:
            where.append(clause.format(m=d.mark))
            args.append(d.argument(value))
    found = rows(
        f"SELECT {COLUMNS} FROM inspection_events e WHERE {' AND '.join(where)} "
        f"ORDER BY e.id DESC LIMIT {d.mark}",
        [*args, q.limit + 1],
    )
    items = [entry(r) for r in found[: q.limit]]
    more = len(found) > q.limit
    return InspectionPage(items=items, next_cursor=str(items[-1].id) if more else None)


def summary(
    rows: Rows, d: Dialect, *, run_id: str | None, recorded_by: str | None = None
) -> InspectionSummary:
    """Counts of one run (or of everything): by event type, by code, by param."""
    where, args = run_filter(d, run_id, recorded_by)
    total, valid, last_seen = rows(
        f"SELECT COUNT(*), {d.valid_count}, MAX(e.received_at) "
        f"FROM inspection_events e WHERE {where}",
        args,
    )[0]
    return InspectionSummary(
        run_id=run_id,
        total=total,
        valid=valid,
        invalid=total - valid,
        last_seen=last_seen,
        by_event_type=_by_type(rows, d, where, args),
        by_code=_by_code(rows, d, where, args),
        by_param=_by_param(rows, where, args),
    )


def _by_type(rows: Rows, d: Dialect, where: str, args: list[Any]) -> dict[str, TypeCount]:
    found = rows(
        f"""SELECT COALESCE(e.event_type_key, ''), COUNT(*), {d.invalid_count},
            MAX(e.received_at) FROM inspection_events e WHERE {where} GROUP BY 1""",
        args,
    )
    return {key: TypeCount(total, invalid, last) for key, total, invalid, last in found}


def _by_code(rows: Rows, d: Dialect, where: str, args: list[Any]) -> dict[str, CodeCount]:
    found = rows(
        f"""SELECT v.code, COUNT(DISTINCT v.event_id), MAX(v.event_id)
            FROM inspection_violations v JOIN inspection_events e ON e.id = v.event_id
            WHERE {where} GROUP BY v.code""",
        args,
    )
    condition, ids = d.ids_in([sample for _, _, sample in found])
    payloads: dict[int, str] = dict(
        rows(f"SELECT id, payload FROM inspection_events WHERE {condition}", ids)
    )
    return {
        code: CodeCount(events, sample, msgspec.json.decode(payloads[sample]))
        for code, events, sample in found
    }


def _by_param(rows: Rows, where: str, args: list[Any]) -> dict[str, int]:
    found = rows(
        f"""SELECT v.param, COUNT(*) FROM inspection_violations v
            JOIN inspection_events e ON e.id = v.event_id
            WHERE {where} AND v.param IS NOT NULL GROUP BY v.param""",
        args,
    )
    return dict(found)


def count(rows: Rows) -> int:
    (value,) = rows("SELECT count(*) FROM inspection_events", [])[0]
    return int(value)
