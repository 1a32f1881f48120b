"""The SQL of ``export_records`` / ``import_records`` (core/dump.py) on PostgreSQL (:mod:`.store`).

Export reads every table inside one ``REPEATABLE READ READ ONLY`` transaction: one snapshot,
consistent while other replicas go on writing. Import runs inside the caller's write
transaction: it refuses a database holding anything (the tables of ``dump_rows.SCOPE``, as on
SQLite), inserts the rows with their original ids, then moves the ``bigserial`` sequences of
``schemas`` and ``audit`` past them (``setval(pg_get_serial_sequence(...))``), so the next
schema id and audit id follow the imported ones. Text PostgreSQL cannot hold (U+0000) fails
there as every other write does (connections.py maps it to ``InvalidRequest``); the
transaction then writes nothing.
"""

from __future__ import annotations

from typing import Any

from registry.core.config import TypeConfig
from registry.core.dump import ExampleRecord, Records, VersionRecord
from registry.core.errors import DumpInvalid, StoreNotEmpty
from registry.core.model import EventType, StoredSchema
from registry.store import dump_rows
from registry.store.postgres import audit as audit_sql
from registry.store.postgres import rows as db
from registry.store.rows import CONFIG, dumps, stored_schema

_SEQUENCES = (("schemas", "schema_id"), ("audit", "id"))
"""The ``bigserial`` columns an import fills with original ids (migrations.py, 0001)."""


def export(conn: Any) -> Records:
    """Inside a fresh transaction of the caller: every table a registry is, one snapshot."""
    conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
    global_row = conn.execute("SELECT config FROM global_config WHERE id = 1").fetchone()
    return Records(
        event_types=[db.event_type(r) for r in conn.execute(db.TYPE_SQL + " ORDER BY key")],
        schemas=[stored_schema(r) for r in conn.execute(dump_rows.SCHEMAS_SQL)],
        versions=[dump_rows.version(r) for r in conn.execute(dump_rows.VERSIONS_SQL)],
        examples=[dump_rows.example(r) for r in conn.execute(dump_rows.EXAMPLES_SQL)],
        global_config=CONFIG.decode(global_row[0]) if global_row else TypeConfig(),
        audit=audit_sql.every(conn),
    )


def import_into(conn: Any, records: Records) -> None:
    """Inside the caller's write transaction: StoreNotEmpty, or every row with its id."""
    _refuse_duplicate_content(records.versions)
    # no other transaction may add a row between the emptiness check and the inserts
    conn.execute(f"LOCK TABLE {', '.join(dump_rows.SCOPE)} IN SHARE ROW EXCLUSIVE MODE")
    for table in dump_rows.SCOPE:
        if conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone():  # fixed table names
            raise StoreNotEmpty
    with conn.cursor() as cur:
        for sql, values in (
            (_INSERT_TYPE, [_type_row(t) for t in records.event_types]),
            (_INSERT_SCHEMA, [_schema_row(s) for s in records.schemas]),
            (_INSERT_REFERENCE, [r for s in records.schemas for r in _reference_rows(s)]),
            (_INSERT_VERSION, [_version_row(v) for v in records.versions]),
            (_INSERT_EXAMPLE, [_example_row(e) for e in records.examples]),
        ):
            cur.executemany(sql, values)
        if records.global_config != TypeConfig():
            cur.execute(
                "INSERT INTO global_config (id, config) VALUES (1, %s)",
                [dumps(records.global_config)],
            )
        audit_sql.insert_with_ids(cur, records.audit)
    for table, column in _SEQUENCES:  # the next id follows the highest imported one
        conn.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
            f"COALESCE(MAX({column}), 0) + 1, false) FROM {table}"
        )


def _refuse_duplicate_content(versions: list[VersionRecord]) -> None:
    """A SQLite registry may hold two versions of a type on one schema (the registration race
    before its migration 0004); PostgreSQL's ``UNIQUE (key, schema_id)`` cannot, so say which."""
    first: dict[tuple[str, int], int] = {}
    for v in sorted(versions, key=lambda v: (v.key, v.version)):
        original = first.setdefault((v.key, v.schema_id), v.version)
        if original != v.version:
            raise DumpInvalid(
                f"{v.key} v{v.version} holds the same schema as v{original} (a duplicate left "
                "by a registration race before SQLite's 0004_fingerprint_unique); PostgreSQL "
                "keeps one version per content: import it into SQLite instead"
            )


_INSERT_TYPE = """INSERT INTO event_types (key, description, owner, tags, created_at, updated_at,
    deleted_at, config) VALUES (%s, %s, %s, %s::jsonb, %s, %s, %s, %s)"""
_INSERT_SCHEMA = """INSERT INTO schemas (schema_id, fingerprint, schema, refs, resolved)
    VALUES (%s, %s, %s, %s, %s)"""
_INSERT_REFERENCE = "INSERT INTO schema_references VALUES (%s, %s, %s, %s, %s)"
_INSERT_VERSION = """INSERT INTO versions (key, version, schema_id, params, created_at, state,
    sunset, note) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"""
_INSERT_EXAMPLE = """INSERT INTO examples (key, name, payload, expect_valid, description,
    created_at) VALUES (%s, %s, %s, %s, %s, %s)"""


def _type_row(t: EventType) -> tuple[Any, ...]:
    tags, config = dumps(list(t.tags)), dumps(t.config)
    return (t.key, t.description, t.owner, tags, t.created_at, t.updated_at, t.deleted_at, config)


def _schema_row(s: StoredSchema) -> tuple[Any, ...]:
    refs = dumps(s.references) if s.references else None
    resolved = None if s.resolved is None else dumps(s.resolved)
    return (s.schema_id, s.fingerprint, dumps(s.schema), refs, resolved)


def _reference_rows(s: StoredSchema) -> list[tuple[Any, ...]]:
    return [
        (s.schema_id, position, ref.name, ref.event_type_key, ref.version)
        for position, ref in enumerate(s.references)
    ]


def _version_row(v: VersionRecord) -> tuple[Any, ...]:
    params = None if v.params is None else dumps(v.params)
    return (v.key, v.version, v.schema_id, params, v.created_at, v.state, v.sunset, v.note)


def _example_row(e: ExampleRecord) -> tuple[Any, ...]:
    x = e.example
    return (e.key, x.name, dumps(x.payload), x.expect_valid, x.description, x.created_at)
