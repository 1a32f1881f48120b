"""Data-contract tags over HTTP: kept in the schema, shown in the bundle, drive masking, and a
tag-only change registers as a new version at any compatibility level."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from registry.app import create_app
from registry.settings import Settings

SCHEMA = {
    "type": "object",
    "properties": {
        "note": {"type": "string", "x-pii": True, "x-owner": "support", "x-tags": ["free-text"]},
        "topic": {"type": "string"},
    },
}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient[Litestar]]:
    db = tmp_path_factory.mktemp("tags") / "tags.db"
    app = create_app(Settings(db=str(db), seed_catalog=False))
    with TestClient(app=app, raise_server_exceptions=False) as c:
        for key, schema in (("ticketOpened", SCHEMA), ("ticketClosed", _untagged())):
            assert c.post("/event-types", json={"key": key}).status_code == 201
            r = c.post(f"/event-types/{key}/versions", json={"schema": schema})
            assert r.status_code == 201, r.text
        yield c


def _untagged() -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {"note": {"type": "string"}, "topic": {"type": "string"}},
    }


def _event(key: str) -> dict[str, Any]:
    params = [{"name": "note", "value": "call me at 555-0101"}, {"name": "topic", "value": "bill"}]
    return {"eventTypeKey": key, "keyValue": "c-1", "params": params}


def _recorded(client: TestClient[Litestar], run: str) -> dict[str, Any]:
    items = client.get("/inspect/events", params={"runId": run}).json()["items"]
    assert len(items) == 1
    return {p["name"]: p["value"] for p in items[0]["payload"]["params"]}


def test_tags_are_kept_in_the_stored_schema(client: TestClient[Litestar]) -> None:
    stored = client.get("/event-types/ticketOpened/versions/1").json()["schema"]
    assert stored["properties"]["note"]["x-owner"] == "support"
    assert stored["properties"]["note"]["x-tags"] == ["free-text"]


def test_the_bundle_shows_each_types_param_tags(client: TestClient[Litestar]) -> None:
    types = client.get("/bundle").json()["eventTypes"]
    assert types["ticketOpened"]["paramTags"] == {
        "note": {"x-pii": True, "x-owner": "support", "x-tags": ["free-text"]}
    }
    assert "paramTags" not in types["ticketClosed"]


def test_an_x_pii_param_is_stored_masked(client: TestClient[Litestar]) -> None:
    r = client.post("/api/v2/event", json=_event("ticketOpened"), headers={"X-Run-Id": "pii-1"})
    assert r.status_code == 200, r.text
    assert _recorded(client, "pii-1") == {"note": "***", "topic": "bill"}


def test_the_same_param_untagged_is_stored_as_sent(client: TestClient[Litestar]) -> None:
    r = client.post("/api/v2/event", json=_event("ticketClosed"), headers={"X-Run-Id": "pii-2"})
    assert r.status_code == 200, r.text
    assert _recorded(client, "pii-2") == {"note": "call me at 555-0101", "topic": "bill"}


def test_a_tag_only_change_is_a_new_version_at_full_transitive(
    client: TestClient[Litestar],
) -> None:
    config = client.put(
        "/event-types/ticketClosed/config", json={"compatibility": "FULL_TRANSITIVE"}
    )
    assert config.status_code == 200, config.text
    tagged = _untagged()
    tagged["properties"]["topic"]["x-owner"] = "support"
    r = client.post("/event-types/ticketClosed/versions", json={"schema": tagged})
    assert r.status_code == 201, r.text
    assert r.json()["version"] == 2
    changes = client.get("/event-types/ticketClosed/versions/1/diff/2").json()["changes"]
    assert changes == [
        {
            "code": "tags_changed",
            "path": "/properties/topic",
            "message": "tags changed (x-owner): annotations only, compatible both ways",
            "breaksBackward": False,
            "breaksForward": False,
            "newValue": {"x-owner": "support"},
        }
    ]
