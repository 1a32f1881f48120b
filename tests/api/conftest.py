"""Fixtures of the API tests.

Building a litestar app costs a few hundred milliseconds, so there are two flavours:

* per test: ``client`` (tests/conftest.py), ``validate`` (posts to /validate and checks every
  report against the ``Report`` component of the committed ``openapi.yaml``, through
  :func:`tests.api.reports.poster`), and ``api`` (the client plus one-line helpers for the
  schema-evolution tests, :class:`tests.api.support.Api`);
* per module: ``shared_client`` for read-only tables that only post events, and ``shared_api``
  (the same app behind ``Api``) for modules whose tests never touch registry-wide state and
  isolate themselves by giving each test its own event type (``Api.new_type``).
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
from tests.api.support import Api


@pytest.fixture
def validate(client: Any) -> Validate:
    return poster(client)


@pytest.fixture
def api(client: Any) -> Api:
    return Api(client)


@pytest.fixture(scope="module")
def shared_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient[Litestar]]:
    db = tmp_path_factory.mktemp("shared") / "api.db"
    app = create_app(Settings(db=str(db), max_body_bytes=256_000))
    with TestClient(app=app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="module")
def shared_api(shared_client: TestClient[Litestar]) -> Api:
    return Api(shared_client)
