"""Schemas for generic tools: the bare schema by id, Last-Modified on every schema, version, type
and bundle GET (stored, never backwards), gzip with its own strong ETag and Vary."""

from __future__ import annotations

import gzip
from collections.abc import Iterator

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from registry.api.caching import GZIP_MIN_BYTES, IMMUTABLE, accepts_gzip, etag_of, http_date
from registry.app import create_app
from registry.settings import Settings

JSON_TYPE = {"Content-Type": "application/json"}
"""A bodiless POST must declare JSON (no cross-site form can change anything)."""

ORDER = {
    "type": "object",
    "description": "An order as the shop sends it, with enough text to be worth compressing. " * 4,
    "properties": {"orderId": {"type": "string"}},
}
LOOSER = {**ORDER, "description": "Reworded."}
IDENTITY = {"Accept-Encoding": "identity"}
GZIP = {"Accept-Encoding": "gzip"}


class Clock:
    """The app's clock for stored change times, moved by hand (ISO 8601 UTC)."""

    def __init__(self) -> None:
        self.second = 0

    def __call__(self) -> str:
        return f"2026-12-01T10:{self.second // 60:02d}:{self.second % 60:02d}.000Z"

    def tick(self, seconds: int = 5) -> None:
        self.second += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def client(settings: Settings, clock: Clock) -> Iterator[TestClient[Litestar]]:
    app = create_app(settings)
    app.state.now = clock
    with TestClient(app=app, raise_server_exceptions=False) as c:
        c.post("/event-types", json={"key": "orderCreated", "tags": ["shop"]})
        c.post("/event-types/orderCreated/versions", json={"schema": ORDER})
        yield c


GETS = [
    "/event-types",
    "/event-types/orderCreated",
    "/event-types/orderCreated/versions",
    "/event-types/orderCreated/versions/latest",
    "/event-types/orderCreated/versions/1",
    "/event-types/orderCreated/versions/latest/schema",
    "/event-types/orderCreated/versions/1/schema",
    "/schemas/1",
    "/schemas/1/schema",
    "/bundle",
]


def test_the_bare_schema_by_id_is_the_registered_document(client: TestClient) -> None:
    r = client.get("/schemas/1/schema", headers=IDENTITY)
    assert r.status_code == 200
    assert r.json() == ORDER
    assert r.headers["cache-control"] == IMMUTABLE
    assert r.headers["etag"] == etag_of(r.content)
    envelope = client.get("/schemas/1").json()
    assert envelope["schema"] == ORDER
    assert client.get("/schemas/99/schema").status_code == 404


@pytest.mark.parametrize("url", GETS)
def test_every_get_says_when_it_last_changed_and_keeps_saying_it(
    client: TestClient, clock: Clock, url: str
) -> None:
    first = client.get(url).headers["last-modified"]
    assert first == http_date(clock())
    clock.tick()
    assert client.get(url).headers["last-modified"] == first
    assert client.get(url, headers=IDENTITY).headers["last-modified"] == first


LATEST = "/event-types/orderCreated/versions/latest/schema"


def test_latest_changes_on_a_new_version_and_on_disable(client: TestClient, clock: Clock) -> None:
    before = client.get(LATEST).headers["last-modified"]
    clock.tick()
    client.post("/event-types/orderCreated/versions", json={"schema": LOOSER})
    registered = client.get(LATEST).headers["last-modified"]
    assert (registered, client.get(LATEST).json()) == (http_date(clock()), LOOSER)
    assert registered != before
    clock.tick()
    r = client.patch("/event-types/orderCreated/versions/2", json={"state": "disabled"})
    assert r.status_code == 200, r.text
    disabled = client.get(LATEST)
    assert (disabled.headers["last-modified"], disabled.json()) == (http_date(clock()), ORDER)


def test_delete_and_restore_move_the_type_and_the_bundle(client: TestClient, clock: Clock) -> None:
    urls = ["/event-types/orderCreated", "/bundle", "/event-types"]
    for url in urls:
        client.get(url)
    clock.tick()
    assert client.delete("/event-types/orderCreated").status_code == 204
    assert client.get("/bundle").headers["last-modified"] == http_date(clock())
    deleted_at = clock()
    clock.tick()
    assert client.post("/event-types/orderCreated/restore", headers=JSON_TYPE).status_code == 200
    for url in urls:
        assert client.get(url).headers["last-modified"] == http_date(clock()), url
    assert http_date(clock()) != http_date(deleted_at)


def test_an_unrelated_write_keeps_the_time(client: TestClient, clock: Clock) -> None:
    before = client.get(LATEST).headers["last-modified"]
    clock.tick()
    client.post("/event-types", json={"key": "other"})
    assert client.get(LATEST).headers["last-modified"] == before


def test_last_modified_never_moves_backwards(client: TestClient, clock: Clock) -> None:
    url = "/event-types/orderCreated/versions/latest/schema"
    clock.tick(30)
    first = client.get(url).headers["last-modified"]
    clock.second = 0  # the wall clock jumps back
    client.post("/event-types/orderCreated/versions", json={"schema": LOOSER})
    assert client.get(url).headers["last-modified"] == first


def test_if_modified_since_answers_304_when_nothing_changed(
    client: TestClient, clock: Clock
) -> None:
    url = "/event-types/orderCreated/versions/latest/schema"
    stamp = client.get(url).headers["last-modified"]
    r = client.get(url, headers={"If-Modified-Since": stamp})
    assert (r.status_code, r.content) == (304, b"")
    clock.tick()
    client.post("/event-types/orderCreated/versions", json={"schema": LOOSER})
    assert client.get(url, headers={"If-Modified-Since": stamp}).status_code == 200


# -- gzip -----------------------------------------------------------------------------------


def test_gzip_has_its_own_strong_etag_and_vary(client: TestClient) -> None:
    url = "/event-types/orderCreated/versions/1/schema"
    plain = client.get(url, headers=IDENTITY)
    zipped = client.get(url, headers=GZIP)
    assert "content-encoding" not in plain.headers
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.content == plain.content  # httpx decodes it
    assert zipped.headers["etag"] == etag_of(gzip.compress(plain.content, 6, mtime=0))
    assert zipped.headers["etag"] != plain.headers["etag"]
    assert plain.headers["vary"] == zipped.headers["vary"] == "Accept-Encoding"
    assert zipped.headers["last-modified"] == plain.headers["last-modified"]
    assert int(zipped.headers["content-length"]) < len(plain.content)


@pytest.mark.parametrize(
    ("held", "encoding", "status"),
    [("gzip", GZIP, 304), ("identity", IDENTITY, 304), ("gzip", IDENTITY, 200),
     ("identity", GZIP, 200)],
)  # fmt: skip
def test_an_etag_matches_only_its_own_encoding(
    client: TestClient, held: str, encoding: dict[str, str], status: int
) -> None:
    url = "/bundle"
    etag = client.get(url, headers=GZIP if held == "gzip" else IDENTITY).headers["etag"]
    r = client.get(url, headers={**encoding, "If-None-Match": etag})
    assert r.status_code == status
    assert r.headers["vary"] == "Accept-Encoding"


def test_small_bodies_are_not_compressed(client: TestClient) -> None:
    r = client.get("/event-types/orderCreated/versions/latest", headers=GZIP)
    small = client.get("/event-types/nope", headers=GZIP)
    assert small.status_code == 404
    assert "content-encoding" not in small.headers
    assert (len(r.content) >= GZIP_MIN_BYTES) is ("content-encoding" in r.headers)


@pytest.mark.parametrize(
    ("header", "expected"),
    [("gzip", True), ("gzip, deflate", True), ("br;q=1.0, gzip;q=0.5", True),
     ("gzip;q=0", False), ("identity", False), ("", False), ("*", True),
     ("gzip;q=bad", False), (None, False)],
)  # fmt: skip
def test_accept_encoding_parsing(header: str | None, expected: bool) -> None:
    assert accepts_gzip(header) is expected
