"""The CLI opening the database: clear errors (exit 2), and a backup before migrations."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner

from registry.cli import main
from registry.store.migrations import MIGRATIONS

MISSING = "/nonexistent/dir/x.db"


@pytest.mark.parametrize("command", ["serve", "migrate", "seed", "purge"])
def test_a_database_in_a_missing_folder_is_one_clear_line_and_exit_2(command: str) -> None:
    result = CliRunner().invoke(main, [command, "--db", MISSING])
    assert result.exit_code == 2
    assert result.output == (
        f"Error: cannot open the database {MISSING}: the folder /nonexistent/dir does not exist\n"
    )
    assert result.exception is not None
    assert isinstance(result.exception, SystemExit)


def test_a_file_that_is_not_a_database_is_exit_2_naming_it(tmp_path: Path) -> None:
    junk = tmp_path / "notes.db"
    junk.write_text("these are my notes, not a database\n" * 200, encoding="utf-8")
    result = CliRunner().invoke(main, ["migrate", "--db", str(junk)])
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: cannot open the database {junk}: ")
    assert "Traceback" not in result.output


def test_seed_of_a_folder_without_group_subfolders_exits_2(tmp_path: Path) -> None:
    flat = tmp_path / "catalog"
    flat.mkdir()
    (flat / "orderCreated.json").write_text('{"key": "orderCreated", "schema": {}}')
    args = ["seed", "--db", str(tmp_path / "x.db"), "--catalog-dir", str(flat)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: catalog_invalid: catalog file {flat}: no <group>/")
    assert not (tmp_path / "x.db").exists()


def _old_database(path: Path) -> None:
    """A database as the first release left it: only 0001_initial, with one event type."""
    db = sqlite_utils.Database(path)
    MIGRATIONS.apply(db, stop_before="0002_config_lifecycle_examples")
    db["event_types"].insert(
        {"key": "orderCreated", "created_at": "2026-01-01", "updated_at": "2026-01-01"}
    )
    db.close()


def test_migrate_backs_up_an_outdated_file_first(tmp_path: Path) -> None:
    path = tmp_path / "event-registry.db"
    _old_database(path)
    result = CliRunner().invoke(main, ["migrate", "--db", str(path)])
    assert result.exit_code == 0, result.output
    backups = list(tmp_path.glob("event-registry.db.pre-migrate-*.bak"))
    assert len(backups) == 1
    assert re.fullmatch(r"event-registry\.db\.pre-migrate-\d{8}T\d{6}Z\.bak", backups[0].name)
    assert f"backed up to {backups[0]} before migrating" in result.output
    copy = sqlite3.connect(backups[0])
    names = [row[0] for row in copy.execute("SELECT name FROM _sqlite_migrations")]
    keys = [row[0] for row in copy.execute("SELECT key FROM event_types")]
    copy.close()
    assert names == ["0001_initial"]
    assert keys == ["orderCreated"]
    again = CliRunner().invoke(main, ["migrate", "--db", str(path)])
    assert again.exit_code == 0
    assert list(tmp_path.glob("*.bak")) == backups  # up to date: nothing to back up


def test_a_new_database_needs_no_backup(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["migrate", "--db", str(tmp_path / "new.db")])
    assert result.exit_code == 0, result.output
    assert list(tmp_path.glob("*.bak")) == []
