"""POST /validate/batch streams: the body is never held whole, results leave through a spool.

Memory is asserted with tracemalloc over a real uvicorn server in this process (the request is
sent chunked from a generator, so the client holds one chunk); the streamed response must be
exactly the bytes of the in-memory outcome.
"""

from __future__ import annotations

import asyncio
import http.client
import tracemalloc
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import msgspec
import pytest
from litestar.testing import TestClient

from registry.api.batch import ResultSpool
from registry.app import create_app
from registry.core.batch import AutoSplitter, BatchResult, BatchRun
from registry.core.validation import Violation
from registry.settings import Settings
from registry.store.memory import InMemoryStore
from tests.api.support import assert_problem
from tests.serving import serving

MIB = 1 << 20
NDJSON = {"content-type": "application/x-ndjson"}


def post_chunked(base: str, chunks: Iterator[bytes], ctype: str) -> tuple[int, bytes]:
    url = urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=60)
    try:
        conn.putrequest("POST", "/validate/batch")
        conn.putheader("content-type", ctype)
        conn.putheader("transfer-encoding", "chunked")
        conn.endheaders()
        for chunk in chunks:
            conn.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        conn.send(b"0\r\n\r\n")
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def commas_in_a_string() -> Iterator[bytes]:
    yield b'[{"eventTypeKey":"orderCreated","x":"'
    for _ in range(24):
        yield b"," * MIB
    yield b'"}]'


def one_long_line() -> Iterator[bytes]:
    yield b'{"eventTypeKey":"orderCreated","x":"'
    for _ in range(24):
        yield b"a" * MIB


@pytest.mark.parametrize(
    ("chunks", "ctype"),
    [(commas_in_a_string, "application/json"), (one_long_line, "application/x-ndjson")],
    ids=["array-commas-in-a-string", "ndjson-line-without-newline"],
)
def test_a_24_mib_batch_is_never_held_whole_by_the_server(chunks: Any, ctype: str) -> None:
    app = create_app(Settings(seed_catalog=False), store=InMemoryStore())
    with serving(app) as base:
        tracemalloc.start()
        try:
            status, body = post_chunked(base, chunks(), ctype)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert status == 200
    results = msgspec.json.decode(body)["results"]
    assert [e["code"] for r in results for e in r["errors"]] == ["payload_too_large"]
    # the body read whole (as before) was 24 MiB and copied ~5 times; now: a few chunks, both
    # sides of the socket counted (the client formats 1 MiB chunks in this process)
    assert peak < 16 * MIB


def events(n: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i in range(n):
        params = {"orderId": f"o-{i}", "total": i if i % 3 else -1}
        out.append({"eventTypeKey": "orderCreated", "keyValue": "k", "params": params})
        if i % 7 == 0:
            out.append({"eventTypeKey": "noSuchType", "keyValue": "k", "sampleId": i})
    return out


@pytest.fixture
def client() -> Iterator[TestClient[Any]]:
    app = create_app(Settings(seed_catalog=False), store=InMemoryStore())
    with TestClient(app=app, raise_server_exceptions=False) as c:
        schema = {
            "type": "object",
            "required": ["orderId"],
            "properties": {"orderId": {"type": "string"}, "total": {"minimum": 0}},
        }
        assert c.post("/event-types", json={"key": "orderCreated"}).status_code == 201
        r = c.post("/event-types/orderCreated/versions", json={"schema": schema})
        assert r.status_code == 201
        yield c


@pytest.mark.parametrize("keep", ["all", "invalid", "none"])
def test_the_streamed_answer_is_the_outcome_as_one_document(client: Any, keep: str) -> None:
    body = b"\n".join(msgspec.json.encode(e) for e in events(60)) + b"\nnot json\n"
    r = client.post(f"/validate/batch?results={keep}", content=body, headers=NDJSON)
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    assert int(r.headers["content-length"]) == len(r.content)
    answer = msgspec.json.decode(r.content)
    assert list(answer) == ["summary", "results"]
    assert answer["summary"]["total"] == 70
    assert answer["summary"]["malformed"] == 1
    wanted = {"all": 70, "invalid": 30, "none": 0}[keep]
    assert len(answer["results"]) == wanted
    if keep != "none":
        assert answer["results"][-1]["errors"][0]["code"] == "malformed_json"


def result(i: int) -> BatchResult:
    error = Violation(code="type_mismatch", severity="error", path="/params/x", message="m" * i)
    return BatchResult(index=i, valid=not i % 2, errors=[] if i % 2 == 0 else [error], line=i)


@pytest.mark.parametrize("memory_bytes", [64, 8 * MIB], ids=["spilled-to-a-file", "in-memory"])
def test_a_spool_sends_exactly_the_encoding_of_its_results(memory_bytes: int) -> None:
    results = [result(i) for i in range(3000)]
    spool = ResultSpool(memory_bytes=memory_bytes)
    for r in results:
        spool.add(r)
    run = BatchRun(lambda event, size: None, max_events=10)  # type: ignore[arg-type,return-value]
    summary = run.finish().summary
    response = spool.response(summary)

    async def body() -> bytes:
        return b"".join([chunk async for chunk in response.iterator])  # type: ignore[attr-defined]

    sent = asyncio.run(body())
    expected = msgspec.json.encode({"summary": summary, "results": results})
    assert sent == expected
    assert response.headers["content-length"] == str(len(expected))


def test_an_announced_body_over_the_limit_is_refused_before_it_is_read() -> None:
    app = create_app(Settings(seed_catalog=False, batch_max_bytes=1000), store=InMemoryStore())
    with TestClient(app=app, raise_server_exceptions=False) as c:
        r = c.post("/validate/batch", content=b"[" + b" " * 2000 + b"]", headers=NDJSON)
    assert_problem(r, 413, "payload_too_large")


def test_the_media_type_is_checked_on_the_streamed_body(client: Any) -> None:
    form = {"content-type": "application/x-www-form-urlencoded"}
    r = client.post("/validate/batch", content=b"a=1", headers=form)
    assert_problem(r, 415, "unsupported_media_type")
    r = client.post("/validate/batch", content=b"", headers=form)
    assert_problem(r, 415, "unsupported_media_type")
    r = client.post("/validate/batch", content=b"")  # a bodiless POST must declare JSON too
    body = assert_problem(r, 415, "unsupported_media_type")
    assert body["detail"].endswith("a POST without a body needs that header too")
    r = client.post("/validate/batch", content=b"", headers=NDJSON)
    assert r.status_code == 200
    assert r.json()["summary"]["total"] == 0


def test_a_sink_takes_the_kept_results_instead_of_the_list() -> None:
    seen: list[BatchResult] = []
    run = BatchRun(lambda event, size: None, max_events=10, sink=seen.append)  # type: ignore[arg-type,return-value]
    run.feed_chunk(AutoSplitter(), b"not json\n")
    assert [r.errors[0].code for r in seen] == ["malformed_json"]
    assert run.finish().results == []
