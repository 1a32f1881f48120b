"""Opening the database from the CLI: a clear one-line error (exit 2), never a traceback.

``serve`` and ``migrate`` back an existing SQLite file up (``registry/store/backup.py``) before
the store applies pending migrations to it. A PostgreSQL database (``--db postgresql://...``)
is migrated in one transaction (a failed start applies nothing); back it up with pg_dump.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

import click

from registry.cli.http import CommandError
from registry.core.errors import RegistryError
from registry.settings import Settings, describe_db, is_postgres

if TYPE_CHECKING:
    from registry.core.ports import SchemaStore
    from registry.store.sqlite import SqliteStore  # imported when opened: a fast CLI start


def _check_folder(db: str) -> None:
    if db == ":memory:":
        return
    folder = Path(db).parent
    if not folder.is_dir():
        raise CommandError(f"cannot open the database {db}: the folder {folder} does not exist")


def open_database(settings: Settings, *, backup: bool = False) -> SchemaStore:
    """The migrated store ``settings.db`` names (a PostgreSQL URL or a SQLite file)."""
    if not is_postgres(settings.db):
        return open_store(settings.db, backup=backup)
    from registry.wiring import open_schema_store

    try:
        return open_schema_store(settings)
    except RegistryError as exc:
        raise CommandError(f"cannot open the database {describe_db(settings.db)}: {exc}") from None


def open_store(db: str, *, backup: bool = False) -> SqliteStore:
    """The migrated SQLite store for ``db``; with ``backup``, copy an outdated file first."""
    from registry.store.backup import backup_before_migrating
    from registry.store.sqlite import SqliteStore

    _check_folder(db)
    try:
        if backup and db != ":memory:":
            copy = backup_before_migrating(Path(db))
            if copy is not None:
                click.echo(f"{db}: backed up to {copy} before migrating", err=True)
        return SqliteStore(db)
    except sqlite3.Error as exc:
        raise CommandError(f"cannot open the database {db}: {exc}") from exc
