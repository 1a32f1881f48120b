"""The audit trail over HTTP: who changed what, when and from where; GET/DELETE /audit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from litestar.testing import TestClient

from registry.app import create_app
from registry.core.canonical import fingerprint
from registry.settings import Settings
from registry.store.memory import InMemoryStore
from tests.harness import URL, Cli
from tests.serving import serving

JSON_TYPE = {"Content-Type": "application/json"}
"""A bodiless POST must declare JSON (no cross-site form can change anything)."""

SCHEMA = {"type": "object", "properties": {"orderId": {"type": "string"}}}
SCHEMA_2 = {"type": "object", "properties": {"orderId": {"type": "string"}, "x": {}}}


@dataclass(frozen=True)
class Principal:
    """Stands in for registry.core.auth.Principal: what authentication leaves in the scope."""

    name: str


def entries(client: Any, **params: Any) -> list[dict[str, Any]]:
    response = client.get("/audit", params={"limit": 500, **params})
    assert response.status_code == 200, response.text
    return response.json()["items"]


@pytest.fixture
def client() -> Any:
    with TestClient(create_app(Settings(), store=InMemoryStore())) as c:
        yield c


def test_every_state_change_is_recorded_with_before_and_after(client: Any) -> None:
    assert (
        client.post("/event-types", json={"key": "orderCreated", "tags": ["shop"]}).status_code
        == 201
    )
    client.patch("/event-types/orderCreated", json={"owner": "shop-team"})
    client.post("/event-types/orderCreated/versions", json={"schema": SCHEMA})
    client.post("/event-types/orderCreated/versions", json={"schema": SCHEMA_2})
    client.patch("/event-types/orderCreated/versions/1",
                 json={"state": "deprecated", "sunset": "2030-01-01"})  # fmt: skip
    client.put("/config", json={"compatibility": "FULL"})
    client.put("/event-types/orderCreated/config", json={"validationMode": "strict"})
    client.delete("/event-types/orderCreated/config")
    example = {"payload": {"eventTypeKey": "orderCreated"}, "expectValid": False}
    client.put("/event-types/orderCreated/examples/paid", json=example)
    client.delete("/event-types/orderCreated/examples/paid")
    client.delete("/event-types/orderCreated")
    client.post("/event-types/orderCreated/restore", headers=JSON_TYPE)  # bodiless POST: declared
    got = entries(client)
    assert [(e["action"], e.get("version"), e.get("name")) for e in got] == [
        ("event_type.create", None, None),
        ("event_type.update", None, None),
        ("version.register", 1, None),
        ("version.register", 2, None),
        ("version.state", 1, None),
        ("config.global", None, None),
        ("config.type", None, None),
        ("config.type", None, None),
        ("example.put", None, "paid"),
        ("example.delete", None, "paid"),
        ("event_type.delete", None, None),
        ("event_type.restore", None, None),
    ]
    assert {(e["actor"], e["address"]) for e in got} == {("anonymous", "testclient")}
    assert got[1]["changes"] == {"owner": ["", "shop-team"]}
    assert got[2]["changes"] == {
        "fingerprint": [None, fingerprint(SCHEMA)],
        "state": [None, "active"],
    }
    assert got[4]["changes"] == {"state": ["active", "deprecated"], "sunset": [None, "2030-01-01"]}
    assert got[5]["changes"] == {"compatibility": [None, "FULL"]}
    assert got[6]["changes"] == {"validationMode": [None, "strict"]}
    assert got[7]["changes"] == {"validationMode": ["strict", None]}
    assert got[10]["changes"] == {"deleted": [False, True]}


def test_refused_changes_and_reads_are_not_recorded(client: Any) -> None:
    client.post("/event-types", json={"key": "a"})
    assert client.post("/event-types", json={"key": "a"}).status_code == 409
    assert client.post("/event-types/a/versions", json={"schema": {"type": 5}}).status_code == 422
    client.get("/event-types/a")
    client.post("/validate", json={"eventTypeKey": "a", "keyValue": "k", "params": []})
    assert [e["action"] for e in entries(client)] == ["event_type.create"]


def test_registering_identical_content_again_records_nothing(client: Any) -> None:
    client.post("/event-types", json={"key": "a"})
    client.post("/event-types/a/versions", json={"schema": SCHEMA})
    assert client.post("/event-types/a/versions", json={"schema": SCHEMA}).status_code == 200
    assert [e["action"] for e in entries(client)] == ["event_type.create", "version.register"]


def test_the_trail_survives_a_permanent_delete(client: Any) -> None:
    client.post("/event-types", json={"key": "a"})
    client.post("/event-types/a/versions", json={"schema": SCHEMA})
    client.delete("/event-types/a")
    assert client.delete("/event-types/a", params={"permanent": "true"}).status_code == 204
    got = entries(client, key="a")
    assert [e["action"] for e in got] == [
        "event_type.create", "version.register", "event_type.delete", "event_type.purge",
    ]  # fmt: skip
    assert got[-1]["changes"]["v1"] == [fingerprint(SCHEMA), None]


def test_the_actor_is_the_authenticated_principal() -> None:
    admin = "admin-token-for-the-audit-test"
    app = create_app(Settings(auth="on", admin_token=admin), store=InMemoryStore())
    with TestClient(app) as c:
        c.headers["Authorization"] = f"Bearer {admin}"
        writer = c.post("/tokens", json={"name": "ci-pipeline", "scope": "write"}).json()
        c.post(
            "/event-types",
            json={"key": "a"},
            headers={"Authorization": f"Bearer {writer['token']}"},
        )
        assert entries(c, actor="ci-pipeline")[0]["action"] == "event_type.create"
        assert entries(c, actor="anonymous") == []


def test_filters_by_key_actor_and_time_with_cursor_pagination(client: Any) -> None:
    for n in range(5):
        client.post("/event-types", json={"key": f"k{n}"})
    first = client.get("/audit", params={"limit": 2}).json()
    second = client.get("/audit", params={"limit": 2, "cursor": first["nextCursor"]}).json()
    third = client.get("/audit", params={"limit": 2, "cursor": second["nextCursor"]}).json()
    keys = [e["key"] for page in (first, second, third) for e in page["items"]]
    assert keys == ["k0", "k1", "k2", "k3", "k4"]
    assert third["nextCursor"] is None
    assert [e["key"] for e in entries(client, key="k3")] == ["k3"]
    middle = first["items"][1]["at"]
    assert [e["key"] for e in entries(client, until=middle)] == ["k0"]
    assert entries(client, since="2999-01-01T00:00:00Z") == []


@pytest.mark.parametrize(
    ("params", "detail"),
    [
        ({"cursor": "abc"}, "cursor 'abc' is not a cursor this API returned"),
        ({"since": "yesterday"}, "not an ISO 8601 date-time: 'yesterday'"),
        ({"limit": 0}, "Validation failed for GET /audit?limit=0"),
    ],
)
def test_bad_filters_are_422(client: Any, params: dict[str, Any], detail: str) -> None:
    response = client.get("/audit", params=params)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_request"
    assert response.json()["detail"] == detail


def test_an_admin_purge_deletes_old_entries_and_is_itself_recorded(client: Any) -> None:
    client.post("/event-types", json={"key": "a"})
    purged = client.delete("/audit", params={"before": "2999-01-01T00:00:00Z"})
    assert purged.status_code == 200
    assert purged.json() == {"deleted": 1}
    got = entries(client)
    assert [(e["action"], e["changes"]) for e in got] == [
        ("audit.purge", {"before": [None, "2999-01-01T00:00:00.000Z"]}),
    ]


def test_x_forwarded_for_counts_only_from_a_trusted_proxy() -> None:
    for proxies, expected in (("", "127.0.0.1"), ("127.0.0.0/8", "203.0.113.9")):
        app = create_app(Settings(trusted_proxies=proxies), store=InMemoryStore())
        with serving(app) as base, httpx.Client(base_url=base) as c:
            headers = {"X-Forwarded-For": "198.51.100.1, 203.0.113.9"}
            assert c.post("/event-types", json={"key": "a"}, headers=headers).status_code == 201
            assert entries(c)[0]["address"] == expected


def test_the_cli_prints_the_trail(tmp_path: Any) -> None:
    cli = Cli(create_app(Settings(), store=InMemoryStore()))
    cli.service.create_event_type(key="a")
    http = cli.http()
    http.post("/event-types/a/versions", json={"schema": SCHEMA})
    text = cli("audit", "--url", URL, "--key", "a")
    assert text.exit_code == 0, text.output
    lines = text.stdout.splitlines()
    assert lines[0].startswith("#1 ")
    assert " system event_type.create 'a'" in lines[0]
    assert "anonymous@testclient version.register 'a' v1  (fingerprint: null -> " in lines[1]
    as_json = cli("audit", "--url", URL, "--actor", "anonymous", "--format", "json")
    assert [e["action"] for e in __import__("json").loads(as_json.stdout)] == ["version.register"]
    bad = cli("audit", "--url", URL, "--since", "soon")
    assert bad.exit_code == 2
    assert "invalid_request" in bad.output


def test_issuing_and_revoking_a_token_is_audited_without_its_secret(client: Any) -> None:
    issued = client.post("/tokens", json={"name": "ci", "scope": "validate"})
    assert issued.status_code == 201, issued.text
    token_id, secret = issued.json()["info"]["id"], issued.json()["token"]
    assert client.delete(f"/tokens/{token_id}").status_code == 200
    assert client.delete(f"/tokens/{token_id}").status_code == 200  # once: nothing changes
    got = [e for e in entries(client) if e["action"].startswith("token.")]
    assert [(e["action"], e["name"], e["actor"]) for e in got] == [
        ("token.create", token_id, "anonymous"),
        ("token.revoke", token_id, "anonymous"),
    ]
    assert got[0]["changes"]["scope"] == [None, "validate"]
    assert got[0]["changes"]["name"] == [None, "ci"]
    assert got[1]["changes"]["revokedAt"][0] is None
    assert secret not in str(entries(client))
