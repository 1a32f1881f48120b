"""Schema distribution: strong ETags over the exact bytes, Cache-Control by resource, 304s."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import pytest

from registry.api.caching import IMMUTABLE, REVALIDATE, etag_of, none_match
from registry.settings import Settings
from registry.store.memory import InMemoryStore
from registry.wiring import build_service

ORDER = {"type": "object", "properties": {"orderId": {"type": "string"}}}


@pytest.fixture
def seeded(client: Any) -> Any:
    client.post("/event-types", json={"key": "orderCreated", "tags": ["shop"]})
    client.post("/event-types/orderCreated/versions", json={"schema": ORDER})
    return client


CACHED_GETS = [
    ("/event-types", REVALIDATE),
    ("/event-types/orderCreated", REVALIDATE),
    ("/event-types/orderCreated/versions", REVALIDATE),
    ("/event-types/orderCreated/versions/latest", REVALIDATE),
    ("/event-types/orderCreated/versions/1", REVALIDATE),
    ("/event-types/orderCreated/versions/latest/schema", REVALIDATE),
    ("/event-types/orderCreated/versions/1/schema", IMMUTABLE),
    ("/schemas/1", IMMUTABLE),
    ("/schemas/1/schema", IMMUTABLE),
    ("/bundle", REVALIDATE),
]


@pytest.mark.parametrize(("url", "policy"), CACHED_GETS)
def test_get_carries_a_strong_etag_of_the_exact_bytes(seeded: Any, url: str, policy: str) -> None:
    r = seeded.get(url, headers={"Accept-Encoding": "identity"})
    assert r.status_code == 200
    digest = base64.urlsafe_b64encode(hashlib.sha256(r.content).digest()).decode().rstrip("=")
    assert r.headers["etag"] == f'"{digest}"'
    assert r.headers["cache-control"] == policy


@pytest.mark.parametrize(("url", "policy"), CACHED_GETS)
def test_matching_if_none_match_gives_304_without_body(seeded: Any, url: str, policy: str) -> None:
    etag = seeded.get(url).headers["etag"]
    r = seeded.get(url, headers={"If-None-Match": etag})
    assert r.status_code == 304
    assert r.content == b""
    assert r.headers["etag"] == etag
    assert r.headers["cache-control"] == policy
    assert "content-type" not in r.headers


@pytest.mark.parametrize(
    "header",
    ['"nope", {etag}', '{etag}, "other"', "W/{etag}", "*", ' "a" ,  {etag} '],
    ids=["last-of-list", "first-of-list", "weak-form", "star", "spaces"],
)
def test_if_none_match_lists_weak_tags_and_star(seeded: Any, header: str) -> None:
    etag = seeded.get("/event-types/orderCreated").headers["etag"]
    r = seeded.get("/event-types/orderCreated", headers={"If-None-Match": header.format(etag=etag)})
    assert r.status_code == 304


def test_stale_tag_gets_the_full_response(seeded: Any) -> None:
    r = seeded.get("/event-types/orderCreated", headers={"If-None-Match": '"stale"'})
    assert r.status_code == 200
    assert r.json()["key"] == "orderCreated"


def test_etag_changes_when_the_resource_changes(seeded: Any) -> None:
    before = seeded.get("/event-types/orderCreated").headers["etag"]
    seeded.patch("/event-types/orderCreated", json={"description": "shop orders"})
    r = seeded.get("/event-types/orderCreated", headers={"If-None-Match": before})
    assert r.status_code == 200
    assert r.headers["etag"] != before


def test_errors_are_not_tagged_or_cached(seeded: Any) -> None:
    r = seeded.get("/event-types/missing", headers={"If-None-Match": "*"})
    assert r.status_code == 404
    assert "etag" not in r.headers
    assert r.headers["content-type"] == "application/problem+json"


def test_writes_are_not_conditional(seeded: Any) -> None:
    r = seeded.post("/event-types", json={"key": "other"}, headers={"If-None-Match": "*"})
    assert r.status_code == 201
    assert "etag" not in r.headers


def test_unit_none_match() -> None:
    tag = etag_of(b"{}")
    assert none_match(tag, tag)
    assert none_match(f"W/{tag}", tag)
    assert not none_match(None, tag)
    assert not none_match("", tag)
    assert not none_match(tag[:-2] + '"', tag)


# -- the bundle ----------------------------------------------------------------------------


def make_type(client: Any, key: str, schema: dict[str, Any], tags: list[str] | None = None) -> None:
    client.post("/event-types", json={"key": key, "tags": tags or []})
    client.post(f"/event-types/{key}/versions", json={"schema": schema})


def test_bundle_has_every_live_types_latest_schema(client: Any) -> None:
    make_type(client, "orderCreated", {**ORDER, "required": ["orderId"]}, ["shop"])
    relaxed = client.post("/event-types/orderCreated/versions", json={"schema": ORDER})
    assert relaxed.status_code == 201
    make_type(client, "pageView", {"type": "object"}, ["web"])
    make_type(client, "gone", {"type": "object"})
    client.delete("/event-types/gone")
    client.post("/event-types", json={"key": "empty"})  # no version yet: not in the bundle
    body = client.get("/bundle").json()
    assert body["generatedFrom"] == {"prefix": "", "tag": None}
    assert list(body["eventTypes"]) == ["orderCreated", "pageView"]
    order = body["eventTypes"]["orderCreated"]
    latest = client.get("/event-types/orderCreated/versions/latest").json()
    assert order == {
        "version": 2,
        "schemaId": latest["schemaId"],
        "fingerprint": latest["fingerprint"],
        "schema": ORDER,
    }


def test_bundle_filters_by_tag_and_prefix(client: Any) -> None:
    make_type(client, "orderCreated", ORDER, ["shop"])
    make_type(client, "orderPaid", ORDER, ["shop", "billing"])
    make_type(client, "pageView", {"type": "object"}, ["web"])
    by_tag = client.get("/bundle", params={"tag": "billing"}).json()
    assert list(by_tag["eventTypes"]) == ["orderPaid"]
    assert by_tag["generatedFrom"] == {"prefix": "", "tag": "billing"}
    by_prefix = client.get("/bundle", params={"prefix": "order"}).json()
    assert list(by_prefix["eventTypes"]) == ["orderCreated", "orderPaid"]


def test_bundle_etag_changes_when_its_content_changes(client: Any) -> None:
    make_type(client, "orderCreated", ORDER, ["shop"])
    first = client.get("/bundle").headers["etag"]
    make_type(client, "pageView", {"type": "object"}, ["web"])  # a new type
    assert client.get("/bundle", headers={"If-None-Match": first}).status_code == 200
    second = client.get("/bundle").headers["etag"]
    client.post("/event-types/orderCreated/versions", json={"schema": {**ORDER, "title": "x"}})
    assert client.get("/bundle", headers={"If-None-Match": second}).status_code == 200
    third = client.get("/bundle").headers["etag"]
    client.delete("/event-types/pageView")  # soft delete hides it
    assert client.get("/bundle", headers={"If-None-Match": third}).status_code == 200


def test_bundle_etag_is_stable_across_unrelated_writes(client: Any) -> None:
    make_type(client, "orderCreated", ORDER, ["shop"])
    tag = client.get("/bundle", params={"tag": "shop"}).headers["etag"]
    client.patch("/event-types/orderCreated", json={"owner": "shop-team"})
    client.post("/event-types/orderCreated/versions", json={"schema": ORDER})  # dedupe: 200
    make_type(client, "pageView", {"type": "object"}, ["web"])
    r = client.get("/bundle", params={"tag": "shop"}, headers={"If-None-Match": tag})
    assert r.status_code == 304


def test_bundle_pages_through_every_event_type() -> None:
    service = build_service(Settings(), InMemoryStore())
    for key in ("a", "b", "c", "d", "e"):
        service.create_event_type(key=key)
        service.register_version(key=key, schema={"type": "object"})
    service.delete_event_type(key="c")
    assert [v.key for v in service.bundle(page_size=2)] == ["a", "b", "d", "e"]
