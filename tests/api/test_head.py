"""HEAD on every GET route: the GET's status and headers (ETag included), no body, and 304."""

from __future__ import annotations

import re
from typing import Any

import pytest

from registry.app import create_app
from registry.settings import Settings
from registry.store.memory import InMemoryStore

ORDER = {"type": "object", "properties": {"orderId": {"type": "string"}}}
PARAMS = {
    "key": "orderCreated",
    "version": "1",
    "schema_id": "1",
    "a": "1",
    "b": "1",
    "path": "openapi.json",
    "file_path": "swagger-ui.css",
    "name": "app.js",  # /ui/{name}: one file of the web UI
    "rest": "v1/account/info",  # the catch-alls: /api/{rest} and the /run/{id}/ prefix
    "subject": "orderCreated",  # /ccompat/v7: a subject is an event type
}
CATCH_ALL = "{rest:path}"
"""The drop-in catch-alls (not_emulated, /run/<id>/ dispatch) are no resources to HEAD."""
NOT_CONFIGURED = (
    "/ccompat/v7/config/orderCreated",  # 40408: no subject-level compatibility configured
    "/ccompat/v7/mode/orderCreated",  # 40409: no subject-level mode configured
)
"""GET routes whose answer here is Confluent's not-configured 404; HEAD must still match it."""


def _get_paths() -> list[str]:
    """Every GET route of the app with its path parameters filled in."""
    app = create_app(Settings(), store=InMemoryStore())
    paths = []
    for route in app.routes:
        if "GET" in route.methods and CATCH_ALL not in route.path:
            paths.append(re.sub(r"\{(\w+):\w+\}", lambda m: PARAMS[m.group(1)], route.path))
    return sorted(paths)


GET_PATHS = _get_paths()
CHANGES_PER_REQUEST = {"/metrics"}
"""Answers that count every request, the HEAD itself included: only their length differs."""


@pytest.fixture(scope="module")
def seeded() -> Any:
    from litestar.testing import TestClient

    # GET /changes/stream holds the stream open this long before it ends (default 300 s)
    app = create_app(Settings(changes_stream_seconds=0.2), store=InMemoryStore())
    with TestClient(app=app, raise_server_exceptions=True) as client:
        client.post("/event-types", json={"key": "orderCreated", "tags": ["shop"]})
        client.post("/event-types/orderCreated/versions", json={"schema": ORDER})
        yield client


def test_every_get_route_is_covered() -> None:
    assert "/bundle" in GET_PATHS
    assert "/event-types/orderCreated/versions/1/schema" in GET_PATHS
    assert len(GET_PATHS) >= 20


@pytest.mark.parametrize("url", GET_PATHS)
def test_head_answers_like_get_without_a_body(seeded: Any, url: str) -> None:
    plain = {"Accept-Encoding": "identity"}  # gzip would make GET's decoded length differ
    get = seeded.get(url, headers=plain)
    head = seeded.head(url, headers=plain)
    if url not in CATCH_ALL and url not in NOT_CONFIGURED:
        assert get.status_code == 200, get.text
    assert head.status_code == get.status_code
    assert head.content == b""
    if url in CHANGES_PER_REQUEST:
        assert int(head.headers["content-length"]) > 0
    elif "content-length" in get.headers:  # a stream (/changes/stream) has none
        assert head.headers["content-length"] == str(len(get.content))
    else:
        assert "content-length" not in head.headers
    for name in ("content-type", "etag", "cache-control"):
        assert head.headers.get(name) == get.headers.get(name), name


def test_a_conditional_head_answers_304(seeded: Any) -> None:
    etag = seeded.head("/bundle").headers["etag"]
    assert etag == seeded.get("/bundle").headers["etag"]
    again = seeded.head("/bundle", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.headers["etag"] == etag
    assert again.content == b""


def test_head_of_a_missing_resource_is_the_get_status_without_a_body(seeded: Any) -> None:
    head = seeded.head("/event-types/nope")
    assert head.status_code == 404
    assert head.headers["content-type"] == "application/problem+json"
    assert head.content == b""
