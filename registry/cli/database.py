"""Opening the SQLite database from the CLI: a clear one-line error (exit 2), never a traceback.

``serve`` and ``migrate`` back an existing file up (``registry/store/backup.py``) before the
store applies pending migrations to it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click

from registry.cli.http import CommandError
from registry.store.backup import backup_before_migrating
from registry.store.sqlite import SqliteStore


def _check_folder(db: str) -> None:
    if db == ":memory:":
        return
    folder = Path(db).parent
    if not folder.is_dir():
        raise CommandError(f"cannot open the database {db}: the folder {folder} does not exist")


def open_store(db: str, *, backup: bool = False) -> SqliteStore:
    """The migrated store for ``db``; with ``backup``, copy an outdated file first."""
    _check_folder(db)
    try:
        if backup and db != ":memory:":
            copy = backup_before_migrating(Path(db))
            if copy is not None:
                click.echo(f"{db}: backed up to {copy} before migrating", err=True)
        return SqliteStore(db)
    except sqlite3.Error as exc:
        raise CommandError(f"cannot open the database {db}: {exc}") from exc
