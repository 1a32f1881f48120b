"""The audit trail's SQL (table ``audit``, migration 0006_audit), used by :mod:`.sqlite`.

Writing functions take the ``Database`` of a transaction the caller already holds, so an entry
is appended in the same transaction as the change it describes; reads take any connection.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import msgspec
from sqlite_utils.db import Database

from registry.core.audit import AuditEntry, AuditPage, AuditQuery, page

_COLUMNS = "id, at, actor, address, action, key, version, name, changes"


def append(db: Database, audit: AuditEntry | None) -> None:
    """Insert ``audit`` (nothing for None) inside the caller's transaction."""
    if audit is None:
        return
    db.execute(
        """INSERT INTO audit (at, actor, address, action, key, version, name, changes)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            audit.at,
            audit.actor,
            audit.address,
            audit.action,
            audit.key,
            audit.version,
            audit.name,
            msgspec.json.encode(audit.changes).decode(),
        ],
    )


def exists(db: Database, audit: AuditEntry) -> bool:
    """True when an entry with the same action, key, version and changes is there."""
    row = db.execute(
        """SELECT 1 FROM audit WHERE action = ? AND key IS ? AND version IS ? AND changes = ?
           LIMIT 1""",
        [audit.action, audit.key, audit.version, msgspec.json.encode(audit.changes).decode()],
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


def query(db: Database | sqlite3.Connection, q: AuditQuery) -> AuditPage:
    where, args = ["1 = 1"], []
    for column, value, op in (
        ("key", q.key, "="),
        ("actor", q.actor, "="),
        ("at", q.since, ">="),
        ("at", q.until, "<"),
        ("id", q.after_id, ">"),
    ):
        if value is not None:
            where.append(f"{column} {op} ?")
            args.append(value)
    if q.actions is not None:
        where.append(f"action IN ({', '.join('?' * len(q.actions))})")
        args.extend(q.actions)
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM audit WHERE {' AND '.join(where)} ORDER BY id LIMIT ?",
        [*args, q.limit + 1],
    ).fetchall()
    return page([_entry(r) for r in rows], q.limit)


def last_id(db: Database | sqlite3.Connection) -> int:
    (value,) = db.execute("SELECT COALESCE(MAX(id), 0) FROM audit").fetchone()
    return int(value)


def purge(db: Database, before: str) -> int:
    return int(db.execute("DELETE FROM audit WHERE at < ?", [before]).rowcount)


def every(db: Database | sqlite3.Connection) -> list[AuditEntry]:
    """The whole trail, oldest first (export)."""
    return [_entry(r) for r in db.execute(f"SELECT {_COLUMNS} FROM audit ORDER BY id")]
