"""SQLite store over sqlite-utils. The only module that knows SQL or sqlite3 exceptions."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import msgspec
from sqlite_utils.db import Database

from registry.core.audit import AuditEntry
from registry.core.config import TypeConfig
from registry.core.errors import (
    ConcurrentRegistration,
    EventTypeExists,
    EventTypeNotFound,
    ExampleNotFound,
    SchemaNotFound,
    StoreBusy,
    VersionNotFound,
    VersionReferenced,
)
from registry.core.model import (
    EventType,
    EventTypeQuery,
    Example,
    Page,
    Reference,
    Schema,
    SchemaVersion,
    StoredSchema,
)
from registry.core.ports import VersionCheck
from registry.store import audit_sqlite
from registry.store.connections import BUSY_TIMEOUT, Connections
from registry.store.rows import CONFIG, SCHEMA_SQL, VERSION_SQL, dumps, stored_schema
from registry.store.rows import version as version_of
from registry.store.sqlite_operations import SqliteOperations

_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


def _event_type(row: dict[str, Any]) -> EventType:
    return EventType(
        key=row["key"],
        description=row["description"],
        owner=row["owner"],
        tags=tuple(msgspec.json.decode(row["tags"])),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        deleted_at=row["deleted_at"],
        config=CONFIG.decode(row["config"]),
    )


class SqliteStore(SqliteOperations):
    """A file (or ``:memory:``) database; safe to share between threads and processes.

    Reads (and the change token) never wait for a writer: see :mod:`registry.store.connections`.
    """

    def __init__(self, path: str | Path, *, busy_timeout: float = BUSY_TIMEOUT) -> None:
        self._conns = Connections(path, busy_timeout=busy_timeout)
        self._db = self._conns.writer
        self._busy_timeout = busy_timeout
        self._writes = 0

    @contextmanager
    def _write(self) -> Iterator[Database]:
        with self._conns.writing() as db:
            yield db
        self._writes += 1

    def _rows(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> list[tuple[Any, ...]]:
        if any(isinstance(p, int) and not _INT64_MIN <= p <= _INT64_MAX for p in params):
            return []  # SQLite integers are 64-bit: no row can match (and sqlite3 would raise)
        with self._conns.reading() as conn:
            return conn.execute(sql, params).fetchall()

    def _dicts(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> list[dict[str, Any]]:
        with self._conns.reading() as conn:
            cursor = conn.execute(sql, params)
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def change_token(self) -> int:
        """PRAGMA data_version on a connection no writer uses, so it never waits for one."""
        return self._conns.data_version() * 1_000_003 + self._writes

    def create_event_type(
        self, *, event_type: EventType, audit: AuditEntry | None = None
    ) -> EventType:
        row = msgspec.structs.asdict(event_type)
        row["tags"] = dumps(list(event_type.tags))
        row["config"] = dumps(event_type.config)
        try:
            with self._write() as db:
                db.table("event_types").insert(row)
                audit_sqlite.append(db, audit)
        except sqlite3.IntegrityError:
            raise EventTypeExists(event_type.key) from None
        return event_type

    def get_event_type(self, *, key: str) -> EventType:
        rows = self._dicts("SELECT * FROM event_types WHERE key = ?", [key])
        if not rows:
            raise EventTypeNotFound(key)
        return _event_type(rows[0])

    def list_event_types(self, *, query: EventTypeQuery) -> Page:
        where, args = ["substr(key, 1, ?) = ?"], [len(query.prefix), query.prefix]
        if query.after is not None:
            where.append("key > ?")
            args.append(query.after)
        if not query.include_deleted:
            where.append("deleted_at IS NULL")
        if query.tag is not None:
            where.append("EXISTS (SELECT 1 FROM json_each(tags) WHERE value = ?)")
            args.append(query.tag)
        rows = self._dicts(
            f"SELECT * FROM event_types WHERE {' AND '.join(where)} ORDER BY key LIMIT ?",
            [*args, query.limit + 1],
        )
        items = [_event_type(r) for r in rows[: query.limit]]
        more = len(rows) > query.limit
        return Page(items=items, next_cursor=items[-1].key if more and items else None)

    def save_event_type(
        self, *, event_type: EventType, audit: AuditEntry | None = None
    ) -> EventType:
        with self._write() as db:
            cur = db.execute(
                """UPDATE event_types SET description = ?, owner = ?, tags = ?,
                   updated_at = ?, deleted_at = ?, config = ? WHERE key = ?""",
                [
                    event_type.description,
                    event_type.owner,
                    dumps(list(event_type.tags)),
                    event_type.updated_at,
                    event_type.deleted_at,
                    dumps(event_type.config),
                    event_type.key,
                ],
            )
            if cur.rowcount == 0:
                raise EventTypeNotFound(event_type.key)
            audit_sqlite.append(db, audit)
        return event_type

    def delete_event_type(self, *, key: str, audit: AuditEntry | None = None) -> None:
        with self._write() as db:
            referrers = db.execute(
                """SELECT DISTINCT v.key, v.version FROM schema_references r
                   JOIN versions v ON v.schema_id = r.schema_id
                   WHERE r.key = ? AND v.key != ? ORDER BY v.key, v.version""",
                [key, key],
            ).fetchall()
            if referrers:
                raise VersionReferenced(key, [(k, v) for k, v in referrers])
            db.execute("DELETE FROM versions WHERE key = ?", [key])
            db.execute("DELETE FROM examples WHERE key = ?", [key])
            if db.execute("DELETE FROM event_types WHERE key = ?", [key]).rowcount == 0:
                raise EventTypeNotFound(key)
            audit_sqlite.append(db, audit)

    def add_version(
        self,
        *,
        key: str,
        schema: Schema,
        fingerprint: str,
        params: list[Any] | None,
        created_at: str,
        check: VersionCheck | None = None,
        audit: AuditEntry | None = None,
        references: tuple[Reference, ...] = (),
        resolved: Schema | None = None,
    ) -> tuple[SchemaVersion, bool]:
        content = (schema, references, resolved)
        try:
            with self._write() as db:
                added = self._add_version(db, key, content, fingerprint, params, created_at, check)
                if added[1] and audit is not None:
                    numbered = msgspec.structs.replace(audit, version=added[0].version)
                    audit_sqlite.append(db, numbered)
                return added
        except StoreBusy:
            raise ConcurrentRegistration(key, self._busy_timeout) from None

    def _add_version(
        self,
        db: Database,
        key: str,
        content: tuple[Schema, tuple[Reference, ...], Schema | None],
        fingerprint: str,
        params: list[Any] | None,
        created_at: str,
        check: VersionCheck | None,
    ) -> tuple[SchemaVersion, bool]:
        """Inside the write transaction: the same content returns its version, else check+insert."""
        if not db.execute("SELECT 1 FROM event_types WHERE key = ?", [key]).fetchone():
            raise EventTypeNotFound(key)
        same = db.execute(
            VERSION_SQL + " WHERE v.key = ? AND s.fingerprint = ? ORDER BY v.version LIMIT 1",
            [key, fingerprint],
        ).fetchone()
        if same is not None:
            return version_of(same), False
        versions = [
            version_of(r)
            for r in db.execute(VERSION_SQL + " WHERE v.key = ? ORDER BY v.version", [key])
        ]
        if check is not None:
            check(versions)
        schema_id = _insert_schema(db, fingerprint, *content)
        version = versions[-1].version + 1 if versions else 1
        db.execute(
            """INSERT INTO versions (key, version, schema_id, params, created_at)
               VALUES (?, ?, ?, ?, ?)""",
            [key, version, schema_id, None if params is None else dumps(params), created_at],
        )
        row = db.execute(VERSION_SQL + " WHERE v.key = ? AND v.version = ?", [key, version])
        return version_of(row.fetchone()), True

    def find_version(self, *, key: str, fingerprint: str) -> SchemaVersion | None:
        self.get_event_type(key=key)
        rows = self._rows(
            VERSION_SQL + " WHERE v.key = ? AND s.fingerprint = ? ORDER BY v.version LIMIT 1",
            (key, fingerprint),
        )
        return version_of(rows[0]) if rows else None

    def get_version(self, *, key: str, version: int) -> SchemaVersion:
        rows = self._rows(VERSION_SQL + " WHERE v.key = ? AND v.version = ?", (key, version))
        if not rows:
            self.get_event_type(key=key)
            raise VersionNotFound(key, version)
        return version_of(rows[0])

    def list_versions(self, *, key: str) -> list[SchemaVersion]:
        self.get_event_type(key=key)
        rows = self._rows(VERSION_SQL + " WHERE v.key = ? ORDER BY v.version", (key,))
        return [version_of(r) for r in rows]

    def get_schema(self, *, schema_id: int) -> StoredSchema:
        rows = self._rows(SCHEMA_SQL + " WHERE schema_id = ?", (schema_id,))
        if not rows:
            raise SchemaNotFound(schema_id)
        return stored_schema(rows[0])

    def versions_with_schema(self, *, schema_id: int) -> list[SchemaVersion]:
        rows = self._rows(
            VERSION_SQL + " WHERE v.schema_id = ? ORDER BY v.key, v.version", (schema_id,)
        )
        return [version_of(r) for r in rows]

    def referenced_by(self, *, key: str, version: int | None = None) -> list[SchemaVersion]:
        where = "r.key = ?"
        if version is not None:
            where += " AND r.version = ?"
        rows = self._rows(
            VERSION_SQL + " WHERE v.schema_id IN (SELECT r.schema_id FROM schema_references r "
            f"WHERE {where}) ORDER BY v.key, v.version",
            (key,) if version is None else (key, version),
        )
        return [version_of(r) for r in rows]

    def set_version_state(
        self,
        *,
        key: str,
        version: int,
        state: str,
        sunset: str | None,
        note: str | None,
        audit: AuditEntry | None = None,
    ) -> SchemaVersion:
        if not _INT64_MIN <= version <= _INT64_MAX:
            self.get_event_type(key=key)
            raise VersionNotFound(key, version)
        with self._write() as db:
            cur = db.execute(
                "UPDATE versions SET state = ?, sunset = ?, note = ? WHERE key = ? AND version = ?",
                [state, sunset, note, key, version],
            )
            if cur.rowcount:
                audit_sqlite.append(db, audit)
        if cur.rowcount == 0:
            self.get_event_type(key=key)
            raise VersionNotFound(key, version)
        return self.get_version(key=key, version=version)

    def get_global_config(self) -> TypeConfig:
        rows = self._rows("SELECT config FROM global_config WHERE id = 1")
        return CONFIG.decode(rows[0][0]) if rows else TypeConfig()

    def put_global_config(
        self, *, config: TypeConfig, audit: AuditEntry | None = None
    ) -> TypeConfig:
        with self._write() as db:
            db.execute(
                "INSERT OR REPLACE INTO global_config (id, config) VALUES (1, ?)",
                [dumps(config)],
            )
            audit_sqlite.append(db, audit)
        return config

    def put_example(
        self, *, key: str, example: Example, audit: AuditEntry | None = None
    ) -> Example:
        self.get_event_type(key=key)
        with self._write() as db:
            db.execute(
                """INSERT OR REPLACE INTO examples
                   (key, name, payload, expect_valid, description, created_at)
                   VALUES (?, ?, ?, ?, ?, ?)""",
                [
                    key,
                    example.name,
                    dumps(example.payload),
                    int(example.expect_valid),
                    example.description,
                    example.created_at,
                ],
            )
            audit_sqlite.append(db, audit)
        return example

    def list_examples(self, *, key: str) -> list[Example]:
        self.get_event_type(key=key)
        rows = self._rows(
            """SELECT name, payload, expect_valid, description, created_at FROM examples
               WHERE key = ? ORDER BY name""",
            (key,),
        )
        return [
            Example(
                name=name,
                payload=msgspec.json.decode(payload),
                expect_valid=bool(expect_valid),
                description=description,
                created_at=created_at,
            )
            for name, payload, expect_valid, description, created_at in rows
        ]

    def delete_example(self, *, key: str, name: str, audit: AuditEntry | None = None) -> None:
        self.get_event_type(key=key)
        with self._write() as db:
            cur = db.execute("DELETE FROM examples WHERE key = ? AND name = ?", [key, name])
            if cur.rowcount:
                audit_sqlite.append(db, audit)
        if cur.rowcount == 0:
            raise ExampleNotFound(key, name)

    def close(self) -> None:
        self._conns.close()


def _insert_schema(
    db: Database,
    fingerprint: str,
    schema: Schema,
    references: tuple[Reference, ...],
    resolved: Schema | None,
) -> int:
    """The id of the content ``fingerprint``, inserting it (and its references) when new."""
    row = db.execute(
        "SELECT schema_id FROM schemas WHERE fingerprint = ?", [fingerprint]
    ).fetchone()
    if row is not None:
        return int(row[0])
    cursor = db.execute(
        "INSERT INTO schemas (fingerprint, schema, refs, resolved) VALUES (?, ?, ?, ?)",
        [
            fingerprint,
            dumps(schema),
            dumps(references) if references else None,
            None if resolved is None else dumps(resolved),
        ],
    )
    schema_id = int(cursor.lastrowid or 0)
    for position, ref in enumerate(references):
        db.execute(
            "INSERT INTO schema_references VALUES (?, ?, ?, ?, ?)",
            [schema_id, position, ref.name, ref.event_type_key, ref.version],
        )
    return schema_id
