"""GET /health/live and /health/ready beside GET /health (which stays as documented)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from litestar.testing import TestClient

from registry import __version__
from registry.app import create_app
from registry.settings import Settings
from registry.store.sqlite import SqliteStore
from tests.api.support import assert_problem

OK = {"status": "ok", "version": __version__, "auth": "off", "insecure": False}


def test_live_and_ready_answer_ok_on_a_migrated_database(tmp_path: Path) -> None:
    with TestClient(create_app(Settings(db=str(tmp_path / "r.db")))) as client:
        for path in ("/health", "/health/live", "/health/ready"):
            answer = client.get(path)
            assert (answer.status_code, answer.json()) == (200, OK), path


def test_ready_is_503_naming_a_migration_the_database_lacks(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    with TestClient(create_app(Settings(db=str(db))), raise_server_exceptions=False) as client:
        other = sqlite3.connect(db)  # as an older release's database: 0007 not applied
        with other:
            other.execute("DELETE FROM _sqlite_migrations WHERE name = '0007_catalog_owned'")
        other.close()
        body = assert_problem(client.get("/health/ready"), 503, "store_not_ready")
        assert body["detail"] == (
            "the database lacks 1 migration(s) (0007_catalog_owned): run `event-registry migrate`"
        )
        live = client.get("/health/live")
        assert (live.status_code, live.json()) == (200, OK)  # alive: do not restart it


def test_ready_is_503_when_the_database_cannot_be_reached(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "r.db")
    with TestClient(create_app(Settings(), store=store), raise_server_exceptions=False) as client:
        assert client.get("/health/ready").status_code == 200
        store.close()  # its connections are gone, as a database whose disk went away
        body = assert_problem(client.get("/health/ready"), 503, "store_not_ready")
        assert body["detail"] == "the database cannot be reached: ProgrammingError"
        live = client.get("/health/live")
        assert (live.status_code, live.json()) == (200, OK)
