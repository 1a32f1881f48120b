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

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED = PROJECT_ROOT.parent / "shared"


def make_store(kind: str, tmp_path: Path) -> SchemaStore:
    if kind == "memory":
        return InMemoryStore()
    return SqliteStore(tmp_path / "registry.db")


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SchemaStore]:
    s = make_store(request.param, tmp_path)
    yield s
    s.close()


@pytest.fixture
def another_store(
    store: SchemaStore, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[SchemaStore]:
    """A second, empty store of the same kind as ``store`` (export/import round trips)."""
    folder = tmp_path / "another"
    folder.mkdir()
    s = make_store(request.node.callspec.params["store"], folder)
    yield s
    s.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(db=str(tmp_path / "api.db"), max_body_bytes=256_000)


@pytest.fixture
def app(settings: Settings) -> Litestar:
    from registry.app import create_app

    return create_app(settings)


@pytest.fixture
def client(app: Litestar) -> Iterator[TestClient[Litestar]]:
    with TestClient(app=app, raise_server_exceptions=False) as c:
        yield c
