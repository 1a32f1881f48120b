"""The unrouted ``POST /validate`` (registry/api/fast_validate.py): the same answer, byte for
byte, as the routed handler, and a table of which requests it answers itself and which it hands
to the routed app (with the body it already read)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar import Litestar
from litestar.testing import TestClient

from registry.api.auth import Gate
from registry.api.fast_validate import DECLINED_KEY, Declined, fast_validate
from registry.app import create_app
from registry.settings import Settings
from registry.store.memory import InMemoryStore

SCHEMA = {
    "type": "object",
    "required": ["orderId"],
    "properties": {
        "orderId": {"type": "string"},
        "total": {"type": "number", "minimum": 0},
        "items": {"type": "array", "items": {"type": "object"}, "maxItems": 3},
    },
}
VALID = {"eventTypeKey": "orderCreated", "keyValue": "k", "params": {"orderId": "1", "total": 2}}


class Pair:
    """The same registry twice: with the fast path, and routed only."""

    def __init__(self, fast: TestClient[Litestar], routed: TestClient[Litestar]) -> None:
        self.fast, self.routed = fast, routed
        self.tokens = fast.app.dependencies["tokens"].dependency()
        self.routed_tokens = routed.app.dependencies["tokens"].dependency()

    def both(self, method: str, path: str, **kw: Any) -> tuple[Any, Any]:
        return self.fast.request(method, path, **kw), self.routed.request(method, path, **kw)


def _setup(client: TestClient[Litestar]) -> None:
    admin = {"Authorization": f"Bearer {client.app.state['admin']}"}
    assert client.post("/event-types", json={"key": "orderCreated"}, headers=admin).is_success
    r = client.post("/event-types/orderCreated/versions", json={"schema": SCHEMA}, headers=admin)
    assert r.status_code == 201


def _app(*, auth: str, fast: bool) -> TestClient[Litestar]:
    app = create_app(Settings(auth=auth), store=InMemoryStore(), fast_paths=fast)
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture(scope="module", params=["off", "on"])
def pair(request: pytest.FixtureRequest) -> Iterator[Pair]:
    fast, routed = _app(auth=request.param, fast=True), _app(auth=request.param, fast=False)
    with fast, routed:
        for client in (fast, routed):
            tokens = client.app.dependencies["tokens"].dependency()
            client.app.state["admin"] = tokens.create(
                name="admin", scope="admin", creator="tests"
            ).secret
            _setup(client)
        yield Pair(fast, routed)


def _same(fast: Any, routed: Any) -> None:
    assert fast.status_code == routed.status_code
    drop = {"x-request-id"}
    assert {k: v for k, v in fast.headers.items() if k not in drop} == {
        k: v for k, v in routed.headers.items() if k not in drop
    }
    assert fast.content == routed.content


def _headers(pair: Pair, client: TestClient[Litestar], scope: str = "validate") -> dict[str, str]:
    tokens = client.app.dependencies["tokens"].dependency()
    secret = tokens.create(name=f"v{len(tokens.list())}", scope=scope, creator="tests").secret
    return {"Authorization": f"Bearer {secret}"}


values = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=False), st.text(max_size=5)
)
params = st.dictionaries(st.sampled_from(["orderId", "total", "items", "odd"]), values, max_size=4)
events = st.one_of(
    st.builds(lambda p: {**VALID, "params": {**VALID["params"], **p}}, params),
    st.builds(lambda p: {"eventTypeKey": "orderCreated", "keyValue": "k", "params": p}, params),
    st.fixed_dictionaries({"eventTypeKey": st.sampled_from(["orderCreated", "nope", ""])}),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(event=events)
def test_every_answer_is_the_routed_handlers_byte_for_byte(pair: Pair, event: Any) -> None:
    """Valid events (answered unrouted) and invalid ones (handed on) alike."""
    body = msgspec.json.encode(event)
    answers = []
    for client in (pair.fast, pair.routed):
        headers = {"content-type": "application/json", **_headers(pair, client)}
        answers.append(client.post("/validate", content=body, headers=headers))
    _same(*answers)


REQUESTS: dict[str, dict[str, Any]] = {
    "a valid event": {},
    "a query string": {"path": "/validate?mode=strict"},
    "X-Record": {"headers": {"x-record": "true", "x-run-id": "r1"}},
    "an Origin": {"headers": {"origin": "https://example.org"}},
    "form encoding": {"headers": {"content-type": "application/x-www-form-urlencoded"}},
    "malformed JSON": {"content": b'{"eventTypeKey": '},
    "an empty body": {"content": b""},
    "an unknown type": {"content": b'{"eventTypeKey": "nope", "keyValue": "k"}'},
    "no token": {"token": None},
    "a wrong token": {"token": "er_not-a-token"},
    "a read-only token": {"token": "read"},
}


@pytest.mark.parametrize("case", REQUESTS)
def test_each_kind_of_request_answers_as_routed(pair: Pair, case: str) -> None:
    spec = REQUESTS[case]
    answers = []
    for client in (pair.fast, pair.routed):
        headers = {"content-type": "application/json"}
        token = spec.get("token", "validate")
        if token in ("validate", "read"):
            headers.update(_headers(pair, client, token))
        elif token is not None:
            headers["Authorization"] = f"Bearer {token}"
        headers.update(spec.get("headers", {}))
        content = spec.get("content", msgspec.json.encode(VALID))
        answers.append(client.post(spec.get("path", "/validate"), content=content, headers=headers))
    _same(*answers)


HANDED_ON: dict[str, tuple[bool, dict[str, Any]]] = {
    # case: (handed to the routed app?, the request)
    "a valid event of a cached type": (False, {}),
    "a query string": (True, {"query": b"mode=strict"}),
    "another path": (True, {"path": "/validate/batch"}),
    "a GET": (True, {"method": "GET"}),
    "X-Record": (True, {"headers": [(b"x-record", b"true")]}),
    "an Origin": (True, {"headers": [(b"origin", b"https://example.org")]}),
    "no Content-Type": (True, {"content_type": None}),
    "form encoding": (True, {"content_type": b"application/x-www-form-urlencoded"}),
    "JSON with a charset": (False, {"content_type": b"application/json; charset=utf-8"}),
    "no Content-Length (chunked)": (True, {"length": None}),
    "a body over the limit": (True, {"body": b" " * 2000 + msgspec.json.encode(VALID)}),
    "fewer bytes than declared": (True, {"length": b"500"}),
    "malformed JSON": (True, {"body": b'{"eventTypeKey": '}),
    "an invalid event": (True, {"body": msgspec.json.encode({**VALID, "params": {}})}),
    "an unknown type": (True, {"body": b'{"eventTypeKey": "nope", "keyValue": "k"}'}),
}


def _drive(handler: Any, spec: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    """One request through ``handler``; (what the routed app saw, what was sent)."""
    body = spec.get("body", msgspec.json.encode(VALID))
    headers = [(b"host", b"127.0.0.1")]
    content_type = spec.get("content_type", b"application/json")
    if content_type is not None:
        headers.append((b"content-type", content_type))
    length = spec.get("length", b"%d" % len(body))
    if length is not None:
        headers.append((b"content-length", length))
    headers += spec.get("headers", [])
    scope = {
        "type": "http",
        "method": spec.get("method", "POST"),
        "path": spec.get("path", "/validate"),
        "query_string": spec.get("query", b""),
        "headers": headers,
    }
    handed: list[str] = []
    declined: list[Any] = []
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def routed(scope: Any, receive: Any, send: Any) -> None:
        message = await receive()  # the body already read is handed on
        handed.append(message["body"].decode())
        declined.append(scope.get(DECLINED_KEY))
        await send({"type": "http.response.start", "status": 299, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async def main() -> None:
        await handler(routed)(scope, receive, send)

    with ThreadPoolExecutor(1) as pool:  # a loop of its own (see tests/unit/test_background.py)
        pool.submit(asyncio.run, main()).result(timeout=60)
    assert handed == [] or handed == [body.decode()]
    DECLINED.extend(declined)
    return handed, sent


DECLINED: list[Any] = []
"""What each handed-on request carried under DECLINED_KEY (see the test below)."""


@pytest.fixture(scope="module")
def registry_app() -> Iterator[Litestar]:
    with _app(auth="off", fast=False) as client:
        client.app.state["admin"] = "unused"
        _setup(client)
        assert client.post("/validate", json=VALID).json()["valid"] is True  # now cached
        yield client.app


@pytest.mark.parametrize("case", HANDED_ON)
def test_which_requests_are_answered_unrouted(registry_app: Litestar, case: str) -> None:
    dryrun = registry_app.dependencies["dryrun"].dependency()
    service = registry_app.dependencies["service"].dependency()
    gate = Gate(None, service)

    def handler(inner: Any) -> Any:
        return fast_validate(inner, dryrun=dryrun, gate=gate, allowed_hosts=None, max_body=1000)

    expected, spec = HANDED_ON[case]
    handed, sent = _drive(handler, spec)
    assert bool(handed) is expected
    if not expected:
        assert sent[0]["status"] == 200
        assert msgspec.json.decode(sent[1]["body"])["valid"] is True


def test_a_host_outside_the_allow_list_is_handed_on(registry_app: Litestar) -> None:
    dryrun = registry_app.dependencies["dryrun"].dependency()
    gate = Gate(None, registry_app.dependencies["service"].dependency())
    for allowed, expected in ((frozenset({"127.0.0.1"}), False), (frozenset({"other"}), True)):
        handed, _ = _drive(
            lambda inner, allowed=allowed: fast_validate(
                inner, dryrun=dryrun, gate=gate, allowed_hosts=allowed, max_body=1000
            ),
            {},
        )
        assert bool(handed) is expected


@pytest.mark.parametrize(
    ("case", "decided"),
    [("an invalid event", True), ("malformed JSON", False), ("X-Record", False)],
)
def test_an_event_judged_here_is_not_decoded_and_judged_again(
    registry_app: Litestar, case: str, decided: bool
) -> None:
    """Handed on after validate_inline declined it, the request carries the decoded event, so
    the routed handler goes straight to its worker thread; nothing else carries one."""
    dryrun = registry_app.dependencies["dryrun"].dependency()
    gate = Gate(None, registry_app.dependencies["service"].dependency())
    DECLINED.clear()
    _drive(
        lambda inner: fast_validate(
            inner, dryrun=dryrun, gate=gate, allowed_hosts=None, max_body=1000
        ),
        HANDED_ON[case][1],
    )
    if decided:
        assert [Declined(msgspec.json.decode(HANDED_ON[case][1]["body"]))] == DECLINED
    else:
        assert DECLINED == [None]
