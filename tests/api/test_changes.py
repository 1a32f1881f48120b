"""The change feed: polling with a cursor, server-sent events, signed webhooks; sunsets."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from litestar.testing import TestClient

from registry.app import create_app
from registry.core.signing import backoff, signature, verify
from registry.settings import Settings
from registry.store.memory import InMemoryStore
from registry.webhooks import WebhookSender
from registry.wiring import build_service
from tests.postgres_server import BOTH_DATABASES
from tests.serving import serving

DATABASES = BOTH_DATABASES  # its app tests run on SQLite and PostgreSQL (tests/conftest.py)

SCHEMA = {"type": "object", "properties": {"orderId": {"type": "string"}}}
SCHEMA_2 = {"type": "object", "properties": {"orderId": {"type": "string"}, "coupon": {}}}
PASSED = "2020-01-01"
FUTURE = "2999-12-31"
SECRET = "webhook-test-secret"
WAIT_SECONDS = 15.0
FAST = {"changes_poll_seconds": 0.05, "changes_stream_seconds": WAIT_SECONDS}


@pytest.fixture
def client() -> Iterator[Any]:
    with TestClient(create_app(Settings(), store=InMemoryStore())) as c:
        yield c


def make_changes(http: Any, *, sunset: str = PASSED) -> None:
    """A registration, a second one, a deprecation of v1 (with a sunset date), a disable."""
    assert http.post("/event-types", json={"key": "orderCreated"}).status_code == 201
    assert (
        http.post("/event-types/orderCreated/versions", json={"schema": SCHEMA}).status_code == 201
    )
    assert (
        http.post("/event-types/orderCreated/versions", json={"schema": SCHEMA_2}).status_code
        == 201
    )
    deprecated = http.patch("/event-types/orderCreated/versions/1",
                            json={"state": "deprecated", "sunset": sunset})  # fmt: skip
    assert deprecated.status_code == 200


def test_polling_follows_the_cursor(client: Any) -> None:
    make_changes(client, sunset=FUTURE)
    first = client.get("/changes").json()
    assert [(c["type"], c["key"], c["version"]) for c in first["items"]] == [
        ("register", "orderCreated", 1), ("register", "orderCreated", 2),
        ("deprecate", "orderCreated", 1),
    ]  # fmt: skip
    assert first["items"][2]["changes"]["sunset"] == [None, FUTURE]
    assert client.get("/changes", params={"after": first["nextCursor"]}).json() == {
        "items": [], "nextCursor": first["nextCursor"],
    }  # fmt: skip
    client.patch("/event-types/orderCreated/versions/1", json={"state": "disabled"})
    client.delete("/event-types/orderCreated")
    later = client.get("/changes", params={"after": first["nextCursor"]}).json()
    assert [c["type"] for c in later["items"]] == ["disable", "delete"]
    assert client.get("/changes", params={"after": "x"}).status_code == 422


def test_metadata_and_config_changes_are_audited_but_not_in_the_feed(client: Any) -> None:
    client.post("/event-types", json={"key": "a"})
    client.patch("/event-types/a", json={"owner": "me"})
    client.put("/config", json={"compatibility": "NONE"})
    assert client.get("/changes").json()["items"] == []


def test_a_passed_sunset_is_announced_once_and_turns_the_warning_into_an_error(
    client: Any,
) -> None:
    make_changes(client, sunset=PASSED)
    feed = client.get("/changes").json()
    assert [c["type"] for c in feed["items"]] == ["register", "register", "deprecate", "sunset"]
    sunset = feed["items"][-1]
    assert (sunset["key"], sunset["version"], sunset["actor"]) == ("orderCreated", 1, "system")
    assert sunset["changes"] == {"sunset": [None, PASSED]}
    assert client.get("/changes", params={"after": feed["nextCursor"]}).json()["items"] == []
    event = {"eventTypeKey": "orderCreated", "keyValue": "c-1", "version": 1,
             "params": [{"name": "orderId", "value": "1"}]}  # fmt: skip
    report = client.post("/validate", json=event).json()
    assert report["valid"] is False
    assert [(e["code"], e["severity"]) for e in report["errors"]] == [("version_sunset", "error")]
    assert report["errors"][0]["message"] == (
        "version 1 of 'orderCreated' reached its sunset 2020-01-01 and is no longer accepted; "
        "move to version 2"
    )


def test_before_its_sunset_a_deprecated_version_only_warns(client: Any) -> None:
    make_changes(client, sunset=FUTURE)
    event = {"eventTypeKey": "orderCreated", "keyValue": "c-1", "version": 1,
             "params": [{"name": "orderId", "value": "1"}]}  # fmt: skip
    report = client.post("/validate", json=event).json()
    assert report["valid"] is True
    assert [w["code"] for w in report["warnings"]] == ["deprecated_version"]
    assert [c["type"] for c in client.get("/changes").json()["items"]][-1] == "deprecate"


# -- server-sent events over a real server -------------------------------------------------


def sse_events(response: httpx.Response, wanted: int) -> list[dict[str, Any]]:
    """Parse ``wanted`` events (id, event, data) from an open text/event-stream response."""
    events: list[dict[str, Any]] = []
    current: dict[str, Any] = {}
    for line in response.iter_lines():
        if not line:
            if "event" in current:
                events.append(current)
                if len(events) == wanted:
                    return events
            current = {}
            continue
        field, _, value = line.partition(":")
        current[field] = value.strip()
    return events


def test_an_sse_client_receives_a_registration_a_deprecation_and_a_sunset() -> None:
    app = create_app(Settings(**FAST), store=InMemoryStore())
    with serving(app) as base, httpx.Client(base_url=base, timeout=WAIT_SECONDS) as http:
        http.post("/event-types", json={"key": "before"})  # history: not streamed
        with http.stream("GET", "/changes/stream") as stream:
            assert stream.status_code == 200
            assert stream.headers["content-type"].startswith("text/event-stream")
            with httpx.Client(base_url=base, timeout=WAIT_SECONDS) as writer:
                make_changes(writer, sunset=PASSED)
            events = sse_events(stream, 4)
        assert [e["event"] for e in events] == ["register", "register", "deprecate", "sunset"]
        data = [json.loads(e["data"]) for e in events]
        assert [(d["key"], d["version"]) for d in data] == [
            ("orderCreated", 1), ("orderCreated", 2), ("orderCreated", 1), ("orderCreated", 1),
        ]  # fmt: skip
        assert [int(e["id"]) for e in events] == [d["id"] for d in data]
        resumed = http.get("/changes", params={"after": events[1]["id"]}).json()["items"]
        assert [c["type"] for c in resumed] == ["deprecate", "sunset"]


def test_the_stream_resumes_after_last_event_id() -> None:
    app = create_app(Settings(**FAST), store=InMemoryStore())
    with serving(app) as base, httpx.Client(base_url=base, timeout=WAIT_SECONDS) as http:
        make_changes(http, sunset=FUTURE)
        first = http.get("/changes").json()["items"][0]["id"]
        headers = {"Last-Event-ID": str(first)}
        with http.stream("GET", "/changes/stream", headers=headers) as stream:
            events = sse_events(stream, 2)
        assert [e["event"] for e in events] == ["register", "deprecate"]
        assert http.get("/changes/stream", headers={"Last-Event-ID": "nope"}).status_code == 422


# -- webhooks ------------------------------------------------------------------------------


class Receiver:
    """A webhook receiver on 127.0.0.1 that fails its first ``failures`` requests with 500."""

    def __init__(self, failures: int = 1) -> None:
        self.calls: list[tuple[dict[str, str], bytes, int]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                status = 500 if len(receiver.calls) < failures else 204
                receiver.calls.append((dict(self.headers), body, status))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def delivered(self) -> list[dict[str, Any]]:
        return [json.loads(body) for _, body, status in self.calls if status == 204]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    made = Receiver()
    made.thread.start()
    yield made
    made.server.shutdown()
    made.server.server_close()


def test_a_webhook_receives_signed_changes_and_a_failed_delivery_is_retried(
    receiver: Receiver,
) -> None:
    settings = Settings(
        webhook_urls=receiver.url, webhook_secret=SECRET, webhook_backoff_seconds=0.05, **FAST
    )
    app = create_app(settings, store=InMemoryStore())
    with serving(app) as base, httpx.Client(base_url=base, timeout=WAIT_SECONDS) as http:
        make_changes(http, sunset=PASSED)
        deadline = time.monotonic() + WAIT_SECONDS
        while len(receiver.delivered()) < 4 and time.monotonic() < deadline:
            time.sleep(0.05)
    delivered = receiver.delivered()
    assert [(d["type"], d["version"]) for d in delivered] == [
        ("register", 1), ("register", 2), ("deprecate", 1), ("sunset", 1),
    ]  # fmt: skip
    failed, retried = receiver.calls[0], receiver.calls[1]
    assert (failed[2], retried[2]) == (500, 204)
    assert failed[1] == retried[1]
    assert failed[0]["X-Event-Registry-Attempt"] == "1"
    assert retried[0]["X-Event-Registry-Attempt"] == "2"
    for headers, body, _ in receiver.calls:
        assert verify(SECRET, headers["X-Event-Registry-Timestamp"], body,
                      headers["X-Event-Registry-Signature"])  # fmt: skip
        assert not verify("another-secret", headers["X-Event-Registry-Timestamp"], body,
                          headers["X-Event-Registry-Signature"])  # fmt: skip
        assert headers["X-Event-Registry-Delivery"] == str(json.loads(body)["id"])
        assert headers["X-Event-Registry-Event"] == json.loads(body)["type"]


def test_a_webhook_that_keeps_failing_is_given_up_after_the_bounded_attempts() -> None:
    service = build_service(Settings(), InMemoryStore())
    service.create_event_type(key="a")
    service.register_version(key="a", schema=SCHEMA)
    change = service.changes().items[0]
    failing = Receiver(failures=1_000)
    failing.thread.start()
    sender = WebhookSender(service, [failing.url], SECRET, max_attempts=3, backoff_seconds=0.01)

    async def deliver() -> bool:
        async with httpx.AsyncClient(timeout=WAIT_SECONDS) as client:
            return await sender.deliver(client, failing.url, change)

    try:
        assert asyncio.run(deliver()) is False
    finally:
        failing.server.shutdown()
        failing.server.server_close()
    assert [h["X-Event-Registry-Attempt"] for h, _, _ in failing.calls] == ["1", "2", "3"]


def test_signatures_and_backoff() -> None:
    assert signature("k", "1700000000", b"{}") == signature("k", "1700000000", b"{}")
    assert not verify("k", "1700000001", b"{}", signature("k", "1700000000", b"{}"))
    assert [backoff(n, 1.0) for n in (1, 2, 3, 4, 8)] == [1.0, 2.0, 4.0, 8.0, 60.0]


def test_an_announced_sunset_costs_no_write_on_later_checks(tmp_path: Any) -> None:
    from registry.store.sqlite import SqliteStore

    store = SqliteStore(tmp_path / "r.db")
    service = build_service(Settings(), store)
    service.create_event_type(key="a")
    service.register_version(key="a", schema=SCHEMA)
    service.register_version(key="a", schema=SCHEMA_2)
    service.set_version_state(key="a", version=1, state="deprecated", sunset=PASSED)
    assert service.announce_sunsets() == 1
    token = store.change_token()
    assert service.announce_sunsets() == 0
    assert store.change_token() == token
    store.close()
