"""Shared fixtures: stores (every implementation), settings, app, client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from registry.core.ports import SchemaStore
from registry.settings import Settings
from registry.store.memory import InMemoryStore
from registry.store.sqlite import SqliteStore
from tests.postgres_server import PostgresServer, start_server

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED = PROJECT_ROOT.parent / "shared"


STORES = ["memory", "sqlite", "postgres"]
"""Every SchemaStore implementation; the contract suites run on each."""


def make_store(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> SchemaStore:
    if kind == "memory":
        return InMemoryStore()
    if kind == "postgres":
        from registry.store.postgres.store import PostgresStore

        return PostgresStore(request.getfixturevalue("pg_url"))
    return SqliteStore(tmp_path / "registry.db")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """This pytest process's PostgreSQL server (started on first use; skips when absent)."""
    server = start_server()
    yield server
    server.close()


@pytest.fixture
def pg_url(pg_server: PostgresServer) -> str:
    """An empty, migrated PostgreSQL database for one test (shared by this process's tests,
    emptied before each; ``pg_server.fresh_database()`` gives one of a test's own)."""
    return pg_server.clean_database()


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SchemaStore]:
    s = make_store(request.param, tmp_path, request)
    yield s
    s.close()


@pytest.fixture
def another_store(
    store: SchemaStore, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[SchemaStore]:
    """A second, empty store of the same kind as ``store`` (export/import round trips)."""
    kind = request.node.callspec.params["store"]
    if kind == "postgres":
        from registry.store.postgres.store import PostgresStore

        other = PostgresStore(request.getfixturevalue("pg_server").clean_database("another"))
        yield other
        other.close()
        return
    folder = tmp_path / "another"
    folder.mkdir()
    s = make_store(kind, folder, request)
    yield s
    s.close()


@pytest.fixture
def db_kind() -> str:
    """The database behind ``settings`` (and so ``app``, ``client``, ``api``): SQLite, unless
    the module says ``DATABASES = BOTH_DATABASES`` (see ``pytest_generate_tests``)."""
    return "sqlite"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A module's ``DATABASES`` list runs each of its tests that use the app once per database."""
    kinds = getattr(metafunc.module, "DATABASES", None)
    if kinds and "db_kind" in metafunc.fixturenames:
        metafunc.parametrize("db_kind", kinds)


@pytest.fixture
def settings(tmp_path: Path, db_kind: str, request: pytest.FixtureRequest) -> Settings:
    if db_kind == "postgres":
        return Settings(db=request.getfixturevalue("pg_url"), max_body_bytes=256_000)
    return Settings(db=str(tmp_path / "api.db"), max_body_bytes=256_000)


@pytest.fixture
def app(settings: Settings) -> Litestar:
    from registry.app import create_app

    return create_app(settings)


@pytest.fixture
def client(app: Litestar) -> Iterator[TestClient[Litestar]]:
    with TestClient(app=app, raise_server_exceptions=False) as c:
        yield c
