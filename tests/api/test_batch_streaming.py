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
from hypothesis import given, settings
from hypothesis import strategies as st
from litestar.testing import TestClient

from registry.api.batch import ResultSpool
from registry.app import create_app
from registry.core.batch import AutoSplitter, BatchResult, BatchRun
from registry.core.report import Report
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


@settings(max_examples=200, deadline=None)
@given(
    index=st.integers(0, 10**9),
    line=st.none() | st.integers(1, 10**9),
    key=st.none() | st.text(max_size=20),
    version=st.none() | st.integers(1, 10**6),
    schema_id=st.none() | st.integers(1, 10**9),
    before=st.integers(0, 2),
)
def test_a_plain_valid_result_from_its_template_is_the_bytes_of_its_encoding(
    index: int,
    line: int | None,
    key: str | None,
    version: int | None,
    schema_id: int | None,
    before: int,
) -> None:
    report = Report(
        valid=True, event_type_key=key, version=version, schema_id=schema_id, errors=[], warnings=[]
    )
    results = [result(i) for i in range(before)]
    plain = BatchResult(
        index=index, valid=True, event_type_key=key, version=version, schema_id=schema_id, line=line
    )
    templated, encoded = ResultSpool(), ResultSpool()
    for r in results:
        templated.add(r)
        encoded.add(r)
    for _ in range(2):  # the second one from the template made by the first
        templated.add_valid(index, line, report)
        encoded.add(plain)
    assert bytes(templated._buf) == bytes(encoded._buf)
    templated.close()
    encoded.close()


def test_a_batch_sends_plain_valid_results_through_the_template_and_the_rest_in_full() -> None:
    report = Report(valid=True, event_type_key="a", version=1, schema_id=1, errors=[], warnings=[])
    warned = Violation(code="unknown_param", severity="warning", path="/params/0", message="m")
    reports = iter([report, msgspec.structs.replace(report, warnings=[warned]), report])
    plain: list[tuple[int, int | None]] = []
    full: list[BatchResult] = []
    run = BatchRun(
        lambda event, size: next(reports),
        max_events=10,
        sink=full.append,
        valid_sink=lambda index, line, _: plain.append((index, line)),
    )
    run.feed_chunk(AutoSplitter(), b'{"a":1}\n{"b":1}\n{"sampleId":"s-1"}\n')
    run.feed_chunk(AutoSplitter(), None)
    assert plain == [(0, 1)]
    assert [(r.index, r.warnings != [], r.sample_id) for r in full] == [
        (1, True, None),
        (2, False, "s-1"),
    ]
