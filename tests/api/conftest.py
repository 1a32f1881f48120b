"""Fixtures of the API tests: ``api`` wraps the HTTP client with one-line helpers."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.support import Api


@pytest.fixture
def api(client: Any) -> Api:
    return Api(client)
