"""PostgreSQL SchemaStore and RepresentationClock: several replicas share one database.

The version number and the one-content-per-type rule are constraints (``PRIMARY KEY (key,
version)``, ``UNIQUE (key, schema_id)``); ``add_version`` runs in one transaction that first
locks the event type's row (``SELECT ... FOR UPDATE``), so concurrent registrations of a type,
from any replica, wait for each other and each is checked against the versions before it.
Every write that changes something announces it (connections.py), which keeps every replica's
change token, and so its caches, current.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import msgspec
import psycopg
import psycopg.errors

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
from registry.store.postgres import audit as audit_sql
from registry.store.postgres import rows as db
from registry.store.postgres.connections import LOCK_TIMEOUT, ChangeListener, Pool, announce
from registry.store.postgres.operations import PostgresOperations
from registry.store.rows import CONFIG, SCHEMA_SQL, VERSION_SQL, dumps, stored_schema
from registry.store.rows import version as version_of


class PostgresStore(PostgresOperations):
    """A ``postgresql://`` database shared by any number of processes and machines."""

    def __init__(self, url: str, *, timeout: float = 5.0, pool_size: int = 10) -> None:
        self._pool = Pool(url, timeout=timeout, size=pool_size, name="event-registry-store")
        try:
            self._listener = ChangeListener(self._pool)
        except BaseException:
            self._pool.close()
            raise

    @contextmanager
    def _write(self) -> Iterator[psycopg.Connection[Any]]:
        """A write transaction that announces its change (an exception rolls back, silently)."""
        with self._pool.transaction() as conn:
            yield conn
            announce(conn)
        self._listener.bump()

    def _rows(self, sql: str, args: list[Any] | tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._pool.reading() as conn:
            return conn.execute(sql, args).fetchall()

    def change_token(self) -> int:
        """A local number, moved by the LISTEN thread (connections.py): no round trip."""
        return self._listener.token()

    def create_event_type(
        self, *, event_type: EventType, audit: AuditEntry | None = None
    ) -> EventType:
        e = event_type
        try:
            with self._write() as conn:
                conn.execute(
                    """INSERT INTO event_types (key, description, owner, tags, created_at,
                       updated_at, deleted_at, config)
                       VALUES (%s, %s, %s, %s::jsonb, %s, %s, %s, %s)""",
                    [
                        e.key,
                        e.description,
                        e.owner,
                        dumps(list(e.tags)),
                        e.created_at,
                        e.updated_at,
                        e.deleted_at,
                        dumps(e.config),
                    ],
                )
                audit_sql.append(conn, audit)
        except psycopg.errors.UniqueViolation:
            raise EventTypeExists(event_type.key) from None
        return event_type

    def get_event_type(self, *, key: str) -> EventType:
        rows = self._rows(db.TYPE_SQL + " WHERE key = %s", [key])
        if not rows:
            raise EventTypeNotFound(key)
        return db.event_type(rows[0])

    def list_event_types(self, *, query: EventTypeQuery) -> Page:
        where, args = ["starts_with(key, %s)"], [query.prefix]
        if query.after is not None:
            where.append("key > %s")
            args.append(query.after)
        if not query.include_deleted:
            where.append("deleted_at IS NULL")
        if query.tag is not None:
            where.append("tags @> jsonb_build_array(%s::text)")
            args.append(query.tag)
        rows = self._rows(
            f"{db.TYPE_SQL} WHERE {' AND '.join(where)} ORDER BY key LIMIT %s",
            [*args, query.limit + 1],
        )
        items = [db.event_type(r) for r in rows[: query.limit]]
        more = len(rows) > query.limit
        return Page(items=items, next_cursor=items[-1].key if more and items else None)

    def save_event_type(
        self, *, event_type: EventType, audit: AuditEntry | None = None
    ) -> EventType:
        e = event_type
        with self._write() as conn:
            cur = conn.execute(
                """UPDATE event_types SET description = %s, owner = %s, tags = %s::jsonb,
                   updated_at = %s, deleted_at = %s, config = %s WHERE key = %s""",
                [
                    e.description,
                    e.owner,
                    dumps(list(e.tags)),
                    e.updated_at,
                    e.deleted_at,
                    dumps(e.config),
                    e.key,
                ],
            )
            if cur.rowcount == 0:
                raise EventTypeNotFound(e.key)
            audit_sql.append(conn, audit)
        return event_type

    def delete_event_type(self, *, key: str, audit: AuditEntry | None = None) -> None:
        with self._write() as conn:
            if not db.type_exists(conn, key, lock=True):
                raise EventTypeNotFound(key)
            referrers = conn.execute(
                """SELECT DISTINCT v.key, v.version FROM schema_references r
                   JOIN versions v ON v.schema_id = r.schema_id
                   WHERE r.key = %s AND v.key <> %s ORDER BY v.key, v.version""",
                [key, key],
            ).fetchall()
            if referrers:
                raise VersionReferenced(key, [(k, v) for k, v in referrers])
            conn.execute("DELETE FROM versions WHERE key = %s", [key])
            conn.execute("DELETE FROM examples WHERE key = %s", [key])
            conn.execute("DELETE FROM event_types WHERE key = %s", [key])
            audit_sql.append(conn, audit)

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
            with self._pool.transaction() as conn:
                added = self._add_version(
                    conn, key, content, fingerprint, params, created_at, check
                )
                if added[1]:
                    if audit is not None:
                        numbered = msgspec.structs.replace(audit, version=added[0].version)
                        audit_sql.append(conn, numbered)
                    announce(conn)
        except StoreBusy:
            raise ConcurrentRegistration(key, LOCK_TIMEOUT) from None
        if added[1]:
            self._listener.bump()
        return added

    def _add_version(
        self,
        conn: psycopg.Connection[Any],
        key: str,
        content: tuple[Schema, tuple[Reference, ...], Schema | None],
        fingerprint: str,
        params: list[Any] | None,
        created_at: str,
        check: VersionCheck | None,
    ) -> tuple[SchemaVersion, bool]:
        """Under the type's row lock: the same content returns its version, else check+insert."""
        if not db.type_exists(conn, key, lock=True):
            raise EventTypeNotFound(key)
        same = conn.execute(
            VERSION_SQL + " WHERE v.key = %s AND s.fingerprint = %s ORDER BY v.version LIMIT 1",
            [key, fingerprint],
        ).fetchone()
        if same is not None:
            return version_of(same), False
        rows = conn.execute(VERSION_SQL + " WHERE v.key = %s ORDER BY v.version", [key])
        versions = [version_of(r) for r in rows.fetchall()]
        if check is not None:
            check(versions)
        schema_id = db.insert_schema(conn, fingerprint, *content)
        version = versions[-1].version + 1 if versions else 1
        conn.execute(
            """INSERT INTO versions (key, version, schema_id, params, created_at)
               VALUES (%s, %s, %s, %s, %s)""",
            [key, version, schema_id, None if params is None else dumps(params), created_at],
        )
        row = conn.execute(VERSION_SQL + " WHERE v.key = %s AND v.version = %s", [key, version])
        return version_of(row.fetchone() or ()), True

    def find_version(self, *, key: str, fingerprint: str) -> SchemaVersion | None:
        self.get_event_type(key=key)
        rows = self._rows(
            VERSION_SQL + " WHERE v.key = %s AND s.fingerprint = %s ORDER BY v.version LIMIT 1",
            [key, fingerprint],
        )
        return version_of(rows[0]) if rows else None

    def get_version(self, *, key: str, version: int) -> SchemaVersion:
        rows = (
            self._rows(VERSION_SQL + " WHERE v.key = %s AND v.version = %s", [key, version])
            if db.in_range(version)
            else []
        )
        if not rows:
            self.get_event_type(key=key)
            raise VersionNotFound(key, version)
        return version_of(rows[0])

    def list_versions(self, *, key: str) -> list[SchemaVersion]:
        self.get_event_type(key=key)
        rows = self._rows(VERSION_SQL + " WHERE v.key = %s ORDER BY v.version", [key])
        return [version_of(r) for r in rows]

    def get_schema(self, *, schema_id: int) -> StoredSchema:
        sql = SCHEMA_SQL + " WHERE schema_id = %s"
        rows = self._rows(sql, [schema_id]) if db.in_range(schema_id) else []
        if not rows:
            raise SchemaNotFound(schema_id)
        return stored_schema(rows[0])

    def versions_with_schema(self, *, schema_id: int) -> list[SchemaVersion]:
        if not db.in_range(schema_id):
            return []
        sql = VERSION_SQL + " WHERE v.schema_id = %s ORDER BY v.key, v.version"
        return [version_of(r) for r in self._rows(sql, [schema_id])]

    def referenced_by(self, *, key: str, version: int | None = None) -> list[SchemaVersion]:
        if version is not None and not db.in_range(version):
            return []
        where, args = (
            ("r.key = %s", [key])
            if version is None
            else ("r.key = %s AND r.version = %s", [key, version])
        )
        rows = self._rows(
            VERSION_SQL + " WHERE v.schema_id IN (SELECT r.schema_id FROM schema_references r "
            f"WHERE {where}) ORDER BY v.key, v.version",
            args,
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
        if not db.in_range(version):
            self.get_event_type(key=key)
            raise VersionNotFound(key, version)
        with self._write() as conn:
            cur = conn.execute(
                "UPDATE versions SET state = %s, sunset = %s, note = %s "
                "WHERE key = %s AND version = %s",
                [state, sunset, note, key, version],
            )
            if cur.rowcount == 0:
                if not db.type_exists(conn, key):
                    raise EventTypeNotFound(key)
                raise VersionNotFound(key, version)
            audit_sql.append(conn, audit)
        return self.get_version(key=key, version=version)

    def get_global_config(self) -> TypeConfig:
        rows = self._rows("SELECT config FROM global_config WHERE id = 1")
        return CONFIG.decode(rows[0][0]) if rows else TypeConfig()

    def put_global_config(
        self, *, config: TypeConfig, audit: AuditEntry | None = None
    ) -> TypeConfig:
        with self._write() as conn:
            conn.execute(
                "INSERT INTO global_config (id, config) VALUES (1, %s) "
                "ON CONFLICT (id) DO UPDATE SET config = EXCLUDED.config",
                [dumps(config)],
            )
            audit_sql.append(conn, audit)
        return config

    def put_example(
        self, *, key: str, example: Example, audit: AuditEntry | None = None
    ) -> Example:
        x = example
        with self._write() as conn:
            if not db.type_exists(conn, key, lock=True):
                raise EventTypeNotFound(key)
            conn.execute(
                """INSERT INTO examples (key, name, payload, expect_valid, description, created_at)
                   VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (key, name) DO UPDATE SET
                   payload = EXCLUDED.payload, expect_valid = EXCLUDED.expect_valid,
                   description = EXCLUDED.description, created_at = EXCLUDED.created_at""",
                [key, x.name, dumps(x.payload), x.expect_valid, x.description, x.created_at],
            )
            audit_sql.append(conn, audit)
        return example

    def list_examples(self, *, key: str) -> list[Example]:
        self.get_event_type(key=key)
        rows = self._rows(
            """SELECT name, payload, expect_valid, description, created_at FROM examples
               WHERE key = %s ORDER BY name""",
            [key],
        )
        return [
            Example(
                name=name,
                payload=msgspec.json.decode(payload),
                expect_valid=expect,
                description=description,
                created_at=created,
            )
            for name, payload, expect, description, created in rows
        ]

    def delete_example(self, *, key: str, name: str, audit: AuditEntry | None = None) -> None:
        with self._write() as conn:
            if not db.type_exists(conn, key):
                raise EventTypeNotFound(key)
            cur = conn.execute("DELETE FROM examples WHERE key = %s AND name = %s", [key, name])
            if cur.rowcount == 0:
                raise ExampleNotFound(key, name)
            audit_sql.append(conn, audit)

    def close(self) -> None:
        self._listener.close()
        self._pool.close()
