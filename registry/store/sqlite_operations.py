"""The SQLite store's trail and operations methods (a mixin of
:class:`~registry.store.sqlite.SqliteStore`, which provides its connections): the audit trail
(SQL in ``audit_sqlite.py``) and the sunsets due, export and import (SQL in ``dump_sqlite.py``),
migration introspection, the representation clock of cacheable URLs, and the duplicate
versions migration 0004 found."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from sqlite_utils.db import Database

from registry.core.audit import AuditEntry, AuditPage, AuditQuery
from registry.core.dump import Records
from registry.core.model import SchemaVersion
from registry.store import audit_sqlite, dump_sqlite
from registry.store.connections import Connections
from registry.store.migrations import MIGRATIONS
from registry.store.representations import MAX_REPRESENTATIONS, advance
from registry.store.rows import VERSION_SQL
from registry.store.rows import version as version_of


class SqliteOperations:
    """Mixed into SqliteStore, which provides ``_conns``, ``_db``, ``_write`` and ``_rows``."""

    _conns: Connections
    _db: Database
    _write: Callable[[], AbstractContextManager[Database]]
    _rows: Callable[..., list[tuple[Any, ...]]]

    # -- the audit trail (SQL in audit_sqlite.py) -------------------------------------------

    def list_audit(self, *, query: AuditQuery) -> AuditPage:
        with self._conns.reading() as conn:
            return audit_sqlite.query(conn, query)

    def last_audit_id(self) -> int:
        with self._conns.reading() as conn:
            return audit_sqlite.last_id(conn)

    def record_once(self, *, audit: AuditEntry) -> bool:
        with self._write() as db:
            if audit_sqlite.exists(db, audit):
                return False
            audit_sqlite.append(db, audit)
            return True

    def purge_audit(self, *, before: str, audit: AuditEntry | None = None) -> int:
        with self._write() as db:
            removed = audit_sqlite.purge(db, before)
            audit_sqlite.append(db, audit)
        return removed

    def sunsets_due(self, *, before: str) -> list[SchemaVersion]:
        rows = self._rows(
            VERSION_SQL
            + """ JOIN event_types t ON t.key = v.key
            WHERE t.deleted_at IS NULL AND v.state = 'deprecated' AND v.sunset IS NOT NULL
            AND v.sunset < ? ORDER BY v.key, v.version""",
            (before,),
        )
        return [version_of(r) for r in rows]

    def all_keys(self) -> list[str]:
        rows = self._rows("SELECT key FROM event_types WHERE deleted_at IS NULL ORDER BY key")
        return [r[0] for r in rows]

    # -- export / import (SQL in dump_sqlite.py) --------------------------------------------

    def export_records(self) -> Records:
        with self._conns.reading() as conn:
            return dump_sqlite.export(conn)

    def import_records(self, *, records: Records) -> None:
        with self._write() as db:
            dump_sqlite.import_into(db, records)

    def pending_migrations(self) -> list[str]:
        """Read on this thread's reader connection: never waits for a writer."""
        with self._conns.reading() as conn:
            return [m.name for m in MIGRATIONS.pending(Database(conn))]

    def applied_migrations(self) -> list[str]:
        """Names of the migrations this database has, oldest first."""
        with self._conns.write_lock:
            return [m.name for m in MIGRATIONS.applied(self._db)]

    def modified(self, *, url: str, etag: str, now: str) -> str:
        """RepresentationClock. An unchanged representation is a read (no write lock); a
        change is one write transaction, not counted as a schema change (``change_token``)."""
        rows = self._rows("SELECT etag, modified_at FROM representations WHERE url = ?", (url,))
        time, changed = advance(rows[0] if rows else None, etag, now)
        if not changed:
            return time
        with self._conns.writing() as db:
            rows = db.execute(
                "SELECT etag, modified_at FROM representations WHERE url = ?", (url,)
            ).fetchall()
            time, changed = advance(rows[0] if rows else None, etag, now)
            if changed:
                db.execute(
                    "INSERT OR REPLACE INTO representations VALUES (?, ?, ?)", (url, etag, time)
                )
                _forget_oldest(db)
        return time

    def duplicate_versions(self) -> list[tuple[str, int, int]]:
        """``(key, version, duplicate_of)`` for each version that migration
        ``0004_fingerprint_unique`` found holding the same content as an earlier version of its
        type (made by the registration race of releases before it). They stay readable; a new
        registration of that content returns the earlier version."""
        rows = self._rows(
            "SELECT key, version, duplicate_of FROM versions WHERE duplicate_of IS NOT NULL "
            "ORDER BY key, version"
        )
        return [(key, version, of) for key, version, of in rows]


def _forget_oldest(db: Database) -> None:
    (count,) = db.execute("SELECT count(*) FROM representations").fetchone()
    if count > MAX_REPRESENTATIONS:
        db.execute(
            "DELETE FROM representations WHERE url IN (SELECT url FROM representations "
            "ORDER BY modified_at LIMIT ?)",
            (max(1, MAX_REPRESENTATIONS // 10),),
        )
