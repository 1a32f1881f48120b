"""`event-registry seed` and `event-registry purge`."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from registry.catalog_files import find_catalog, load_catalog
from registry.cli import main


def test_seed_is_idempotent(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    first = CliRunner().invoke(main, ["seed", "--db", db])
    assert first.exit_code == 0, first.output
    assert "created          orderCreated v1" in first.output
    second = CliRunner().invoke(main, ["seed", "--db", db])
    assert second.exit_code == 0
    assert f"({len(load_catalog(find_catalog()))} unchanged)" in second.output.splitlines()[-1]


def test_seed_reports_a_bad_catalog_folder(tmp_path: Path) -> None:
    bad = tmp_path / "catalog" / "shop"
    bad.mkdir(parents=True)
    (bad / "thing.json").write_text('{"key": "other", "schema": {}}')
    args = ["seed", "--db", str(tmp_path / "cli.db"), "--catalog-dir", str(tmp_path / "catalog")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2  # the job could not be done
    assert "catalog_invalid: catalog file shop/thing.json" in result.output


def test_purge(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["purge", "--db", str(tmp_path / "cli.db")])
    assert result.exit_code == 0, result.output
    assert "purged 0 recorded events" in result.output
