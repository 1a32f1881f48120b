"""Fixtures of the API tests: ``api`` wraps the HTTP client with one-line helpers.

Building a Litestar app costs a few hundred milliseconds, so modules whose tests never touch
registry-wide state may share one app (``shared_api``) and isolate themselves by giving each
test its own event type (``Api.new_type``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from registry.app import create_app
from registry.settings import Settings
from tests.api.support import Api


@pytest.fixture
def api(client: Any) -> Api:
    return Api(client)


@pytest.fixture(scope="module")
def shared_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    db = tmp_path_factory.mktemp("shared") / "api.db"
    app = create_app(Settings(db=str(db), max_body_bytes=256_000))
    with TestClient(app=app, raise_server_exceptions=False) as client:
        yield Api(client)
