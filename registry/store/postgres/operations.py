"""The PostgreSQL store's trail and operations methods (a mixin of
:class:`~registry.store.postgres.store.PostgresStore`, which provides its pool and writes): the
audit trail (SQL in ``audit.py``) and the sunsets due, export and import (SQL in ``dump.py``),
migration introspection and the representation clock (``clock.py``)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import psycopg

from registry.core.audit import AuditEntry, AuditPage, AuditQuery
from registry.core.dump import Records
from registry.core.model import SchemaVersion
from registry.store.postgres import audit as audit_sql
from registry.store.postgres import clock, migrations
from registry.store.postgres import dump as dump_sql
from registry.store.postgres.connections import Pool
from registry.store.rows import VERSION_SQL
from registry.store.rows import version as version_of

_RECORD_ONCE_LOCK = 0x65725F6F6E6365  # advisory lock key: "er_once"


class PostgresOperations:
    """Mixed into PostgresStore, which provides ``_pool``, ``_write`` and ``_rows``."""

    _pool: Pool
    _write: Callable[[], AbstractContextManager[psycopg.Connection[Any]]]
    _rows: Callable[..., list[tuple[Any, ...]]]

    # -- the audit trail (SQL in audit.py) ---------------------------------------------------

    def list_audit(self, *, query: AuditQuery) -> AuditPage:
        with self._pool.reading() as conn:
            return audit_sql.query(conn, query)

    def last_audit_id(self) -> int:
        with self._pool.reading() as conn:
            return audit_sql.last_id(conn)

    def record_once(self, *, audit: AuditEntry) -> bool:
        """Replicas announcing the same event serialise on an advisory lock: one appends."""
        try:
            with self._write() as conn:
                conn.execute("SELECT pg_advisory_xact_lock(%s)", [_RECORD_ONCE_LOCK])
                if audit_sql.exists(conn, audit):
                    raise _Unchanged
                audit_sql.append(conn, audit)
        except _Unchanged:
            return False
        return True

    def purge_audit(self, *, before: str, audit: AuditEntry | None = None) -> int:
        with self._write() as conn:
            removed = audit_sql.purge(conn, before)
            audit_sql.append(conn, audit)
        return removed

    def sunsets_due(self, *, before: str) -> list[SchemaVersion]:
        rows = self._rows(
            VERSION_SQL
            + """ JOIN event_types t ON t.key = v.key
            WHERE t.deleted_at IS NULL AND v.state = 'deprecated' AND v.sunset IS NOT NULL
            AND v.sunset < %s ORDER BY v.key, v.version""",
            [before],
        )
        return [version_of(r) for r in rows]

    def all_keys(self) -> list[str]:
        rows = self._rows("SELECT key FROM event_types WHERE deleted_at IS NULL ORDER BY key")
        return [r[0] for r in rows]

    # -- export / import (SQL in dump.py) ---------------------------------------------------

    def export_records(self) -> Records:
        with self._pool.transaction() as conn:
            return dump_sql.export(conn)

    def import_records(self, *, records: Records) -> None:
        with self._write() as conn:
            dump_sql.import_into(conn, records)

    def pending_migrations(self) -> list[str]:
        """Names of the migrations this release has and the database lacks (readiness)."""
        with self._pool.reading() as conn:
            done = set(migrations.applied(conn))
        return [name for name, _ in migrations.MIGRATIONS if name not in done]

    def applied_migrations(self) -> list[str]:
        """Names of the migrations this database has, oldest first."""
        with self._pool.reading() as conn:
            return migrations.applied(conn)

    def duplicate_versions(self) -> list[tuple[str, int, int]]:
        """Always empty: the constraint never let a type hold the same content twice."""
        return []

    def modified(self, *, url: str, etag: str, now: str) -> str:
        """RepresentationClock (clock.py): not counted as a schema change."""
        return clock.modified(self._pool, url=url, etag=etag, now=now)


class _Unchanged(Exception):
    """Leaves a write transaction that turned out to change nothing (rolled back, silent)."""
