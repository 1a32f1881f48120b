"""What ``export_records`` reads, shared by every SQL store: the SELECTs of the tables whose
columns are the same on SQLite and PostgreSQL (JSON held as text on both) and their rows as
dump records (core/dump.py). Used by ``dump_sqlite.py`` and ``postgres/dump.py``."""

from __future__ import annotations

from typing import Any

import msgspec

from registry.core.dump import ExampleRecord, VersionRecord
from registry.core.model import Example
from registry.store.rows import SCHEMA_SQL

SCOPE = ("event_types", "schemas", "audit", "global_config")
"""The tables that must be empty for an import (versions and examples need a type)."""
SCHEMAS_SQL = SCHEMA_SQL + " ORDER BY schema_id"
VERSIONS_SQL = """SELECT key, version, schema_id, params, created_at, state, sunset, note
    FROM versions ORDER BY key, version"""
EXAMPLES_SQL = """SELECT key, name, payload, expect_valid, description, created_at
    FROM examples ORDER BY key, name"""


def version(row: tuple[Any, ...]) -> VersionRecord:
    key, number, schema_id, params, created_at, state, sunset, note = row
    return VersionRecord(
        key=key,
        version=number,
        schema_id=schema_id,
        params=None if params is None else msgspec.json.decode(params),
        created_at=created_at,
        state=state,
        sunset=sunset,
        note=note,
    )


def example(row: tuple[Any, ...]) -> ExampleRecord:
    key, name, payload, expect_valid, description, created_at = row
    return ExampleRecord(
        key=key,
        example=Example(
            name=name,
            payload=msgspec.json.decode(payload),
            expect_valid=bool(expect_valid),  # SQLite: 0/1
            description=description,
            created_at=created_at,
        ),
    )
