"""Drop-in dry-run endpoints and the inspection API, over an app seeded with the catalog."""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator
from typing import Any

import msgspec
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from registry.app import create_app
from registry.catalog_files import find_catalog, load_catalog
from registry.core.catalog import CatalogSeeder
from registry.core.inspection import InspectedEvent
from registry.settings import Settings
from registry.store.inspection_memory import InMemoryInspectionLog
from registry.store.memory import InMemoryStore
from tests.postgres_server import BOTH_DATABASES

DATABASES = BOTH_DATABASES  # its app tests run on SQLite and PostgreSQL (tests/conftest.py)

CATALOG = load_catalog(find_catalog())
REPORT_MEDIA = "application/vnd.event-registry.report+json"
BASIC = {"Authorization": "Basic " + base64.b64encode(b"any:secret-key").decode()}


def seeded_app(**settings: Any) -> Litestar:
    app = create_app(Settings(**settings), store=InMemoryStore())
    CatalogSeeder(app.dependencies["service"].dependency()).seed(CATALOG)
    return app


@pytest.fixture(scope="module")
def module_app() -> Litestar:
    return seeded_app()


@pytest.fixture
def client(module_app: Litestar) -> Iterator[TestClient[Litestar]]:
    with TestClient(app=module_app, raise_server_exceptions=False) as c:
        yield c


def header_report(response: Any) -> dict[str, Any]:
    text = response.headers["x-event-registry-report"]
    return msgspec.json.decode(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))


def ev(key: str, *params: tuple[str, Any], **top: Any) -> dict[str, Any]:
    return {"eventTypeKey": key, **top, "params": [{"name": n, "value": v} for n, v in params]}


ORDER = [("email", "a@example.org"), ("externalOrderId", "SO-1"), ("totalCost", "10.0"),
         ("status", "INITIALIZED"), ("date", "2024-11-02T09:15:00")]  # fmt: skip


def test_accepted_event_is_200_empty_with_the_report_in_a_header(client: TestClient) -> None:
    r = client.post("/api/v2/event", json=ev("orderCreated", *ORDER), headers=BASIC)
    assert (r.status_code, r.content) == (200, b"")
    report = header_report(r)
    assert report["format"] == "v2"
    assert report["valid"] is True
    assert report["events"][0]["report"]["eventTypeKey"] == "orderCreated"
    assert r.headers["x-event-registry-request-id"] == report["requestId"]


def test_missing_required_params_get_yespos_400_text(client: TestClient) -> None:
    r = client.post("/api/v1/event", json=ev("orderCreated", ("email", "a@example.org")))
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("text/plain")
    prefix = "The event should have the following params: "
    assert r.text.startswith(prefix)
    structure = msgspec.json.decode(r.text[len(prefix) :])
    assert {"name": "externalOrderId", "required": True} in structure
    assert {"name": "currency", "required": False} in structure
    assert header_report(r)["valid"] is False


def test_refused_envelope_is_400_text(client: TestClient) -> None:
    r = client.post("/api/v2/event", json=ev("bad?key", ("email", "x@example.org")))
    assert r.status_code == 400
    assert "forbidden character" in r.text


def test_type_errors_keep_yespos_200_but_the_report_is_invalid(client: TestClient) -> None:
    event = ev("orderCreated", *ORDER[:3], ("status", "DELIVERD"), ORDER[4])
    r = client.post("/api/v2/event", json=event)
    assert r.status_code == 200
    errors = header_report(r)["events"][0]["report"]["errors"]
    assert [(e["code"], e.get("suggestion")) for e in errors] == [("not_in_enum", "DELIVERED")]


@pytest.mark.parametrize(
    ("url", "headers"),
    [("/api/v2/event?report=true", {}), ("/api/v2/event", {"Accept": REPORT_MEDIA})],
)
def test_report_as_body_when_asked(client: TestClient, url: str, headers: dict) -> None:
    r = client.post(url, json=ev("orderCreated", ("email", "a@example.org")), headers=headers)
    assert r.status_code == 400
    assert r.headers["content-type"].startswith(REPORT_MEDIA)
    body = r.json()
    assert body["httpStatus"] == 400
    assert body["events"][0]["report"]["valid"] is False


def test_bearer_auth_is_accepted_and_ignored(client: TestClient) -> None:
    r = client.post("/api/v2/event", json=ev("orderCreated", *ORDER),
                    headers={"Authorization": "Bearer whatever"})  # fmt: skip
    assert r.status_code == 200


def test_malformed_json_is_a_problem(client: TestClient) -> None:
    r = client.post("/api/v2/event", content=b"{", headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    assert r.json()["code"] == "malformed_json"


def test_past_events_answer_yespos_results(client: TestClient) -> None:
    events = [
        ev("searchRequest", ("search", "mug"), keyValue="k", occurred="2023-03-22T14:30"),
        ev("searchRequest", ("search", "mug"), keyValue="k", occurred="22.03.2023"),
        ev("searchRequest", ("search", "mug"), keyValue="k"),
        ev("searchRequest", ("search", "mug"), keyValue="k", occurred="2999-01-01"),
        ev("searchRequest", ("search", "mug"), occurred="2023-01-05"),
        ev("searchRequest", ("isFound", 1), keyValue="k", occurred="2023-01-05"),
    ]
    r = client.post("/api/v2/past_events", json={"events": events})
    assert r.status_code == 200
    body = r.json()
    assert [x["status"] for x in body["results"]] == [
        "ACCEPTED", "INCORRECT_OCCURRED_DATE_FORMAT", "OCCURRED_DATE_IS_REQUIRED",
        "OCCURRED_TIME_IN_FUTURE", "KEY_VALUE_IS_REQUIRED", "ACCEPTED",
    ]  # fmt: skip
    assert (body["successCount"], body["errorCount"]) == (2, 4)
    outcomes = header_report(r)["events"]
    assert outcomes[5]["report"]["errors"][0]["path"] == "/events/5/params"  # search missing
    assert outcomes[1]["report"]["errors"][0]["path"] == "/events/1/occurred"


def test_more_than_500_past_events_is_400(client: TestClient) -> None:
    events = [ev("searchRequest", ("search", "x"), keyValue="k", occurred="2023-01-05")] * 501
    r = client.post("/api/v1/past_events", json={"events": events})
    assert r.status_code == 400
    assert "at most 500" in r.text
    assert "too_many_events" in header_report(r)["codes"]  # digest: the full report > 8 KB


def test_mobile_batch(client: TestClient) -> None:
    body = {"deviceId": "dev-1", "externalUserId": "c-1", "events": [
        {"eventTypeKey": "screenView", "occurred": "2024-11-02T09:15:05.000Z",
         "params": [{"name": "screenClass", "value": "CartFragment"}]},
        {"eventTypeKey": "SessionStarted", "params": [{"name": "sessionID", "value": "s"}]},
    ]}  # fmt: skip
    r = client.post("/api/v1/events?report=true", json=body)
    assert r.status_code == 200
    first, second = r.json()["events"]
    assert first["report"]["valid"] is True
    assert {e["code"] for e in second["report"]["errors"]} == {
        "required_missing",
        "occurred_required",
    }
    assert client.post("/api/v1/events", json={"events": []}).status_code == 400


def test_inspection_by_run_id(module_app: Litestar) -> None:
    with TestClient(app=module_app) as client:
        run = {"X-Run-Id": "run-inspect"}
        client.post("/api/v2/event", json=ev("orderCreated", *ORDER), headers=run)
        client.post(
            "/api/v1/event?runId=run-inspect", json=ev("orderCreated", ("email", "b@x.org"))
        )
        client.post(
            "/validate?record=true", json=ev("searchRequest", ("email", "c@x.org")), headers=run
        )
        client.post("/validate", json=ev("searchRequest", ("email", "d@x.org")), headers=run)
        items = client.get("/inspect/events", params={"runId": "run-inspect"}).json()["items"]
        assert [(i["format"], i["valid"]) for i in items] == [
            ("validate", False),
            ("v1", False),
            ("v2", True),
        ]
        assert items[1]["httpStatus"] == 400
        assert items[0]["httpStatus"] is None
        assert items[1]["payload"]["params"][0]["value"] == "***"  # masked
        invalid = client.get("/inspect/events?runId=run-inspect&valid=false&code=required_missing")
        assert len(invalid.json()["items"]) == 2
        summary = client.get("/inspect/summary", params={"runId": "run-inspect"}).json()
        assert summary["total"] == 3
        assert summary["invalid"] == 2
        assert summary["byEventType"]["orderCreated"]["total"] == 2
        assert summary["byCode"]["required_missing"]["events"] == 2
        assert summary["byParam"]["search"] == 1
        assert client.delete("/inspect/events?runId=run-inspect").json() == {"deleted": 3}
        assert client.delete("/inspect/events").status_code == 422


def test_inspection_pagination_and_bad_queries(client: TestClient) -> None:
    for n in range(5):
        client.post("/api/v2/event?runId=pages", json=ev("orderCreated", *ORDER, ("n", n)))
    seen, cursor = [], None
    while True:
        params = {"runId": "pages", "limit": 2, **({"cursor": cursor} if cursor else {})}
        page = client.get("/inspect/events", params=params).json()
        seen += [i["payload"]["params"][-1]["value"] for i in page["items"]]
        if not (cursor := page["nextCursor"]):
            break
    assert seen == [4, 3, 2, 1, 0]
    assert client.get("/inspect/events?cursor=abc").status_code == 422
    assert client.get("/inspect/events?since=yesterday").status_code == 422
    future = client.get("/inspect/events?runId=pages&since=2999-01-01T00:00:00Z").json()
    assert future["items"] == []


def test_masking_follows_the_setting() -> None:
    app = seeded_app(mask_fields="externalOrderId")
    with TestClient(app=app) as client:
        client.post("/api/v2/event?runId=m", json=ev("orderCreated", *ORDER))
        payload = client.get("/inspect/events?runId=m").json()["items"][0]["payload"]
    values = {p["name"]: p["value"] for p in payload["params"]}
    assert values["externalOrderId"] == "***"
    assert values["email"] == "a@example.org"


def test_the_server_purges_old_entries_in_the_background() -> None:
    log = InMemoryInspectionLog()
    old = InspectedEvent(received_at="2000-01-01T00:00:00.000Z", format="v2", request_id="r",
                         valid=True, payload={}, report={})  # fmt: skip
    log.record(entries=[old, msgspec.structs.replace(old, received_at="2999-01-01T00:00:00.000Z")])
    app = create_app(Settings(purge_interval_minutes=1), store=InMemoryStore(), inspection=log)
    with TestClient(app=app):
        deadline = time.monotonic() + 5
        while log.summary(run_id=None).total != 1 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert log.summary(run_id=None).total == 1  # the first purge runs at start-up
    off = create_app(Settings(purge_interval_minutes=0), store=InMemoryStore(), inspection=log)
    log.record(entries=[old])
    with TestClient(app=off):
        time.sleep(0.05)
    assert log.summary(run_id=None).total == 2


def test_purge_applies_age_and_count_limits() -> None:
    app = seeded_app(retention_days=1, retention_max_events=2, purge_interval_minutes=0)
    dryrun = app.dependencies["dryrun"].dependency()
    with TestClient(app=app) as client:
        for _ in range(4):
            client.post("/api/v2/event?runId=p", json=ev("orderCreated", *ORDER))
    assert dryrun.purge() == 2
    assert dryrun.summary(run_id="p").total == 2
