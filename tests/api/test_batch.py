"""POST /validate/batch: JSON array or NDJSON, per-event results, summary, malformed lines."""

from __future__ import annotations

import json
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from registry.app import create_app
from registry.settings import Settings
from registry.store.memory import InMemoryStore
from tests.postgres_server import BOTH_DATABASES

DATABASES = BOTH_DATABASES  # its app tests run on SQLite and PostgreSQL (tests/conftest.py)

ORDER_PARAMS = [
    {"name": "orderId", "type": "string", "required": True},
    {"name": "total", "type": "number", "minimum": 0},
]


def event(order_id: Any = "o-1", total: Any = 10, key: str = "orderCreated", **extra: Any) -> dict:
    return {
        "eventTypeKey": key,
        "keyValue": "buyer@example.org",
        "params": [{"name": "orderId", "value": order_id}, {"name": "total", "value": total}],
        **extra,
    }


@pytest.fixture
def batch_client(tmp_path) -> Any:
    app: Litestar = create_app(
        Settings(db=str(tmp_path / "b.db"), batch_max_events=50, batch_max_bytes=200_000)
    )
    with TestClient(app=app, raise_server_exceptions=False) as client:
        client.post("/event-types", json={"key": "orderCreated"})
        client.post("/event-types/orderCreated/versions", json={"params": ORDER_PARAMS})
        yield client


def ndjson(*lines: Any) -> bytes:
    return "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines).encode()


def test_json_array_gets_per_event_results_and_summary(batch_client: Any) -> None:
    body = [event(), event(total=-1, sampleId="neg"), event(key="orderCreatd")]
    r = batch_client.post("/validate/batch", json=body)
    assert r.status_code == 200
    out = r.json()
    assert [x["valid"] for x in out["results"]] == [True, False, False]
    assert [x["index"] for x in out["results"]] == [0, 1, 2]
    assert out["results"][1]["sampleId"] == "neg"
    assert out["results"][1]["errors"][0]["code"] == "out_of_range"
    summary = out["summary"]
    assert (summary["total"], summary["valid"], summary["invalid"]) == (3, 1, 2)
    assert summary["byCode"] == {"out_of_range": 1, "unknown_event_type": 1}
    assert summary["byEventType"]["orderCreated"] == {"total": 2, "invalid": 1}
    assert summary["byParam"] == {"total": 1}


def test_ndjson_malformed_lines_are_reported_by_line_and_do_not_stop(batch_client: Any) -> None:
    body = ndjson(event(), "{not json", "", event(order_id=5))
    r = batch_client.post(
        "/validate/batch", content=body, headers={"content-type": "application/x-ndjson"}
    )
    assert r.status_code == 200
    results = r.json()["results"]
    assert [(x["index"], x["line"], x["valid"]) for x in results] == [
        (0, 1, True),
        (1, 2, False),
        (2, 4, False),
    ]
    assert results[1]["errors"][0]["code"] == "malformed_json"
    assert results[2]["errors"][0]["code"] == "type_mismatch"
    assert r.json()["summary"]["malformed"] == 1


def test_results_filter(batch_client: Any) -> None:
    body = [event(), event(total="x")]
    only_invalid = batch_client.post("/validate/batch?results=invalid", json=body).json()
    assert [x["index"] for x in only_invalid["results"]] == [1]
    none = batch_client.post("/validate/batch?results=none", json=body).json()
    assert none["results"] == []
    assert none["summary"]["total"] == 2


def test_modes_apply_to_every_event(batch_client: Any) -> None:
    body = [event(total="12.5"), event(extra_param=1)]
    body[1]["params"].append({"name": "coupon", "value": "X"})
    lenient = batch_client.post("/validate/batch", json=body).json()["results"]
    assert lenient[0]["valid"] is False
    assert lenient[1]["valid"] is True
    strict = batch_client.post("/validate/batch?mode=strict&coerce=true", json=body).json()
    assert [x["valid"] for x in strict["results"]] == [True, False]


def test_too_many_events_is_413(batch_client: Any) -> None:
    r = batch_client.post("/validate/batch", json=[event()] * 51)
    assert r.status_code == 413
    assert r.json()["code"] == "payload_too_large"


def test_too_many_bytes_is_413(batch_client: Any) -> None:
    body = ndjson(*[event(order_id="x" * 5000)] * 45)
    r = batch_client.post(
        "/validate/batch", content=body, headers={"content-type": "application/x-ndjson"}
    )
    assert r.status_code == 413
    assert r.json()["code"] == "payload_too_large"


def test_unclosed_array_is_malformed(batch_client: Any) -> None:
    r = batch_client.post(
        "/validate/batch",
        content=b"[" + json.dumps(event()).encode(),
        headers={"content-type": "application/json"},
    )
    assert r.status_code == 400
    assert r.json()["code"] == "malformed_json"


def test_empty_array_and_empty_body(batch_client: Any) -> None:
    r = batch_client.post("/validate/batch", json=[])
    assert r.status_code == 200
    assert r.json()["summary"]["total"] == 0
    r = batch_client.post(
        "/validate/batch", content=b"", headers={"content-type": "application/x-ndjson"}
    )
    assert r.status_code == 200
    assert r.json()["summary"]["total"] == 0


def test_batch_of_1000_ndjson_events_matches_single_validation(batch_client: Any) -> None:
    app = create_app(Settings(batch_max_events=100_000), store=InMemoryStore())
    with TestClient(app=app) as client:
        client.post("/event-types", json={"key": "orderCreated"})
        client.post("/event-types/orderCreated/versions", json={"params": ORDER_PARAMS})
        events = [event(total=i - 500) for i in range(1000)]
        r = client.post(
            "/validate/batch",
            content=ndjson(*events),
            headers={"content-type": "application/x-ndjson"},
        )
        batch = r.json()["results"]
        singles = [client.post("/validate", json=e).json() for e in events[495:505]]
    assert [b["valid"] for b in batch[495:505]] == [s["valid"] for s in singles]
    assert r.json()["summary"]["invalid"] == 500
