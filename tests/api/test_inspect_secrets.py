"""The inspection log keeps secrets: keyValue and every contact alias masked by default, name
patterns, and erasure of one contact's recorded events (privacy requests)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from registry.app import create_app
from registry.core.validation.envelope import CONTACT_IDENTIFIERS
from registry.settings import Settings
from registry.store.memory import InMemoryStore
from tests.postgres_server import BOTH_DATABASES

DATABASES = BOTH_DATABASES  # its app tests run on SQLite and PostgreSQL (tests/conftest.py)

ALIASES = [*CONTACT_IDENTIFIERS, "userEmail", "sms", "phoneNumber", "emailaddress"]


def app_with(**settings: Any) -> Litestar:
    app = create_app(Settings(**settings), store=InMemoryStore())
    service = app.dependencies["service"].dependency()
    service.create_event_type(key="orderCreated")
    service.register_version(
        key="orderCreated", schema={"type": "object", "properties": {"orderId": {"type": "string"}}}
    )
    return app


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient[Litestar]]:
    """One app for the module (building one costs a few hundred ms); tests use their own runs."""
    with TestClient(app_with()) as c:
        yield c


def recorded(client: Any, run: str) -> list[dict[str, Any]]:
    return client.get("/inspect/events", params={"runId": run}).json()["items"]


@pytest.mark.parametrize("alias", ALIASES)
@pytest.mark.parametrize("form", ["list", "object"])
def test_each_contact_alias_is_masked_by_default(client: Any, alias: str, form: str) -> None:
    secret = f"{alias.casefold()}-value@example.org"
    params: Any = (
        [{"name": alias, "value": secret}, {"name": "orderId", "value": "1"}]
        if form == "list"
        else {alias: secret, "orderId": "1"}
    )
    run = f"alias-{alias}-{form}"
    # Yespo's v2 endpoint takes the list form; /validate?record=true takes both
    url = "/api/v2/event" if form == "list" else "/validate"
    r = client.post(url, params={"runId": run, "record": "true"},
                    json={"eventTypeKey": "orderCreated", "params": params})  # fmt: skip
    assert r.status_code == 200
    (item,) = recorded(client, run)
    stored = item["payload"]["params"]
    values = {p["name"]: p["value"] for p in stored} if form == "list" else stored
    assert values[alias] == "***"
    assert values["orderId"] == "1"
    assert secret not in str(item)


def test_key_value_is_masked_and_scrubbed_from_the_report(client: Any) -> None:
    event = {"eventTypeKey": "orderCreated", "keyValue": "+380501234567",
             "params": [{"name": "orderId", "value": 5}]}  # fmt: skip
    client.post("/validate?record=true&runId=kv", json=event)
    (item,) = recorded(client, "kv")
    assert item["payload"]["keyValue"] == "***"
    assert "+380501234567" not in str(item)


def test_mask_patterns_hide_names_that_match() -> None:
    with TestClient(app_with(mask_patterns="*token*, x-pii-*")) as c:
        params = [{"name": "orderId", "value": "1"}, {"name": "AuthToken", "value": "t0k3n"},
                  {"name": "x-pii-address", "value": "Main St 1"}]  # fmt: skip
        c.post("/api/v2/event?runId=p", json={"eventTypeKey": "orderCreated", "keyValue": "k",
                                               "params": params})  # fmt: skip
        (item,) = recorded(c, "p")
    values = {p["name"]: p["value"] for p in item["payload"]["params"]}
    assert values == {"orderId": "1", "AuthToken": "***", "x-pii-address": "***"}


def test_mask_fields_keeps_meaning_names() -> None:
    with TestClient(app_with(mask_fields="orderId", mask_patterns="")) as c:
        event = {"eventTypeKey": "orderCreated", "keyValue": "k1",
                 "params": {"orderId": "1", "email": "a@b.c"}}  # fmt: skip
        c.post("/validate", params={"runId": "n", "record": "true"}, json=event)
        (item,) = recorded(c, "n")
    assert item["payload"]["params"] == {"orderId": "***", "email": "a@b.c"}
    assert item["payload"]["keyValue"] == "k1"


def send(client: Any, run: str, contact: dict[str, Any]) -> None:
    event = {
        "eventTypeKey": "orderCreated",
        **contact,
        "params": [{"name": "orderId", "value": "1"}],
    }
    assert client.post(f"/api/v2/event?runId={run}", json=event).status_code == 200


def erase_case(client: Any) -> None:
    send(client, "e", {"keyValue": "Ann@Example.org"})
    send(client, "e", {"keyValue": "bob@example.org"})
    event = {"eventTypeKey": "orderCreated",
             "params": [{"name": "EmailAddress", "value": " ann@example.org "},
                        {"name": "orderId", "value": "2"}]}  # fmt: skip
    client.post("/api/v2/event?runId=e", json=event)
    batch = {"events": [
        {"eventTypeKey": "orderCreated", "keyValue": "carol@example.org", "params": []},
        {"eventTypeKey": "orderCreated", "params": {"phone": "ann@example.org"}},
    ]}  # fmt: skip
    client.post("/api/v2/past_events?runId=e", json=batch)
    assert len(recorded(client, "e")) == 5
    erased = client.delete("/inspect/events", params={"contact": "ANN@example.org"})
    assert erased.status_code == 200
    assert erased.json() == {"deleted": 3}
    left = recorded(client, "e")
    assert len(left) == 2
    assert all(i["payload"].get("keyValue") == "***" for i in left)
    assert client.delete("/inspect/events", params={"contact": "bob@example.org"}).json() == {
        "deleted": 1
    }
    assert client.delete("/inspect/events", params={"contact": "nobody"}).json() == {"deleted": 0}


def test_erasing_one_contact_leaves_other_contacts_events(client: Any) -> None:
    erase_case(client)


def test_erasure_works_on_the_sqlite_log_across_restarts(tmp_path: Path) -> None:
    settings = Settings(db=str(tmp_path / "r.db"))
    with TestClient(create_app(settings)) as c:
        c.post("/event-types", json={"key": "orderCreated"})
        send(c, "s", {"keyValue": "ann@example.org"})
        send(c, "s", {"keyValue": "bob@example.org"})
    with TestClient(create_app(settings)) as c:  # a new process: the hash key is the database's
        assert c.delete("/inspect/events", params={"contact": "ann@example.org"}).json() == {
            "deleted": 1
        }
        assert len(recorded(c, "s")) == 1


@pytest.mark.parametrize(
    ("params", "detail"),
    [
        ({"contact": "a@b.c", "runId": "x"}, "erase a contact on its own, without runId or all"),
        ({"contact": "a@b.c", "all": "true"}, "erase a contact on its own, without runId or all"),
        ({"contact": "  "}, "name the contact to erase"),
    ],
)
def test_erasure_is_a_request_of_its_own(client: Any, params: dict[str, str], detail: str) -> None:
    response = client.delete("/inspect/events", params=params)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_request"
    assert response.json()["detail"] == detail
