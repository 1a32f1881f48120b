"""Tokens over HTTP: how clients send them, what 401/403 say, revocation, expiry, restricted
tokens, runs labelled with their token, and secrets that never leak."""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from registry.app import create_app
from registry.core.tokens import REVOCATION_SECONDS
from registry.settings import Settings
from registry.store.memory import InMemoryStore

EVENT = {
    "eventTypeKey": "orderCreated",
    "keyValue": "a@example.org",
    "params": [{"name": "orderId", "value": "1"}],
}


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def basic(user: str, password: str) -> dict[str, str]:
    pair = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {pair}"}


class Registry:
    def __init__(self, app: Litestar, client: TestClient[Litestar]) -> None:
        self.app, self.client = app, client
        self.tokens = app.dependencies["tokens"].dependency()
        self.service = app.dependencies["service"].dependency()

    def token(self, scope: str, **kw: Any) -> str:
        return str(
            self.tokens.create(
                name=f"{scope}-{len(self.tokens.list())}", scope=scope, creator="tests", **kw
            ).secret
        )


@pytest.fixture
def reg() -> Iterator[Registry]:
    app = create_app(Settings(auth="on"), store=InMemoryStore())
    with TestClient(app) as client:
        yield Registry(app, client)


def test_bearer_and_basic_with_the_token_as_password_both_work(reg: Registry) -> None:
    secret = reg.token("read")
    assert reg.client.get("/event-types", headers=bearer(secret)).status_code == 200
    assert reg.client.get("/event-types", headers=basic("", secret)).status_code == 200
    assert reg.client.get("/event-types", headers=basic("woo", secret)).status_code == 200
    assert reg.client.get("/event-types", headers=basic(secret, "x")).status_code == 401


def test_a_run_prefixed_key_authenticates_with_its_secret(reg: Registry) -> None:
    secret = reg.token("validate")
    r = reg.client.post("/api/v2/event", json=EVENT, headers=basic("", f"run-ci42.{secret}"))
    assert r.status_code == 200


def test_the_reteno_access_key_is_the_token_on_the_mobile_endpoint_only(reg: Registry) -> None:
    secret = reg.token("validate")
    body = {
        "deviceId": "d1",
        "events": [
            {"eventTypeKey": "ScreenView", "occurred": "2026-01-01T00:00:00Z", "params": []}
        ],
    }
    key = {"X-Reteno-Access-Key": secret}
    assert reg.client.post("/api/v1/events", json=body, headers=key).status_code == 200
    r = reg.client.post("/validate", json=EVENT, headers=key)
    assert (r.status_code, r.json()["code"]) == (401, "authentication_required")


@pytest.mark.parametrize(
    ("headers", "code", "challenge"),
    [
        ({}, "authentication_required", 'Bearer realm="event-registry"'),
        ({"Authorization": "Bearer"}, "authentication_required", 'Bearer realm="event-registry"'),
        (
            {"Authorization": "Token abc"},
            "authentication_required",
            'Bearer realm="event-registry"',
        ),
        (
            bearer("er_notatoken"),
            "invalid_token",
            'Bearer realm="event-registry", error="invalid_token"',
        ),
        (
            basic("u", "er_notatoken"),
            "invalid_token",
            'Bearer realm="event-registry", error="invalid_token"',
        ),
    ],
)
def test_401_says_why_and_challenges(
    reg: Registry, headers: dict[str, str], code: str, challenge: str
) -> None:
    r = reg.client.get("/event-types", headers=headers)
    assert (r.status_code, r.json()["code"]) == (401, code)
    assert r.headers["content-type"] == "application/problem+json"
    assert r.headers["www-authenticate"] == challenge


def test_403_names_the_scope_needed(reg: Registry) -> None:
    r = reg.client.post("/event-types", json={"key": "a"}, headers=bearer(reg.token("validate")))
    assert (r.status_code, r.json()["code"], r.json()["requiredScope"]) == (
        403,
        "insufficient_scope",
        "write",
    )
    assert r.headers["www-authenticate"] == (
        'Bearer realm="event-registry", error="insufficient_scope", scope="write"'
    )


def test_permanent_delete_needs_admin_though_a_soft_delete_needs_write(reg: Registry) -> None:
    reg.service.create_event_type(key="gone")
    write, admin = bearer(reg.token("write")), bearer(reg.token("admin"))
    assert reg.client.delete("/event-types/gone", headers=write).status_code == 204
    r = reg.client.delete("/event-types/gone?permanent=true", headers=write)
    assert (r.status_code, r.json()["code"]) == (403, "insufficient_scope")
    assert reg.client.delete("/event-types/gone?permanent=true", headers=admin).status_code == 204


def test_read_does_not_reach_the_inspection_log(reg: Registry) -> None:
    r = reg.client.get("/inspect/events", headers=bearer(reg.token("read")))
    assert (r.status_code, r.json()["code"]) == (403, "insufficient_scope")


def test_an_expired_token_is_refused(reg: Registry) -> None:
    secret = reg.token("read", expires_at="2020-01-01T00:00:00Z")
    r = reg.client.get("/event-types", headers=bearer(secret))
    assert (r.status_code, r.json()["code"]) == (401, "token_expired")


def test_health_is_public_and_reports_auth(reg: Registry) -> None:
    assert reg.client.get("/health").json() == {
        "status": "ok",
        "version": reg.client.get("/health").json()["version"],
        "auth": "on",
        "insecure": False,
    }


def test_no_problem_header_or_log_line_repeats_a_token(
    reg: Registry, caplog: pytest.LogCaptureFixture
) -> None:
    good = reg.token("read")
    guessed = "er_" + "x" * 43
    caplog.set_level(logging.DEBUG)
    answers = [
        reg.client.get("/event-types", headers=bearer(guessed)),
        reg.client.get("/event-types", headers=basic("u", guessed)),
        reg.client.post("/event-types", json={"key": "a"}, headers=bearer(good)),
        reg.client.post(
            "/validate", content=b"{", headers={**bearer(good), "Content-Type": "application/json"}
        ),
    ]
    for r in answers:
        text = r.text + "".join(f"{k}: {v}" for k, v in r.headers.items())
        assert guessed not in text
        assert good not in text
    logged = "\n".join(rec.getMessage() for rec in caplog.records)
    assert guessed not in logged
    assert good not in logged


def test_tokens_are_managed_over_http_by_admins(reg: Registry) -> None:
    admin = bearer(reg.token("admin"))
    r = reg.client.post(
        "/tokens", json={"name": "sdk", "scope": "read", "keyPrefixes": ["m"]}, headers=admin
    )
    assert r.status_code == 201
    issued = r.json()
    assert issued["token"].startswith("er_")
    assert issued["info"]["creator"] == "admin-0"
    listed = reg.client.get("/tokens", headers=admin).json()["items"]
    assert [t["name"] for t in listed] == ["admin-0", "sdk"]
    assert all("secretHash" not in t and "token" not in t for t in listed)
    assert issued["token"] not in reg.client.get("/tokens", headers=admin).text
    r = reg.client.delete(f"/tokens/{issued['info']['id']}", headers=admin)
    assert r.status_code == 200
    assert r.json()["revokedAt"] is not None
    r = reg.client.delete("/tokens/tok_missing", headers=admin)
    assert (r.status_code, r.json()["code"]) == (404, "token_not_found")


def test_the_settings_admin_token_works_and_is_not_a_stored_token() -> None:
    app = create_app(Settings(auth="on", admin_token="a" * 32), store=InMemoryStore())
    with TestClient(app) as client:
        assert client.get("/tokens", headers=bearer("a" * 32)).json() == {"items": []}


def test_last_use_is_recorded_off_the_request(reg: Registry) -> None:
    secret = reg.token("read")
    reg.client.get("/event-types", headers=bearer(secret))
    deadline = time.monotonic() + 5
    while reg.tokens.list()[0].last_used_at is None and time.monotonic() < deadline:
        time.sleep(0.01)
    first = reg.tokens.list()[0].last_used_at
    assert first is not None
    for _ in range(5):  # within the minute: no further write
        reg.client.get("/event-types", headers=bearer(secret))
    assert reg.tokens.list()[0].last_used_at == first


# -- restricted tokens ---------------------------------------------------------------------------


@pytest.fixture
def catalog(reg: Registry) -> Registry:
    schema = {"type": "object"}
    for key, tags in (
        ("mobileOpened", []),
        ("mobileClosed", []),
        ("orderCreated", ["app"]),
        ("orderPaid", ["shop"]),
    ):
        reg.service.create_event_type(key=key, tags=tags)
        reg.service.register_version(key=key, schema=schema)
    return reg


def test_a_prefix_or_tag_restricted_token_sees_only_its_event_types(catalog: Registry) -> None:
    sdk = bearer(catalog.token("read", key_prefixes=["mobile"], tags=["app"]))
    listed = catalog.client.get("/event-types", headers=sdk).json()["items"]
    assert [t["key"] for t in listed] == ["mobileClosed", "mobileOpened", "orderCreated"]
    bundle = catalog.client.get("/bundle", headers=sdk).json()["eventTypes"]
    assert sorted(bundle) == ["mobileClosed", "mobileOpened", "orderCreated"]
    assert catalog.client.get("/event-types/mobileOpened", headers=sdk).status_code == 200
    assert (
        catalog.client.get("/event-types/orderCreated/versions/1", headers=sdk).status_code == 200
    )
    hidden = catalog.client.get("/event-types/orderPaid", headers=sdk)
    absent = catalog.client.get("/event-types/noSuchType", headers=sdk)
    assert (hidden.status_code, hidden.json()["code"]) == (404, "event_type_not_found")
    assert hidden.json()["detail"].replace("orderPaid", "K") == absent.json()["detail"].replace(
        "noSuchType", "K"
    )
    r = catalog.client.get("/schemas/1", headers=sdk)
    assert (r.status_code, r.json()["code"]) == (404, "schema_not_found")


def test_an_unrestricted_token_sees_everything(catalog: Registry) -> None:
    listed = catalog.client.get("/event-types", headers=bearer(catalog.token("read"))).json()
    assert len(listed["items"]) == 4


# -- runs belong to the token that recorded them ------------------------------------------------


def test_a_validate_token_sees_and_resets_only_its_own_runs(reg: Registry) -> None:
    alice, bob = bearer(reg.token("validate")), bearer(reg.token("validate"))
    admin = bearer(reg.token("admin"))
    for who in (alice, alice, bob):
        assert reg.client.post("/api/v2/event?runId=ci", json=EVENT, headers=who).status_code == 200
    reg.client.post("/validate?record=true", json=EVENT, headers=bob)

    def count(who: dict[str, str]) -> int:
        return len(reg.client.get("/inspect/events", headers=who).json()["items"])

    assert (count(alice), count(bob), count(admin)) == (2, 2, 4)
    assert reg.client.get("/inspect/summary?runId=ci", headers=alice).json()["total"] == 2
    r = reg.client.delete("/inspect/events?all=true", headers=alice)
    assert r.json() == {"deleted": 2}
    assert (count(alice), count(bob), count(admin)) == (0, 2, 2)
    assert reg.client.delete("/inspect/events?runId=ci", headers=admin).json() == {"deleted": 1}
    assert count(admin) == 1


# -- revocation across workers ---------------------------------------------------------------------


def test_revocation_reaches_another_app_on_the_same_database_within_a_second(
    tmp_path: Path,
) -> None:
    settings = Settings(db=str(tmp_path / "shared.db"), auth="on", seed_catalog=False)
    one, two = create_app(settings), create_app(settings)
    with TestClient(one) as a, TestClient(two) as b:
        tokens = one.dependencies["tokens"].dependency()
        issued = tokens.create(name="ci", scope="read", creator="t")
        assert b.get("/event-types", headers=bearer(issued.secret)).status_code == 200
        root = bearer(tokens.create(name="root", scope="admin", creator="t").secret)
        assert a.delete(f"/tokens/{issued.token.id}", headers=root).status_code == 200
        time.sleep(REVOCATION_SECONDS)
        r = b.get("/event-types", headers=bearer(issued.secret))
        assert (r.status_code, r.json()["code"]) == (401, "invalid_token")
