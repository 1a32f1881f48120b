"""Event types over HTTP: create, list, get, update, soft delete, restore, permanent delete."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.support import assert_problem


def create(client: Any, key: str, **extra: Any) -> Any:
    return client.post("/event-types", json={"key": key, **extra})


def test_create_returns_201_and_the_type(client: Any) -> None:
    r = create(client, "orderCreated", description="An order", owner="shop", tags=["ecommerce"])
    assert r.status_code == 201
    body = r.json()
    assert body["key"] == "orderCreated"
    assert body["tags"] == ["ecommerce"]
    assert body["deleted"] is False
    assert client.get("/event-types/orderCreated").json() == body


def test_keys_with_spaces_and_unicode_work_in_paths(client: Any) -> None:
    assert create(client, "Registration form").status_code == 201
    assert client.get("/event-types/Registration%20form").json()["key"] == "Registration form"
    assert create(client, "замовлення").status_code == 201


@pytest.mark.parametrize(
    ("key", "position", "char"),
    [("bad?key", 3, "?"), ("a,b", 1, ","), ("x<y", 1, "<"), ("it’s", 2, "’"), ("a b!", 3, "!")],
)
def test_bad_key_names_char_and_position(client: Any, key: str, position: int, char: str) -> None:
    r = create(client, key)
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "invalid_event_type_key"
    assert body["position"] == position
    assert repr(char) in body["detail"]
    assert f"position {position}" in body["detail"]


@pytest.mark.parametrize("key", ["", "k" * 101])
def test_key_length_limits(client: Any, key: str) -> None:
    r = create(client, key)
    assert r.status_code == 422
    assert r.json()["code"] == "invalid_event_type_key"


def test_key_of_100_chars_is_fine(client: Any) -> None:
    assert create(client, "k" * 100).status_code == 201


def test_duplicate_is_409(client: Any) -> None:
    create(client, "a")
    r = create(client, "a")
    assert r.status_code == 409
    assert r.json()["code"] == "event_type_exists"


def test_list_paginates_and_filters(client: Any) -> None:
    for key, tags in [("order.a", ["shop"]), ("order.b", ["shop", "x"]), ("page.a", [])]:
        create(client, key, tags=tags)
    first = client.get("/event-types", params={"prefix": "order.", "limit": 1}).json()
    assert [t["key"] for t in first["items"]] == ["order.a"]
    second = client.get(
        "/event-types", params={"prefix": "order.", "limit": 1, "cursor": first["nextCursor"]}
    ).json()
    assert [t["key"] for t in second["items"]] == ["order.b"]
    assert second["nextCursor"] is None
    tagged = client.get("/event-types", params={"tag": "x"}).json()
    assert [t["key"] for t in tagged["items"]] == ["order.b"]


def test_patch_updates_only_given_fields(client: Any) -> None:
    create(client, "a", description="old", owner="team-a", tags=["t"])
    r = client.patch("/event-types/a", json={"description": "new", "tags": ["u", "u", "v"]})
    assert r.status_code == 200
    body = r.json()
    assert (body["description"], body["owner"], body["tags"]) == ("new", "team-a", ["u", "v"])


def test_patch_rejects_unknown_fields(client: Any) -> None:
    create(client, "a")
    r = client.patch("/event-types/a", json={"descripton": "typo"})
    assert_problem(r, 422, "invalid_request")


def test_soft_delete_hides_restore_recovers_permanent_removes(client: Any) -> None:
    create(client, "a")
    client.post("/event-types/a/versions", json={"schema": {"type": "object"}})
    assert client.delete("/event-types/a").status_code == 204
    assert client.get("/event-types/a").status_code == 404
    assert client.get("/event-types").json()["items"] == []
    hidden = client.get("/event-types/a", params={"includeDeleted": "true"}).json()
    assert hidden["deleted"] is True
    listed = client.get("/event-types", params={"includeDeleted": "true"}).json()
    assert [t["key"] for t in listed["items"]] == ["a"]
    assert client.get("/event-types/a/versions/1").status_code == 200
    assert client.post("/event-types/a/restore", json={}).json()["deleted"] is False
    assert client.get("/event-types/a").status_code == 200


def test_permanent_delete_requires_soft_delete_first(client: Any) -> None:
    create(client, "a")
    r = client.delete("/event-types/a", params={"permanent": "true"})
    assert r.status_code == 409
    assert r.json()["code"] == "event_type_not_deleted"
    client.delete("/event-types/a")
    assert client.delete("/event-types/a", params={"permanent": "true"}).status_code == 204
    r = client.get("/event-types/a", params={"includeDeleted": "true"})
    assert r.status_code == 404
    assert create(client, "a").status_code == 201


def test_writes_to_a_deleted_type_are_refused(client: Any) -> None:
    create(client, "a")
    client.delete("/event-types/a")
    r = client.post("/event-types/a/versions", json={"schema": {}})
    assert r.status_code == 409
    assert r.json()["code"] == "event_type_deleted"
    assert client.patch("/event-types/a", json={"owner": "x"}).status_code == 409
