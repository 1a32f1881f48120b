"""The SQL of ``export_records`` / ``import_records`` (core/dump.py), used by :mod:`.sqlite`.

Export reads every table inside one read transaction (a WAL snapshot: consistent while writers
go on). Import runs inside the caller's write transaction: it refuses a database holding
anything, inserts the rows with their original ids, and lets SQLite's AUTOINCREMENT sequences
(``sqlite_sequence``) move past them, so the next schema id and audit id follow the imported ones.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import msgspec
from sqlite_utils.db import Database

from registry.core.audit import AuditEntry
from registry.core.config import TypeConfig
from registry.core.dump import Records, VersionRecord
from registry.core.errors import StoreNotEmpty
from registry.core.model import EventType
from registry.store import audit_sqlite, dump_rows
from registry.store.rows import CONFIG, dumps, stored_schema


def export(conn: sqlite3.Connection) -> Records:
    """Every table a registry is, read in one snapshot."""
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")
    try:
        return Records(
            event_types=[_event_type(r) for r in conn.execute(_TYPES_SQL)],
            schemas=[stored_schema(r) for r in conn.execute(dump_rows.SCHEMAS_SQL)],
            versions=[dump_rows.version(r) for r in conn.execute(dump_rows.VERSIONS_SQL)],
            examples=[dump_rows.example(r) for r in conn.execute(dump_rows.EXAMPLES_SQL)],
            global_config=_global(conn),
            audit=audit_sqlite.every(conn),
        )
    finally:
        if own:
            conn.execute("COMMIT")


_TYPES_SQL = """SELECT key, description, owner, tags, created_at, updated_at, deleted_at, config
    FROM event_types ORDER BY key"""


def _event_type(row: tuple[Any, ...]) -> EventType:
    key, description, owner, tags, created_at, updated_at, deleted_at, config = row
    return EventType(
        key=key,
        description=description,
        owner=owner,
        tags=tuple(msgspec.json.decode(tags)),
        created_at=created_at,
        updated_at=updated_at,
        deleted_at=deleted_at,
        config=CONFIG.decode(config),
    )


def _global(conn: sqlite3.Connection) -> TypeConfig:
    row = conn.execute("SELECT config FROM global_config WHERE id = 1").fetchone()
    return CONFIG.decode(row[0]) if row else TypeConfig()


def import_into(db: Database, records: Records) -> None:
    """Inside the caller's write transaction: StoreNotEmpty, or every row with its id."""
    for table in dump_rows.SCOPE:
        if db.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone():  # fixed table names
            raise StoreNotEmpty
    for t in records.event_types:
        db.execute(
            """INSERT INTO event_types (key, description, owner, tags, created_at, updated_at,
               deleted_at, config) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                *(t.key, t.description, t.owner, dumps(list(t.tags))),
                *(t.created_at, t.updated_at, t.deleted_at, dumps(t.config)),
            ],
        )
    for s in records.schemas:
        db.execute(
            "INSERT INTO schemas (schema_id, fingerprint, schema, refs, resolved) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                *(s.schema_id, s.fingerprint, dumps(s.schema)),
                dumps(s.references) if s.references else None,
                None if s.resolved is None else dumps(s.resolved),
            ],
        )
        for position, ref in enumerate(s.references):
            db.execute(
                "INSERT INTO schema_references VALUES (?, ?, ?, ?, ?)",
                [s.schema_id, position, ref.name, ref.event_type_key, ref.version],
            )
    _insert_versions(db, records.versions)
    for e in records.examples:
        x = e.example
        db.execute(
            """INSERT INTO examples (key, name, payload, expect_valid, description, created_at)
               VALUES (?, ?, ?, ?, ?, ?)""",
            [e.key, x.name, dumps(x.payload), int(x.expect_valid), x.description, x.created_at],
        )
    if records.global_config != TypeConfig():
        db.execute(
            "INSERT INTO global_config (id, config) VALUES (1, ?)", [dumps(records.global_config)]
        )
    for entry in records.audit:
        _insert_audit(db, entry)


def _insert_versions(db: Database, versions: list[VersionRecord]) -> None:
    """A later version holding the same content as an earlier one of its type (left by the
    pre-0004 registration race) keeps its number and gets ``duplicate_of``, as 0004 did."""
    first: dict[tuple[str, int], int] = {}
    for v in sorted(versions, key=lambda v: (v.key, v.version)):
        original = first.setdefault((v.key, v.schema_id), v.version)
        params = None if v.params is None else dumps(v.params)
        duplicate_of = original if original != v.version else None
        db.execute(
            """INSERT INTO versions (key, version, schema_id, params, created_at, state, sunset,
               note, duplicate_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                v.key,
                v.version,
                v.schema_id,
                params,
                v.created_at,
                v.state,
                v.sunset,
                v.note,
                duplicate_of,
            ],
        )


def _insert_audit(db: Database, a: AuditEntry) -> None:
    db.execute(
        """INSERT INTO audit (id, at, actor, address, action, key, version, name, changes)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [a.id, a.at, a.actor, a.address, a.action, a.key, a.version, a.name, dumps(a.changes)],
    )
