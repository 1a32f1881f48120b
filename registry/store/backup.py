"""A copy of a SQLite file taken before migrations change it (the ``sqlite3`` backup API).

The copy sits next to the database as ``<file>.pre-migrate-<UTC timestamp>.bak`` (for example
``event-registry.db.pre-migrate-20261201T093000Z.bak``): a consistent snapshot even while other
processes use the file, restorable by copying it back over the database while no server runs.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils.db import Database

from registry.store.migrations import MIGRATIONS

SUFFIX = ".pre-migrate-{stamp}.bak"


def pending_migrations(path: Path) -> list[str]:
    """Names of the migrations ``path`` lacks (read-only; a missing or empty file: all)."""
    if not path.is_file() or path.stat().st_size == 0:
        return [m.name for m in MIGRATIONS.pending(Database(memory=True))]
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return [m.name for m in MIGRATIONS.pending(Database(conn))]
    finally:
        conn.close()


def backup_before_migrating(path: Path, *, now: datetime | None = None) -> Path | None:
    """Copy an existing database that has pending migrations; the copy's path, or None."""
    if not path.is_file() or path.stat().st_size == 0 or not pending_migrations(path):
        return None
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(path.name + SUFFIX.format(stamp=stamp))
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
    return target
