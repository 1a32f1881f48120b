"""Fixtures for the /validate tests.

``validate`` posts to a fresh app per test (for tests that change config or versions);
``shared_client`` is one app per module, for read-only tables that only post events (building a
litestar app costs ~0.3 s). Every report that comes back through :func:`tests.api.reports.poster`
is checked against the ``Report`` component of the committed ``openapi.yaml``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from registry.app import create_app
from registry.settings import Settings
from tests.api.reports import Validate, poster


@pytest.fixture
def validate(client: Any) -> Validate:
    return poster(client)


@pytest.fixture(scope="module")
def shared_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient[Litestar]]:
    db = tmp_path_factory.mktemp("shared") / "api.db"
    app = create_app(Settings(db=str(db), max_body_bytes=256_000))
    with TestClient(app=app, raise_server_exceptions=False) as c:
        yield c
