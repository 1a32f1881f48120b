"""POST /event-types/{key}/infer: from body samples, and from a run recorded by the drop-in
endpoints (the client's own wire shapes: v2 list params, mobile SDK JSON-in-string items)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from registry.app import create_app
from registry.settings import Settings
from tests.infer_support import errors_against


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient[Litestar]]:
    db = tmp_path_factory.mktemp("infer") / "infer.db"
    app = create_app(Settings(db=str(db), seed_catalog=False))
    with TestClient(app=app, raise_server_exceptions=False) as c:
        yield c


def _v2(key: str, **params: Any) -> dict[str, Any]:
    return {
        "eventTypeKey": key,
        "keyValue": "buyer@example.org",
        "params": [{"name": n, "value": v} for n, v in params.items()],
    }


def _assert_problem(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == code


def test_infer_from_body_samples_gives_both_forms_and_stats(client: TestClient[Litestar]) -> None:
    samples = [_v2("bookingMade", seats=2, room="A"), _v2("bookingMade", seats=3)]
    r = client.post("/event-types/bookingMade/infer", json={"samples": samples})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["schema"]["properties"]["seats"] == {"type": "integer"}
    assert body["schema"]["required"] == ["seats"]
    assert body["params"][0] == {"name": "seats", "type": "integer", "required": True}
    assert body["stats"]["samples"] == 2
    assert [s["presence"] for s in body["stats"]["params"]] == [100.0, 50.0]
    assert "latestVersion" not in body  # the type does not exist: nothing to compare with


def test_samples_of_another_type_are_left_out(client: TestClient[Litestar]) -> None:
    samples = [_v2("bookingMade", seats=2), _v2("other", x=1), "not an event"]
    body = client.post("/event-types/bookingMade/infer", json={"samples": samples}).json()
    assert list(body["schema"]["properties"]) == ["seats"]
    assert (body["stats"]["samples"], body["stats"]["ignored"]) == (1, 2)


def test_no_usable_sample_is_invalid_request(client: TestClient[Litestar]) -> None:
    r = client.post("/event-types/bookingMade/infer", json={"samples": ["x"]})
    _assert_problem(r, 422, "invalid_request")


def test_samples_and_a_run_together_are_refused(client: TestClient[Litestar]) -> None:
    body = {"samples": [_v2("bookingMade", a=1)], "runId": "r1"}
    _assert_problem(
        client.post("/event-types/bookingMade/infer", json=body), 422, "invalid_request"
    )


def test_unknown_members_are_refused(client: TestClient[Litestar]) -> None:
    r = client.post("/event-types/bookingMade/infer", json={"sample": []})
    _assert_problem(r, 422, "invalid_request")


def test_infer_from_a_recorded_run_through_the_dropin_endpoints(
    client: TestClient[Litestar],
) -> None:
    run = {"X-Run-Id": "infer-run-1"}
    for seats, email in ((2, "a@example.org"), (4, "b@example.org")):
        r = client.post(
            "/api/v2/event", json=_v2("tableBooked", seats=seats, guest=email), headers=run
        )
        assert r.status_code == 200, r.text
    mobile = {
        "deviceId": "d-1",
        "events": [
            {
                "eventTypeKey": "tableBooked",
                "occurred": "2024-11-02T09:15:00Z",
                "params": [
                    {"name": "seats", "value": "6"},
                    {"name": "dishes", "value": '[{"name": "soup", "qty": 1}]'},
                ],
            }
        ],
    }
    assert client.post("/api/v1/events", json=mobile, headers=run).status_code == 200
    other = client.post(
        "/api/v2/event", json=_v2("tableBooked", seats=9), headers={"X-Run-Id": "x"}
    )
    assert other.status_code == 200

    r = client.post("/event-types/tableBooked/infer", json={"runId": "infer-run-1"})
    assert r.status_code == 200, r.text
    body = r.json()
    props = body["schema"]["properties"]
    assert props["seats"]["type"] == ["integer", "string"]  # v2 numbers, the SDK's text
    assert props["dishes"]["type"] == "array"  # the SDK's JSON text, decoded
    assert props["dishes"]["items"]["required"] == ["name", "qty"]
    assert body["stats"]["samples"] == 3
    sdk_sample = {"seats": "8", "dishes": '[{"name": "tea", "qty": 2}]'}
    assert (
        errors_against(body["schema"], [{"seats": 2, "guest": "z@example.org"}, sdk_sample]) == []
    )


def test_recorded_values_stored_masked_are_flagged_not_learned(
    client: TestClient[Litestar],
) -> None:
    run = {"X-Run-Id": "infer-masked"}
    for email in ("a@example.org", "b@example.org", "c@example.org"):
        event = _v2("newsletterJoined", email=email, source="footer")
        assert client.post("/api/v2/event", json=event, headers=run).status_code == 200
    body = client.post("/event-types/newsletterJoined/infer", json={"runId": "infer-masked"}).json()
    assert body["schema"]["properties"]["email"] == {"type": "string"}
    stats = {s["path"]: s for s in body["stats"]["params"]}
    assert stats["email"]["masked"] == 3
    assert "format" not in stats["email"]


def test_nothing_recorded_is_invalid_request(client: TestClient[Litestar]) -> None:
    r = client.post("/event-types/tableBooked/infer", json={"runId": "never-ran"})
    _assert_problem(r, 422, "invalid_request")


def test_an_existing_type_gets_the_typed_diff_and_the_verdict(client: TestClient[Litestar]) -> None:
    assert client.post("/event-types", json={"key": "seatChosen"}).status_code == 201
    schema = {"type": "object", "properties": {"row": {"type": "integer"}}, "required": ["row"]}
    r = client.post("/event-types/seatChosen/versions", json={"schema": schema})
    assert r.status_code == 201, r.text
    samples = [_v2("seatChosen", row="A"), _v2("seatChosen", row="B", seat=3)]
    body = client.post("/event-types/seatChosen/infer", json={"samples": samples}).json()
    assert body["latestVersion"] == 1
    codes = {c["code"] for c in body["changes"]}
    assert "type_changed" in codes
    assert body["compatibility"]["compatible"] is False
    assert body["compatibility"]["level"] == "BACKWARD"


def test_the_traffic_report_splits_what_each_client_sent(client: TestClient[Litestar]) -> None:
    run = "traffic-1"
    web = {"X-Run-Id": run, "User-Agent": "GuzzleHttp/7.8 curl/8.5 PHP/8.3"}
    for n in (1, 2, 3):
        event = _v2("lunchBooked", seats=n, coupon="SPRING")
        assert client.post("/api/v2/event", json=event, headers=web).status_code == 200
    app = {"X-Run-Id": run, "User-Agent": "okhttp/4.12.0"}
    batch = {
        "deviceId": "d-2",
        "events": [
            {
                "eventTypeKey": "lunchBooked",
                "occurred": "2024-11-02T09:15:00Z",
                "params": [{"name": "seats", "value": str(n)}],
            }
            for n in (4, 5, 6)
        ],
    }
    assert client.post("/api/v1/events", json=batch, headers=app).status_code == 200
    r = client.get("/event-types/lunchBooked/traffic", params={"runId": run})
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["events"], body["formats"], body["userAgents"]) == (
        6,
        {"v2": 3, "mobile": 3},
        {"php": 3, "android": 3},
    )
    params = {p["name"]: p for p in body["params"]}
    assert params["seats"]["types"] == {"integer": 3, "string": 3}
    assert params["seats"]["byFormat"]["mobile"] == {
        "events": 3,
        "present": 3,
        "types": {"string": 3},
    }
    assert params["seats"]["drift"] == ["type_mix_changed"]
    assert params["coupon"]["presence"] == 50.0
    assert params["coupon"]["topValues"] == [['"SPRING"', 3]]
    assert params["coupon"]["drift"] == ["missing_on_client"]


def test_the_traffic_report_of_a_quiet_type_is_empty(client: TestClient[Litestar]) -> None:
    body = client.get("/event-types/neverSent/traffic").json()
    assert (body["events"], body["params"], body["firstSeen"]) == (0, [], None)


def test_a_bad_since_is_refused(client: TestClient[Litestar]) -> None:
    r = client.get("/event-types/lunchBooked/traffic", params={"since": "yesterday"})
    _assert_problem(r, 422, "invalid_request")
