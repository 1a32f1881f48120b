"""Rows to domain values (and back) for the PostgreSQL store."""

from __future__ import annotations

from typing import Any

import psycopg

from registry.core.model import EventType, Reference, Schema
from registry.store.rows import CONFIG, dumps

TYPE_SQL = """SELECT key, description, owner, tags, created_at, updated_at, deleted_at, config
    FROM event_types"""
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


def in_range(value: int) -> bool:
    return _INT64_MIN <= value <= _INT64_MAX


def event_type(row: tuple[Any, ...]) -> EventType:
    key, description, owner, tags, created_at, updated_at, deleted_at, config = row
    return EventType(
        key=key,
        description=description,
        owner=owner,
        tags=tuple(tags),
        created_at=created_at,
        updated_at=updated_at,
        deleted_at=deleted_at,
        config=CONFIG.decode(config),
    )


def type_exists(conn: psycopg.Connection[Any], key: str, *, lock: bool = False) -> bool:
    sql = "SELECT 1 FROM event_types WHERE key = %s" + (" FOR UPDATE" if lock else "")
    return conn.execute(sql, [key]).fetchone() is not None


def insert_schema(
    conn: psycopg.Connection[Any],
    fingerprint: str,
    schema: Schema,
    references: tuple[Reference, ...],
    resolved: Schema | None,
) -> int:
    """The id of the content ``fingerprint``, inserting it (and its references) when new; a
    transaction inserting the same content at once waits, then finds it (ON CONFLICT)."""
    inserted = conn.execute(
        "INSERT INTO schemas (fingerprint, schema, refs, resolved) VALUES (%s, %s, %s, %s) "
        "ON CONFLICT (fingerprint) DO NOTHING RETURNING schema_id",
        [
            fingerprint,
            dumps(schema),
            dumps(references) if references else None,
            None if resolved is None else dumps(resolved),
        ],
    ).fetchone()
    if inserted is None:
        found = conn.execute(
            "SELECT schema_id FROM schemas WHERE fingerprint = %s", [fingerprint]
        ).fetchone()
        assert found is not None  # committed by the transaction that inserted it first
        return int(found[0])
    schema_id = int(inserted[0])
    for position, ref in enumerate(references):
        conn.execute(
            "INSERT INTO schema_references VALUES (%s, %s, %s, %s, %s)",
            [schema_id, position, ref.name, ref.event_type_key, ref.version],
        )
    return schema_id
