"""PostgreSQL ``text`` cannot hold U+0000: such a value is a clean 422, never a 500 (SQLite
stores it; README, Deployment)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.postgres_server import BOTH_DATABASES

DATABASES = BOTH_DATABASES


@pytest.mark.parametrize(
    "body", [{"key": "a", "description": "x\u0000y"}, {"key": "a", "tags": ["t\u0000"]}]
)
def test_a_nul_character_is_422_on_postgresql_and_stored_on_sqlite(
    client: Any, db_kind: str, body: dict[str, Any]
) -> None:
    r = client.post("/event-types", json=body)
    if db_kind == "sqlite":
        assert r.status_code == 201
        return
    assert r.status_code == 422
    assert r.json()["code"] == "invalid_request"
    assert client.get("/event-types/a").status_code == 404  # nothing stored
