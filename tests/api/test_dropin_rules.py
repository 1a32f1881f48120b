"""Issue 9 drop-in rules, each both ways: paths as sent, the buyer rule and its aliases, messages
that name their param, root-level 400 lines, and the per-type *Validate parameters* switch.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import msgspec
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from registry.app import create_app
from registry.catalog_files import find_catalog, load_catalog
from registry.core.catalog import CatalogSeeder
from registry.core.validation.envelope import CONTACT_IDENTIFIERS
from registry.settings import Settings
from registry.store.memory import InMemoryStore

CATALOG = load_catalog(find_catalog())
BUYER = ["externalCustomerId", "email", "phone"]
BUYER_MESSAGE = (
    "params: one of externalCustomerId, email, phone, contactId, Contact_id, EmailAddress, "
    "UserEmail, ContactEmail, SMS, PhoneNumber, pushToken is needed; none is present"
)


@pytest.fixture
def client() -> Iterator[TestClient[Litestar]]:
    app = create_app(Settings(), store=InMemoryStore())
    CatalogSeeder(app.dependencies["service"].dependency()).seed(CATALOG)
    with TestClient(app=app, raise_server_exceptions=False) as c:
        yield c


def p(*pairs: tuple[str, Any]) -> list[dict[str, Any]]:
    return [{"name": n, "value": v} for n, v in pairs]


def report_of(response: Any) -> dict[str, Any]:
    text = response.headers["x-event-registry-report"]
    return msgspec.json.decode(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))


def violations(response: Any) -> list[tuple[str, str, str]]:
    """(severity, code, path) of every violation of every event, in report order."""
    found = []
    for outcome in report_of(response)["events"]:
        for severity in ("errors", "warnings"):
            found += [(severity, v["code"], v["path"]) for v in outcome["report"][severity]]
    return found


ORDER = [("externalOrderId", "SO-7"), ("totalCost", "10.00"), ("status", "INITIALIZED"),
         ("date", "2024-11-02T09:15:00")]  # fmt: skip


# -- paths as sent under the 'parameters' alias (dkulyk/esputnik) -----------------------------


def test_paths_under_the_parameters_alias_point_into_the_payload_as_sent(
    client: TestClient,
) -> None:
    # dkulyk/esputnik@master:src/Types/EventDto.php serialises the list under 'parameters'
    body = {"eventTypeKey": "searchRequest", "keyValue": "c-3",
            "parameters": p(("search", "mug"), ("isFound", "yes"))}  # fmt: skip
    r = client.post("/api/v1/event", json=body)
    assert r.status_code == 200
    assert violations(r) == [
        ("errors", "not_in_enum", "/parameters/1/value"),
        ("warnings", "params_alias", "/parameters"),
    ]


def test_paths_stay_under_params_when_the_payload_says_params(client: TestClient) -> None:
    body = {"eventTypeKey": "searchRequest", "keyValue": "c-3",
            "params": p(("search", "mug"), ("isFound", "yes"))}  # fmt: skip
    r = client.post("/api/v1/event", json=body)
    assert violations(r) == [("errors", "not_in_enum", "/params/1/value")]


def test_a_duplicate_under_the_alias_quotes_the_alias_path(client: TestClient) -> None:
    body = {"eventTypeKey": "searchRequest", "keyValue": "c-3",
            "parameters": p(("search", "mug"), ("search", "cup"))}  # fmt: skip
    r = client.post("/api/v1/event", json=body)
    assert r.status_code == 400
    assert r.text == (
        "/parameters/1/name: param 'search' appears again (first at /parameters/0); "
        "names must be unique"
    )


def test_a_missing_required_param_under_the_alias_still_gets_yespos_400(
    client: TestClient,
) -> None:
    body = {"eventTypeKey": "searchRequest", "keyValue": "c-3", "parameters": p(("isFound", "1"))}
    r = client.post("/api/v1/event", json=body)
    assert r.status_code == 400
    assert r.text.startswith("The event should have the following params: ")
    assert ("errors", "required_missing", "/parameters") in violations(r)


# -- the buyer rule accepts what the envelope accepts ----------------------------------------


def test_the_catalog_buyer_rule_lists_every_contact_identifier_of_the_envelope() -> None:
    for entry in CATALOG:
        if entry.key in ("orderCreated", "orderUpdated"):
            names = [b["required"][0] for b in entry.schema["anyOf"]]
            assert names[:3] == BUYER
            assert sorted(names) == sorted(CONTACT_IDENTIFIERS)


@pytest.mark.parametrize("alias", ["EmailAddress", "PhoneNumber", "contactId"])
def test_an_envelope_alias_names_the_buyer(client: TestClient, alias: str) -> None:
    # ossbrownie/esputnik@master:README.md identifies the contact with EmailAddress
    body = {"eventTypeKey": "orderCreated", "keyValue": "test-1700000000",
            "params": p((alias, "a@example.org"), *ORDER)}  # fmt: skip
    r = client.post("/api/v1/event?report=true", json=body)
    assert r.status_code == 200
    assert r.json()["valid"] is True


def test_no_buyer_says_which_identifiers_are_accepted(client: TestClient) -> None:
    body = {"eventTypeKey": "orderCreated", "keyValue": "test-1700000000", "params": p(*ORDER)}
    r = client.post("/api/v1/event?report=true", json=body)
    assert r.status_code == 200  # Yespo ignores such an order; it does not refuse it
    [error] = r.json()["events"][0]["report"]["errors"]
    assert (error["code"], error["path"], error["message"]) == (
        "composition_failed", "/params", BUYER_MESSAGE,
    )  # fmt: skip
    assert error["expected"][:3] == BUYER


IOS_ORDER = [("externalOrderId", "1043"), ("totalCost", "123.44"), ("status", "INITIALIZED"),
             ("date", "2024-11-02T09:15:00Z"), ("currencyCode", "EUR")]  # fmt: skip


def test_in_a_mobile_batch_the_device_names_the_buyer(client: TestClient) -> None:
    # reteno-com/reteno-mobile-ios-sdk@afcdec18de0a:Reteno/Sources/Ecommerce/Models/Order.swift:
    # the iOS Order has no externalCustomerId; the batch's device identifies the contact
    batch = {"deviceId": "ios-1", "externalUserId": "7001", "events": [
        {"eventTypeKey": "orderCreated", "occurred": "2024-11-02T09:15:00.123Z",
         "params": p(*IOS_ORDER)}]}  # fmt: skip
    r = client.post("/api/v1/events?report=true", json=batch)
    assert (r.status_code, r.json()["valid"]) == (200, True), r.json()


def test_outside_a_mobile_batch_the_same_order_has_no_buyer(client: TestClient) -> None:
    body = {"eventTypeKey": "orderCreated", "keyValue": "7001", "params": p(*IOS_ORDER)}
    r = client.post("/api/v2/event", json=body)
    assert violations(r) == [
        ("errors", "composition_failed", "/params"),
        ("warnings", "order_ignored", ""),  # Yespo drops it: the cross-field rule says so
    ]


def test_in_a_mobile_batch_other_alternatives_still_fail(client: TestClient) -> None:
    batch = {"deviceId": "a-1", "events": [{"eventTypeKey": "cartUpdated",
             "occurred": "2024-11-02T09:15:00.123Z", "params": p(("products", "[]"))}]}  # fmt: skip
    r = client.post("/api/v1/events?report=true", json=batch)
    [error] = r.json()["events"][0]["report"]["errors"]
    assert error["message"] == "params: one of recycleStateId, cartId is needed; none is present"
    assert error["path"] == "/events/0/params"


# -- messages name their param; root-level lines have no "/: " -------------------------------


def test_v1_value_not_string_names_its_param(client: TestClient) -> None:
    body = {"eventTypeKey": "searchRequest", "keyValue": "c-1",
            "params": p(("search", "mug"), ("isFound", 1))}  # fmt: skip
    warnings = client.post("/api/v1/event?report=true", json=body).json()["events"][0]["report"]
    [warning] = [w for w in warnings["warnings"] if w["code"] == "v1_value_not_string"]
    assert warning["param"] == "isFound"
    assert warning["message"].startswith("param 'isFound': v1 values are strings")


def test_a_string_value_in_v1_gets_no_such_warning(client: TestClient) -> None:
    body = {"eventTypeKey": "searchRequest", "keyValue": "c-1",
            "params": p(("search", "mug"), ("isFound", "1"))}  # fmt: skip
    assert violations(client.post("/api/v1/event", json=body)) == []


def test_a_long_param_name_is_named_in_its_message(client: TestClient) -> None:
    name = "n" * 101
    body = {"eventTypeKey": "searchRequest", "keyValue": "c-1", "params": p((name, "x"))}
    r = client.post("/api/v2/event", json=body)
    assert r.status_code == 400
    assert r.text.startswith(f"/params/0/name: param name '{'n' * 40}'… is 101 characters long")


def test_a_root_level_400_line_has_no_path_prefix(client: TestClient) -> None:
    r = client.post("/api/v1/events", json=["not", "a", "batch"])
    assert (r.status_code, r.text) == (
        400, "the body must be a JSON object with an 'events' array",
    )  # fmt: skip


def test_a_nested_400_line_keeps_its_path(client: TestClient) -> None:
    r = client.post("/api/v1/events", json={"deviceId": "d", "events": "none"})
    assert (r.status_code, r.text) == (400, "/events: 'events' must be an array of events")


# -- Yespo's Validate parameters switch, per event type --------------------------------------


def _switch(client: TestClient, key: str, on: bool | None) -> None:
    body = {} if on is None else {"validateParams": on}
    assert client.put(f"/event-types/{key}/config", json=body).status_code == 200


MISSING = {"eventTypeKey": "orderCreated", "params": p(("email", "a@example.org"))}


def test_switch_on_by_default_answers_yespos_400(client: TestClient) -> None:
    r = client.post("/api/v2/event", json=MISSING)
    assert r.status_code == 400
    assert r.text.startswith("The event should have the following params: ")
    config = client.get("/event-types/orderCreated/config").json()
    assert config["effective"]["validateParams"] is True


def test_switch_off_answers_200_and_the_report_keeps_every_violation(client: TestClient) -> None:
    _switch(client, "orderCreated", False)
    r = client.post("/api/v2/event?runId=switch-off", json=MISSING)
    assert (r.status_code, r.content) == (200, b"")
    report = report_of(r)
    assert (report["valid"], report["httpStatus"]) == (False, 200)
    missing = {v[2] for v in violations(r) if v[1] == "required_missing"}
    assert missing == {"/params"}
    codes = [e["code"] for e in report["events"][0]["report"]["errors"]]
    assert codes.count("required_missing") == 4  # externalOrderId, totalCost, status, date
    [logged] = client.get("/inspect/events", params={"runId": "switch-off"}).json()["items"]
    assert (logged["valid"], logged["httpStatus"]) == (False, 200)
    assert [e["code"] for e in logged["report"]["errors"]] == codes
    # only this type: another type keeps the default
    other = {"eventTypeKey": "searchRequest", "params": p(("email", "a@example.org"))}
    assert client.post("/api/v2/event", json=other).status_code == 400


def test_switch_off_never_touches_the_envelope_rules(client: TestClient) -> None:
    _switch(client, "orderCreated", False)
    duplicate = {"eventTypeKey": "orderCreated",
                 "params": p(("email", "a@example.org"), ("email", "b@example.org"))}  # fmt: skip
    r = client.post("/api/v2/event", json=duplicate)
    assert r.status_code == 400
    assert "appears again" in r.text


def test_switch_off_globally_and_back_on_per_type(client: TestClient) -> None:
    assert client.put("/config", json={"validateParams": False}).status_code == 200
    assert client.post("/api/v2/event", json=MISSING).status_code == 200
    _switch(client, "orderCreated", True)
    assert client.post("/api/v2/event", json=MISSING).status_code == 400
