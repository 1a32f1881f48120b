"""SQLite store over sqlite-utils. The only module that knows SQL or sqlite3 exceptions."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import msgspec
from sqlite_utils.db import Database

from registry.core.config import TypeConfig
from registry.core.errors import (
    ConcurrentRegistration,
    EventTypeExists,
    EventTypeNotFound,
    ExampleNotFound,
    SchemaNotFound,
    VersionNotFound,
)
from registry.core.model import (
    EventType,
    EventTypeQuery,
    Example,
    Page,
    Schema,
    SchemaVersion,
    StoredSchema,
)
from registry.store.migrations import MIGRATIONS
from registry.store.representations import MAX_REPRESENTATIONS, advance

_VERSION_SQL = """SELECT v.key, v.version, v.schema_id, s.fingerprint, s.schema, v.params,
    v.created_at, v.state, v.sunset, v.note
    FROM versions v JOIN schemas s ON s.schema_id = v.schema_id"""
_CONFIG = msgspec.json.Decoder(TypeConfig)


def _dumps(value: Any) -> str:
    return msgspec.json.encode(value).decode()


def _event_type(row: dict[str, Any]) -> EventType:
    return EventType(
        key=row["key"],
        description=row["description"],
        owner=row["owner"],
        tags=tuple(msgspec.json.decode(row["tags"])),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        deleted_at=row["deleted_at"],
        config=_CONFIG.decode(row["config"]),
    )


def _version(row: tuple[Any, ...]) -> SchemaVersion:
    key, version, schema_id, fp, schema, params, created_at, state, sunset, note = row
    return SchemaVersion(
        key=key,
        version=version,
        schema_id=schema_id,
        fingerprint=fp,
        schema=msgspec.json.decode(schema),
        params=None if params is None else msgspec.json.decode(params),
        created_at=created_at,
        state=state,
        sunset=sunset,
        note=note,
    )


class SqliteStore:
    """A file (or ``:memory:``) database; safe to share between threads and processes."""

    def __init__(self, path: str | Path) -> None:
        conn = sqlite3.connect(
            str(path), check_same_thread=False, isolation_level=None, timeout=30.0
        )
        self._db = Database(conn)
        self._lock = threading.RLock()
        self._writes = 0
        if str(path) != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.execute("PRAGMA busy_timeout=30000")
        with self._lock:
            MIGRATIONS.apply(self._db)

    @contextmanager
    def _write(self) -> Iterator[Database]:
        """An IMMEDIATE transaction: takes the write lock up front so concurrent writers queue."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
            self._writes += 1

    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def change_token(self) -> int:
        (data_version,) = self._rows("PRAGMA data_version")[0]
        return int(data_version) * 1_000_003 + self._writes

    def create_event_type(self, *, event_type: EventType) -> EventType:
        row = msgspec.structs.asdict(event_type)
        row["tags"] = _dumps(list(event_type.tags))
        row["config"] = _dumps(event_type.config)
        try:
            with self._write() as db:
                db.table("event_types").insert(row)
        except sqlite3.IntegrityError:
            raise EventTypeExists(event_type.key) from None
        return event_type

    def get_event_type(self, *, key: str) -> EventType:
        with self._lock:
            rows = list(self._db.table("event_types").rows_where("key = ?", [key]))
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
        with self._lock:
            rows = list(
                self._db.table("event_types").rows_where(
                    " AND ".join(where), args, order_by="key", limit=query.limit + 1
                )
            )
        items = [_event_type(r) for r in rows[: query.limit]]
        more = len(rows) > query.limit
        return Page(items=items, next_cursor=items[-1].key if more and items else None)

    def save_event_type(self, *, event_type: EventType) -> EventType:
        with self._write() as db:
            cur = db.execute(
                """UPDATE event_types SET description = ?, owner = ?, tags = ?,
                   updated_at = ?, deleted_at = ?, config = ? WHERE key = ?""",
                [
                    event_type.description,
                    event_type.owner,
                    _dumps(list(event_type.tags)),
                    event_type.updated_at,
                    event_type.deleted_at,
                    _dumps(event_type.config),
                    event_type.key,
                ],
            )
            if cur.rowcount == 0:
                raise EventTypeNotFound(event_type.key)
        return event_type

    def delete_event_type(self, *, key: str) -> None:
        with self._write() as db:
            db.execute("DELETE FROM versions WHERE key = ?", [key])
            db.execute("DELETE FROM examples WHERE key = ?", [key])
            if db.execute("DELETE FROM event_types WHERE key = ?", [key]).rowcount == 0:
                raise EventTypeNotFound(key)

    def add_version(
        self,
        *,
        key: str,
        schema: Schema,
        fingerprint: str,
        params: list[Any] | None,
        created_at: str,
        expected_latest: int | None = None,
    ) -> SchemaVersion:
        with self._write() as db:
            if not db.execute("SELECT 1 FROM event_types WHERE key = ?", [key]).fetchone():
                raise EventTypeNotFound(key)
            (latest,) = db.execute(
                "SELECT COALESCE(MAX(version), 0) FROM versions WHERE key = ?", [key]
            ).fetchone()
            if expected_latest is not None and latest != expected_latest:
                raise ConcurrentRegistration(key, expected_latest, latest)
            db.execute(
                "INSERT OR IGNORE INTO schemas (fingerprint, schema) VALUES (?, ?)",
                [fingerprint, _dumps(schema)],
            )
            (schema_id,) = db.execute(
                "SELECT schema_id FROM schemas WHERE fingerprint = ?", [fingerprint]
            ).fetchone()
            version = latest + 1
            db.execute(
                """INSERT INTO versions (key, version, schema_id, params, created_at)
                   VALUES (?, ?, ?, ?, ?)""",
                [key, version, schema_id, None if params is None else _dumps(params), created_at],
            )
        return self.get_version(key=key, version=version)

    def find_version(self, *, key: str, fingerprint: str) -> SchemaVersion | None:
        self.get_event_type(key=key)
        rows = self._rows(
            _VERSION_SQL + " WHERE v.key = ? AND s.fingerprint = ? ORDER BY v.version LIMIT 1",
            (key, fingerprint),
        )
        return _version(rows[0]) if rows else None

    def get_version(self, *, key: str, version: int) -> SchemaVersion:
        rows = self._rows(_VERSION_SQL + " WHERE v.key = ? AND v.version = ?", (key, version))
        if not rows:
            self.get_event_type(key=key)
            raise VersionNotFound(key, version)
        return _version(rows[0])

    def list_versions(self, *, key: str) -> list[SchemaVersion]:
        self.get_event_type(key=key)
        rows = self._rows(_VERSION_SQL + " WHERE v.key = ? ORDER BY v.version", (key,))
        return [_version(r) for r in rows]

    def get_schema(self, *, schema_id: int) -> StoredSchema:
        rows = self._rows(
            "SELECT schema_id, fingerprint, schema FROM schemas WHERE schema_id = ?", (schema_id,)
        )
        if not rows:
            raise SchemaNotFound(schema_id)
        sid, fp, schema = rows[0]
        return StoredSchema(schema_id=sid, fingerprint=fp, schema=msgspec.json.decode(schema))

    def set_version_state(
        self, *, key: str, version: int, state: str, sunset: str | None, note: str | None
    ) -> SchemaVersion:
        with self._write() as db:
            cur = db.execute(
                "UPDATE versions SET state = ?, sunset = ?, note = ? WHERE key = ? AND version = ?",
                [state, sunset, note, key, version],
            )
        if cur.rowcount == 0:
            self.get_event_type(key=key)
            raise VersionNotFound(key, version)
        return self.get_version(key=key, version=version)

    def get_global_config(self) -> TypeConfig:
        rows = self._rows("SELECT config FROM global_config WHERE id = 1")
        return _CONFIG.decode(rows[0][0]) if rows else TypeConfig()

    def put_global_config(self, *, config: TypeConfig) -> TypeConfig:
        with self._write() as db:
            db.execute(
                "INSERT OR REPLACE INTO global_config (id, config) VALUES (1, ?)", [_dumps(config)]
            )
        return config

    def put_example(self, *, key: str, example: Example) -> Example:
        self.get_event_type(key=key)
        with self._write() as db:
            db.execute(
                """INSERT OR REPLACE INTO examples
                   (key, name, payload, expect_valid, description, created_at)
                   VALUES (?, ?, ?, ?, ?, ?)""",
                [
                    key,
                    example.name,
                    _dumps(example.payload),
                    int(example.expect_valid),
                    example.description,
                    example.created_at,
                ],
            )
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

    def delete_example(self, *, key: str, name: str) -> None:
        self.get_event_type(key=key)
        with self._write() as db:
            cur = db.execute("DELETE FROM examples WHERE key = ? AND name = ?", [key, name])
        if cur.rowcount == 0:
            raise ExampleNotFound(key, name)

    def all_keys(self) -> list[str]:
        rows = self._rows("SELECT key FROM event_types WHERE deleted_at IS NULL ORDER BY key")
        return [r[0] for r in rows]

    def applied_migrations(self) -> list[str]:
        """Names of the migrations this database has, oldest first."""
        with self._lock:
            return [m.name for m in MIGRATIONS.applied(self._db)]

    def modified(self, *, url: str, etag: str, now: str) -> str:
        """RepresentationClock: one IMMEDIATE transaction, not counted as a schema change."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                rows = self._db.execute(
                    "SELECT etag, modified_at FROM representations WHERE url = ?", (url,)
                ).fetchall()
                time, changed = advance(rows[0] if rows else None, etag, now)
                if changed:
                    self._db.execute(
                        "INSERT OR REPLACE INTO representations VALUES (?, ?, ?)", (url, etag, time)
                    )
                    self._forget_oldest()
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
            return time

    def _forget_oldest(self) -> None:
        (count,) = self._db.execute("SELECT count(*) FROM representations").fetchone()
        if count > MAX_REPRESENTATIONS:
            self._db.execute(
                "DELETE FROM representations WHERE url IN (SELECT url FROM representations "
                "ORDER BY modified_at LIMIT ?)",
                (max(1, MAX_REPRESENTATIONS // 10),),
            )

    def close(self) -> None:
        with self._lock:
            self._db.close()
