"""The audit trail's SQL on PostgreSQL (table ``audit``), used by :mod:`.store`.

Writing functions take the connection of a transaction the caller holds, so an entry is
appended in the same transaction as the change it describes; reads take any connection.
"""

from __future__ import annotations

from typing import Any

import msgspec

from registry.core.audit import AuditEntry, AuditPage, AuditQuery, page

_COLUMNS = "id, at, actor, address, action, key, version, name, changes"
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


def append(conn: Any, audit: AuditEntry | None) -> None:
    """Insert ``audit`` (nothing for None) inside the caller's transaction."""
    if audit is None:
        return
    conn.execute(
        """INSERT INTO audit (at, actor, address, action, key, version, name, changes)
           VALUES (%s, %s, %s, %s, %s, %s, %s, %s)""",
        [
            audit.at,
            audit.actor,
            audit.address,
            audit.action,
            audit.key,
            audit.version,
            audit.name,
            _changes(audit),
        ],
    )


def exists(conn: Any, audit: AuditEntry) -> bool:
    """True when an entry with the same action, key, version and changes is there."""
    row = conn.execute(
        """SELECT 1 FROM audit WHERE action = %s AND key IS NOT DISTINCT FROM %s
           AND version IS NOT DISTINCT FROM %s::bigint AND changes = %s LIMIT 1""",
        [audit.action, audit.key, audit.version, _changes(audit)],
    ).fetchone()
    return row is not None


def _entry(row: tuple[Any, ...]) -> AuditEntry:
    id_, at, actor, address, action, key, version, name, changes = row
    return AuditEntry(
        id=id_,
        at=at,
        actor=actor,
        address=address,
        action=action,
        key=key,
        version=version,
        name=name,
        changes=msgspec.json.decode(changes),
    )


def query(conn: Any, q: AuditQuery) -> AuditPage:
    if q.after_id is not None and not _INT64_MIN <= q.after_id <= _INT64_MAX:
        return page([], q.limit)
    where: list[str] = ["TRUE"]
    args: list[Any] = []
    for column, value, op in (
        ("key", q.key, "="),
        ("actor", q.actor, "="),
        ("at", q.since, ">="),
        ("at", q.until, "<"),
        ("id", q.after_id, ">"),
    ):
        if value is not None:
            where.append(f"{column} {op} %s")
            args.append(value)
    if q.actions is not None:
        where.append("action = ANY(%s)")
        args.append(list(q.actions))
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM audit WHERE {' AND '.join(where)} ORDER BY id LIMIT %s",
        [*args, q.limit + 1],
    ).fetchall()
    return page([_entry(r) for r in rows], q.limit)


def every(conn: Any) -> list[AuditEntry]:
    """The whole trail, oldest first (export)."""
    return [_entry(r) for r in conn.execute(f"SELECT {_COLUMNS} FROM audit ORDER BY id")]


def insert_with_ids(cur: Any, entries: list[AuditEntry]) -> None:
    """Insert ``entries`` keeping their ids (import; the caller moves the sequence after)."""
    cur.executemany(
        f"INSERT INTO audit ({_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
        [
            (a.id, a.at, a.actor, a.address, a.action, a.key, a.version, a.name, _changes(a))
            for a in entries
        ],
    )


def _changes(audit: AuditEntry) -> str:
    return msgspec.json.encode(audit.changes).decode()


def last_id(conn: Any) -> int:
    row = conn.execute("SELECT COALESCE(MAX(id), 0) FROM audit").fetchone()
    return int(row[0])


def purge(conn: Any, before: str) -> int:
    return int(conn.execute("DELETE FROM audit WHERE at < %s", [before]).rowcount)
