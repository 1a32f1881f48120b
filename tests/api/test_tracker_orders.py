"""The tracker and Orders API emulation's own codes, run tagging, and unsupported Yespo paths."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from registry.app import create_app
from registry.catalog_files import find_catalog, load_catalog
from registry.core.catalog import CatalogSeeder
from registry.settings import Settings
from registry.store.memory import InMemoryStore

CATALOG = load_catalog(find_catalog())
GENERAL = {"eventName": "SearchRequest", "siteId": "S1", "datetime": 1733050000000,
           "cookies": {"sc": "c-1"}}  # fmt: skip
SEARCH = {"GeneralInfo": GENERAL, "SearchRequest": {"search": "kettle", "isFound": 1}}
ORDER = {"externalOrderId": "SO-1", "totalCost": 120, "status": "INITIALIZED",
         "date": "2024-12-01T10:00:00Z", "currency": "USD", "email": "a@example.org",
         "items": [{"externalItemId": "A", "quantity": 2, "cost": 60}]}  # fmt: skip


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient[Litestar]]:
    app = create_app(Settings(), store=InMemoryStore())
    CatalogSeeder(app.dependencies["service"].dependency()).seed(CATALOG)
    with TestClient(app=app, raise_server_exceptions=False) as c:
        yield c


def found(report: dict[str, Any]) -> set[tuple[str, str, str]]:
    inner = [v for e in report["events"] for v in e["report"]["errors"] + e["report"]["warnings"]]
    return {(v["code"], v["severity"], v["path"]) for v in report["errors"] + inner}


def v2_order(*pairs: tuple[str, Any]) -> dict[str, Any]:
    return {"eventTypeKey": "orderCreated", "params": [{"name": n, "value": v} for n, v in pairs]}


FULL = [("email", "a@example.org"), ("externalOrderId", "SO-1"), ("totalCost", "120.0"),
        ("status", "INITIALIZED"), ("date", "2024-11-02T09:15:00")]  # fmt: skip

CASES = [
    ("tracker_malformed-no-general-info", "/api/v2", {"SearchRequest": {"search": "x"}},
     ("tracker_malformed", "error", "")),
    ("tracker_malformed-general-info-not-object", "/api/v2", {"GeneralInfo": []},
     ("tracker_malformed", "error", "/GeneralInfo")),
    ("tracker_malformed-no-event-name", "/api/v2", {"GeneralInfo": {"siteId": "S1"}},
     ("tracker_malformed", "error", "/GeneralInfo/eventName")),
    ("tracker-unknown-event-name", "/api/v2", {"GeneralInfo": {**GENERAL, "eventName": "Nope"}},
     ("unknown_event_type", "error", "/GeneralInfo/eventName")),
    ("tracker_product_key_alias", "/api/v2", {
        "GeneralInfo": {**GENERAL, "eventName": "PurchasedItems"},
        "PurchasedItems": {"OrderNumber": "1", "Products": [
            {"productKey": "P", "unit_price": "1", "quantity": 1}]}},
     ("tracker_product_key_alias", "warning", "/PurchasedItems/Products/0/productKey")),
    ("tracker-datetime-in-seconds", "/api/v2",
     {**SEARCH, "GeneralInfo": {**GENERAL, "datetime": 1733050000}},
     ("out_of_range", "error", "/GeneralInfo/datetime")),
    ("invalid_batch-orders-not-a-list", "/api/v1/orders", {"orders": {}},
     ("invalid_batch", "error", "/orders")),
    ("invalid_batch-order-not-object", "/api/v1/orders", {"orders": [ORDER, 3]},
     ("invalid_batch", "error", "/orders/1")),
    ("too_many_orders", "/api/v1/orders", {"orders": [ORDER] * 1001},
     ("too_many_orders", "error", "/orders")),
    ("order_contact_missing", "/api/v1/orders", {"orders": [{**ORDER, "email": " "}]},
     ("order_contact_missing", "error", "/orders/0")),
    ("order_total_mismatch-orders-api", "/api/v1/orders", {"orders": [{**ORDER, "totalCost": 99}]},
     ("order_total_mismatch", "warning", "/orders/0/totalCost")),
    ("order_id_not_string", "/api/v1/orders", {"orders": [{**ORDER, "externalOrderId": 5}]},
     ("order_id_not_string", "warning", "/orders/0/externalOrderId")),
    ("order-required-missing", "/api/v1/orders", {"orders": [{**ORDER, "currency": None}]},
     ("type_mismatch", "error", "/orders/0/currency")),
    ("order_ignored-v2-event", "/api/v2/event", v2_order(*FULL[:4]),
     ("order_ignored", "warning", "")),
    ("order_total_mismatch-v2-event", "/api/v2/event", v2_order(*FULL, ("items", [
        {"externalItemId": "A", "name": "n", "category": "c", "quantity": 2, "cost": 50,
         "url": "u", "imageUrl": "i"}])),
     ("order_total_mismatch", "warning", "/params/2/value")),
]  # fmt: skip


ANSWERED_400 = {"invalid_batch", "too_many_orders", "order_ignored"}
"""Batch shape problems; the order_ignored case also lacks a required param (Yespo's 400 text)."""


@pytest.mark.parametrize(("path", "body", "expected"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])  # fmt: skip
def test_code(client: TestClient[Litestar], path: str, body: Any, expected: Any) -> None:
    r = client.post(f"{path}?report=true", json=body)
    assert r.status_code == (400 if expected[0] in ANSWERED_400 else 200)
    report = r.json()
    assert expected in found(report)
    assert report["valid"] is not any(severity == "error" for _, severity, _ in found(report))
    if expected[1] == "error":
        assert report["valid"] is False


def test_tracker_answers_200_empty_even_for_a_broken_event(client: TestClient[Litestar]) -> None:
    r = client.post("/api/v2", json={"GeneralInfo": {"siteId": "S1"}})
    assert (r.status_code, r.content) == (200, b"")
    assert r.headers["x-event-registry-report"]


def test_orders_answer_lists_failed_orders_only(client: TestClient[Litestar]) -> None:
    bad = {**ORDER, "status": "SHIPPED"}
    r = client.post("/api/v1/orders", json={"orders": [ORDER, bad]})
    assert r.status_code == 200
    [failed] = r.json()["failedOrders"]
    assert failed["order"] == bad
    assert failed["error"].startswith("/orders/1/status: ")


def test_orders_without_the_order_type_are_judged_by_the_rules_alone() -> None:
    app = create_app(Settings(), store=InMemoryStore())
    with TestClient(app=app) as c:
        r = c.post("/api/v1/orders?report=true", json={"orders": [ORDER]})
    assert r.status_code == 200
    assert {(v["code"], v["path"]) for v in r.json()["events"][0]["report"]["errors"]} == {
        ("unknown_event_type", "/orders/0")
    }


# -- run tagging ---------------------------------------------------------------------------


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


TAGS = [
    ("basic-password-prefix", "/api/v2", {"Authorization": f"Basic {b64(':run-t1.secret')}"}, "t1"),
    ("basic-run-user", "/api/v2", {"Authorization": f"Basic {b64('run:t2:secret')}"}, "t2"),
    ("bearer-prefix", "/api/v2/event", {"Authorization": "Bearer run-t3.secret"}, "t3"),
    ("reteno-key", "/api/v1/events", {"X-Reteno-Access-Key": "run-t4.secret"}, "t4"),
    ("path-prefix", "/run/t5/api/v2", {}, "t5"),
    ("path-prefix-orders", "/run/t6/api/v1/orders", {}, "t6"),
    ("explicit-header-wins", "/run/t7/api/v2", {"X-Run-Id": "t8"}, "t8"),
    ("path-prefix-wins-over-key", "/run/t9/api/v2",
     {"Authorization": "Bearer run-t10.secret"}, "t9"),
    ("no-prefix-no-tag", "/api/v2", {"Authorization": f"Basic {b64('user:plainkey')}"}, None),
]  # fmt: skip
BODIES = {
    "/api/v2": SEARCH,
    "/api/v2/event": v2_order(*FULL),
    "/api/v1/events": {"deviceId": "d", "events": []},
    "/api/v1/orders": {"orders": [ORDER]},
}


@pytest.mark.parametrize(("path", "headers", "run_id"), [t[1:] for t in TAGS],
                         ids=[t[0] for t in TAGS])  # fmt: skip
def test_run_id_from_the_credentials_or_the_path(
    client: TestClient[Litestar], path: str, headers: dict[str, str], run_id: str | None
) -> None:
    body = BODIES[path.removeprefix(path.split("/api", maxsplit=1)[0])]
    r = client.post(f"{path}?report=true", json=body, headers=headers)
    assert r.status_code == 200
    assert r.json()["runId"] == run_id
    if run_id is not None:
        items = client.get("/inspect/events", params={"runId": run_id}).json()["items"]
        assert items
        assert all("secret" not in str(e) for e in items)


def test_a_bad_run_id_in_the_path_is_refused(client: TestClient[Litestar]) -> None:
    r = client.post("/run/-bad/api/v2", json=SEARCH)
    assert r.status_code == 422
    assert r.json()["code"] == "invalid_request"


# -- unsupported paths ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "api"),
    [
        ("POST", "/api/v1/contacts", "the Contacts API"),
        ("GET", "/api/v1/groups", "the Groups API"),
        ("POST", "/api/v1/message/email", "the Messages API"),
        ("DELETE", "/api/v2/whatever/1", "this Yespo API"),
        ("PUT", "/run/u1/api/v1/contact", "the Contacts API"),
    ],
)
def test_unknown_yespo_path_is_not_emulated_and_recorded(
    client: TestClient[Litestar], method: str, path: str, api: str
) -> None:
    r = client.request(method, path, json={"x": 1}, headers={"Authorization": "Bearer run-u1.s"})
    assert r.status_code == 404
    problem = r.json()
    assert (problem["code"], problem["yespoApi"], problem["path"]) == ("not_emulated", api, path)
    [entry] = client.get("/inspect/events", params={"runId": "u1", "limit": 1}).json()["items"]
    assert (entry["format"], entry["valid"], entry["httpStatus"]) == ("unsupported", False, 404)
    assert entry["payload"] == {"method": method, "path": path, "body": {"x": 1}}
    assert entry["report"]["errors"][0]["code"] == "not_emulated"


def test_unsupported_request_with_a_text_body_is_recorded_as_text(
    client: TestClient[Litestar],
) -> None:
    r = client.request("GET", "/api/v1/contacts?email=a", headers={"X-Run-Id": "u2"})
    assert r.status_code == 404
    [entry] = client.get("/inspect/events", params={"runId": "u2"}).json()["items"]
    assert entry["payload"]["body"] is None


def test_known_paths_keep_their_answers(client: TestClient[Litestar]) -> None:
    assert client.get("/api/v1/event").status_code == 405
    assert client.get("/inspect/summary").status_code == 200
    assert client.get("/no-such-thing").json()["code"] == "not_found"


def test_mobile_sdk_orders_are_not_judged_by_the_order_event_rules(
    client: TestClient[Litestar],
) -> None:
    """The SDK batch names the buyer by its device; the same params on /api/v2/event do not."""
    params = [{"name": "externalOrderId", "value": "1"}, {"name": "totalCost", "value": "5"}]
    event = {"eventTypeKey": "orderCreated", "params": params}
    batch = {"deviceId": "d", "externalUserId": "u",
             "events": [{**event, "occurred": "2024-11-02T09:15:00.123Z"}]}  # fmt: skip
    mobile = client.post("/api/v1/events?report=true", json=batch).json()
    assert "order_ignored" not in {c for c, _, _ in found(mobile)}
    v2 = client.post("/api/v2/event?report=true", json={**event, "keyValue": "k"}).json()
    assert "order_ignored" in {c for c, _, _ in found(v2)}
