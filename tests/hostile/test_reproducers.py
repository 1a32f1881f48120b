"""Issue 11's reproducers, generated: each answers a clear 4xx or a correct, bounded report.

Work is asserted by counts (engine errors read, did-you-mean look-ups, key scans) and memory by
tracemalloc; wall-clock bounds are generous backstops only (the machine may be loaded).
scripts/hostile.py fires the same shapes at a real server and measures seconds, RSS and /health.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec
import pytest
from click.testing import CliRunner
from litestar import Litestar
from litestar.testing import TestClient

from registry.app import create_app
from registry.cli import main
from registry.core import suggest
from registry.core.model import EventType
from registry.core.splitting import AutoSplitter
from registry.core.validation.violations import (
    MAX_BATCH_TYPE_SUGGESTIONS,
    MAX_SUGGESTIONS,
    MAX_VIOLATIONS,
)
from registry.settings import Settings
from registry.store.memory import InMemoryStore
from registry.store.sqlite import SqliteStore
from tests.api.reports import create_type
from tests.api.support import assert_problem

BACKSTOP_S = 20.0
"""Generous wall bound: the work bounds are the real assertions."""
MIB = 1 << 20
JSON = {"content-type": "application/json"}


def fan_out(levels: int, keyword: str) -> dict[str, Any]:
    defs: dict[str, Any] = {
        f"l{i}": {keyword: [{"$ref": f"#/$defs/l{i + 1}"}, {"$ref": f"#/$defs/l{i + 1}"}]}
        for i in range(levels)
    }
    defs[f"l{levels}"] = {"type": "integer"}
    return {"$defs": defs, "type": "object", "properties": {"a": {"$ref": "#/$defs/l0"}}}


@pytest.fixture
def memory_client() -> Iterator[tuple[TestClient[Litestar], InMemoryStore]]:
    store = InMemoryStore()
    app = create_app(Settings(max_body_bytes=256_000, seed_catalog=False), store=store)
    with TestClient(app=app, raise_server_exceptions=False) as c:
        yield c, store


@pytest.mark.parametrize(("keyword", "levels"), [("oneOf", 20), ("allOf", 28), ("anyOf", 20)])
def test_exponential_ref_fan_out_is_refused_at_registration(
    client: Any, keyword: str, levels: int
) -> None:
    create_type(client, "orderCreated")
    started = time.perf_counter()
    r = client.post("/event-types/orderCreated/versions", json={"schema": fan_out(levels, keyword)})
    body = assert_problem(r, 422, "schema_too_complex")
    assert [p["pointer"] for p in body["errors"]] == ["/properties/a"]
    assert time.perf_counter() - started < BACKSTOP_S


def _stored_over_budget(db: Path) -> None:
    """A version stored before the budget existed: 2**12 alternatives, registered directly."""
    store = SqliteStore(db)
    now = "2026-01-01T00:00:00Z"
    store.create_event_type(event_type=EventType(key="legacy", created_at=now, updated_at=now))
    store.add_version(
        key="legacy", schema=fan_out(12, "allOf"), fingerprint="sha256:x", params=None,
        created_at=now,
    )  # fmt: skip
    store.close()


def test_a_stored_over_budget_version_is_served_capped_and_listed_by_migrate(
    tmp_path: Path,
) -> None:
    db = tmp_path / "legacy.db"
    _stored_over_budget(db)
    result = CliRunner().invoke(main, ["migrate", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "over the cost budget (1000): legacy version 1" in result.output
    app = create_app(Settings(db=str(db), seed_catalog=False))
    with TestClient(app=app, raise_server_exceptions=False) as c:
        event: dict[str, Any] = {
            "eventTypeKey": "legacy",
            "keyValue": "k",
            "params": {"a": "not a number"},
        }
        r = c.post("/validate", json=event)
        assert r.status_code == 200
        report = r.json()
        # 2**12 type errors underneath: the verdict only, without building the error tree
        assert report["violationsCapped"] is True
        assert [(e["code"], e["path"]) for e in report["errors"]] == [
            ("schema_violation", "/params")
        ]
        assert "over the budget of 1000" in report["errors"][0]["message"]
        event["params"] = {"a": 7}
        assert c.post("/validate", json=event).json()["valid"] is True


def test_two_to_the_n_errors_are_capped_and_the_report_says_so(client: Any) -> None:
    create_type(client, "list", schema={"properties": {"xs": {"items": {"type": "string"}}}})
    event = {"eventTypeKey": "list", "keyValue": "k", "params": {"xs": list(range(2000))}}
    r = client.post("/validate", json=event)
    assert r.status_code == 200
    report = r.json()
    assert report["violationsCapped"] is True
    assert len(report["errors"]) == MAX_VIOLATIONS
    assert [e["path"] for e in report["errors"][:2]] == ["/params/xs/0", "/params/xs/1"]


def test_an_uncapped_report_has_no_capped_member(client: Any) -> None:
    create_type(client, "list", schema={"properties": {"xs": {"items": {"type": "string"}}}})
    event = {"eventTypeKey": "list", "keyValue": "k", "params": {"xs": [1]}}
    assert "violationsCapped" not in client.post("/validate", json=event).json()


class _Counting:
    """Counts SuggestIndex.suggest calls (the did-you-mean work unit)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        real = suggest.SuggestIndex.suggest

        def counted(index: suggest.SuggestIndex, word: str) -> str | None:
            self.calls += 1
            return real(index, word)

        monkeypatch.setattr(suggest.SuggestIndex, "suggest", counted)


def test_7500_declared_params_and_1000_unknown_ones(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    props = {f"p{i:04}": {"type": "string"} for i in range(7500)}
    r = client.post("/event-types", json={"key": "wide"})
    assert r.status_code == 201
    r = client.post("/event-types/wide/versions", json={"schema": {"properties": props}})
    assert r.status_code == 201, r.text[:300]
    counting = _Counting(monkeypatch)
    params = {f"p{i:04}x": "v" for i in range(1000)}  # each one letter away from a declared name
    event = {"eventTypeKey": "wide", "keyValue": "k", "params": params}
    started = time.perf_counter()
    r = client.post("/validate", content=msgspec.json.encode(event), headers=JSON)
    assert r.status_code == 200
    report = r.json()
    assert report["violationsCapped"] is True
    assert len(report["warnings"]) == MAX_VIOLATIONS
    assert {w["code"] for w in report["warnings"]} == {"unknown_param"}
    assert counting.calls == MAX_SUGGESTIONS
    assert sum("suggestion" in w for w in report["warnings"]) == MAX_SUGGESTIONS
    assert report["warnings"][0]["suggestion"] == "p0000"
    assert time.perf_counter() - started < BACKSTOP_S


def test_3000_types_and_a_batch_of_2000_unknown_types(
    memory_client: tuple[TestClient[Litestar], InMemoryStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    client, store = memory_client
    now = "2026-01-01T00:00:00Z"
    for i in range(3000):
        store.create_event_type(
            event_type=EventType(key=f"type{i:04}", created_at=now, updated_at=now)
        )
    scans = 0
    real_keys = store.all_keys

    def counted_keys() -> list[str]:
        nonlocal scans
        scans += 1
        return real_keys()

    monkeypatch.setattr(store, "all_keys", counted_keys)
    counting = _Counting(monkeypatch)
    body = b"\n".join(
        msgspec.json.encode({"eventTypeKey": f"type{i:04}z", "keyValue": "k"}) for i in range(2000)
    )
    started = time.perf_counter()
    r = client.post(
        "/validate/batch", content=body, headers={"content-type": "application/x-ndjson"}
    )
    assert r.status_code == 200
    outcome = r.json()
    assert outcome["summary"]["byCode"] == {"unknown_event_type": 2000}
    assert outcome["results"][7]["errors"][0]["suggestion"] == "type0007"
    assert scans == 1  # one key scan for the whole batch (per change token), not one per event
    assert counting.calls == MAX_BATCH_TYPE_SUGGESTIONS  # later unknown types: no look-up
    assert "suggestion" not in outcome["results"][MAX_BATCH_TYPE_SUGGESTIONS]["errors"][0]
    assert time.perf_counter() - started < BACKSTOP_S


def _peak(feed: Any) -> tuple[list[Any], int]:
    tracemalloc.start()
    try:
        items = feed()
        return items, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_32_mib_of_commas_inside_a_string_is_one_oversize_event() -> None:
    head = b'[{"eventTypeKey":"orderCreated","x":"'
    commas = b"," * MIB

    def feed() -> list[Any]:
        splitter = AutoSplitter(max_event_bytes=256_000)
        items = list(splitter.feed(head))
        for _ in range(32):
            items += splitter.feed(commas)
        items += splitter.feed(b'"}]')
        return items + list(splitter.finish())

    items, peak = _peak(feed)
    assert [(i.index, i.oversize) for i in items] == [(0, len(head) - 1 + 32 * MIB + 2)]
    assert peak < 8 * MIB


def test_64_mib_ndjson_line_without_newline_is_one_oversize_event() -> None:
    chunk = b"a" * MIB

    def feed() -> list[Any]:
        splitter = AutoSplitter(max_event_bytes=256_000)
        items = list(splitter.feed(b'{"eventTypeKey":"x","p":"'))
        for _ in range(64):
            items += splitter.feed(chunk)
        return items + list(splitter.finish())

    items, peak = _peak(feed)
    assert [(i.index, i.line, i.oversize) for i in items] == [(0, 1, 25 + 64 * MIB)]
    assert peak < 8 * MIB


def test_an_oversize_event_is_a_violation_at_its_index_and_the_batch_goes_on(client: Any) -> None:
    create_type(client, "orderCreated")
    big = b'{"eventTypeKey":"orderCreated","keyValue":"k","x":"' + b"," * 300_000 + b'"}'
    ok = b'{"eventTypeKey":"orderCreated","keyValue":"k"}'
    for body in (b"[" + ok + b"," + big + b"," + ok + b"]", ok + b"\n" + big + b"\n" + ok):
        r = client.post("/validate/batch", content=body, headers=JSON)
        assert r.status_code == 200
        results = r.json()["results"]
        assert [x["valid"] for x in results] == [True, False, True]
        (error,) = results[1]["errors"]
        assert (error["code"], error["actual"], error["expected"]) == (
            "payload_too_large",
            len(big),
            256_000,
        )


def test_deep_json_in_string_is_a_violation_on_that_param(client: Any) -> None:
    create_type(client, "orderCreated", schema={"properties": {"items": {"type": "array"}}})
    event = {"eventTypeKey": "orderCreated", "keyValue": "k", "params": {"items": "[" * 1000}}
    r = client.post("/validate", json=event)
    assert r.status_code == 200
    (error,) = r.json()["errors"]
    assert (error["code"], error["path"]) == ("type_mismatch", "/params/items")
    batch = [event, {"eventTypeKey": "orderCreated", "keyValue": "k"}]
    r = client.post("/validate/batch", json=batch)
    assert r.status_code == 200
    assert [x["valid"] for x in r.json()["results"]] == [False, True]
