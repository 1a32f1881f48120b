"""Rows to domain values for every SQL store (SQLite and PostgreSQL hold JSON as text alike):
the version SELECT with its schema and the schema SELECT, their rows as domain values, and the JSON
encoder and decoders the stores write and read columns with."""

from __future__ import annotations

from typing import Any

import msgspec

from registry.core.config import TypeConfig
from registry.core.model import Reference, SchemaVersion, StoredSchema

VERSION_SQL = """SELECT v.key, v.version, v.schema_id, s.fingerprint, s.schema, v.params,
    v.created_at, v.state, v.sunset, v.note, s.refs, s.resolved
    FROM versions v JOIN schemas s ON s.schema_id = v.schema_id"""
"""Every column of a version and of its schema; callers add WHERE and ORDER BY."""
SCHEMA_SQL = "SELECT schema_id, fingerprint, schema, refs, resolved FROM schemas"
"""Every column of a stored schema (content); callers add WHERE and ORDER BY."""
CONFIG = msgspec.json.Decoder(TypeConfig)
REFS = msgspec.json.Decoder(tuple[Reference, ...])


def dumps(value: Any) -> str:
    """A value as the JSON text a column holds."""
    return msgspec.json.encode(value).decode()


def version(row: tuple[Any, ...]) -> SchemaVersion:
    """One row of :data:`VERSION_SQL`."""
    key, number, schema_id, fp, schema, params, created_at, state, sunset, note, refs, res = row
    return SchemaVersion(
        key=key,
        version=number,
        schema_id=schema_id,
        fingerprint=fp,
        schema=msgspec.json.decode(schema),
        params=None if params is None else msgspec.json.decode(params),
        created_at=created_at,
        state=state,
        sunset=sunset,
        note=note,
        references=() if refs is None else REFS.decode(refs),
        resolved=None if res is None else msgspec.json.decode(res),
    )


def stored_schema(row: tuple[Any, ...]) -> StoredSchema:
    """One row of :data:`SCHEMA_SQL`."""
    schema_id, fp, document, refs, resolved = row
    return StoredSchema(
        schema_id=schema_id,
        fingerprint=fp,
        schema=msgspec.json.decode(document),
        references=() if refs is None else REFS.decode(refs),
        resolved=None if resolved is None else msgspec.json.decode(resolved),
    )
