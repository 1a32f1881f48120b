"""POST /lint, and per-type ``lintBlocking``: chosen rules refuse a registration."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from registry.app import create_app
from registry.catalog_files import find_catalog, load_catalog
from registry.core import lint
from registry.core.catalog import CatalogSeeder
from registry.core.config import TypeConfig
from registry.settings import Settings
from registry.store.memory import InMemoryStore

SNAKE = {"type": "object", "properties": {"order_id": {"type": "string", "description": "id"}}}
CAMEL = {"type": "object", "properties": {"orderId": {"type": "string", "description": "id"}}}


@pytest.fixture
def client(tmp_path: Any) -> Iterator[TestClient[Litestar]]:
    app = create_app(Settings(db=str(tmp_path / "lint.db"), seed_catalog=False))
    with TestClient(app=app, raise_server_exceptions=False) as c:
        yield c


def _assert_problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["code"] == code
    return body


def test_lint_a_schema_with_the_default_rules(client: TestClient[Litestar]) -> None:
    schema = {"type": "object", "properties": {"a": {"type": "integer"}}}
    r = client.post("/lint", json={"schema": schema})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["rules"] == list(lint.DEFAULT_RULES)
    assert [(f["rule"], f["path"]) for f in body["findings"]] == [
        ("missing_description", "/properties/a"),
        ("optional_without_default", "/properties/a"),
    ]


def test_a_clean_param_list_has_no_findings(client: TestClient[Litestar]) -> None:
    params = [{"name": "orderId", "type": "string", "required": True, "description": "id"}]
    r = client.post(
        "/lint", json={"params": params, "rules": ["all"], "disable": ["unbounded_string"]}
    )
    assert r.status_code == 200, r.text
    assert r.json()["findings"] == []


def test_the_cross_type_rule_compares_with_registered_types(client: TestClient[Litestar]) -> None:
    assert client.post("/event-types", json={"key": "orderPaid"}).status_code == 201
    assert client.post("/event-types/orderPaid/versions", json={"schema": CAMEL}).status_code == 201
    other = {"type": "object", "properties": {"OrderID": {"type": "string"}}}
    request = {"schema": other, "key": "orderShipped", "rules": ["param_casing_inconsistent"]}
    body = client.post("/lint", json=request).json()
    assert [(f["key"], f["param"]) for f in body["findings"]] == [("orderShipped", "OrderID")]


def test_unknown_rules_and_bad_bodies_are_refused(client: TestClient[Litestar]) -> None:
    _assert_problem(
        client.post("/lint", json={"schema": {}, "rules": ["nope"]}), 422, "invalid_request"
    )
    _assert_problem(client.post("/lint", json={}), 422, "invalid_request")
    _assert_problem(
        client.post("/lint", json={"params": [{"type": "string"}]}), 422, "schema_invalid"
    )


def test_a_blocking_rule_refuses_registration_with_its_findings(
    client: TestClient[Litestar],
) -> None:
    assert client.post("/event-types", json={"key": "refundMade"}).status_code == 201
    r = client.put(
        "/event-types/refundMade/config", json={"lintBlocking": ["param_not_camel_case"]}
    )
    assert r.status_code == 200, r.text
    body = _assert_problem(
        client.post("/event-types/refundMade/versions", json={"schema": SNAKE}), 422, "lint_failed"
    )
    assert body["lintFindings"] == [
        {
            "rule": "param_not_camel_case",
            "key": "refundMade",
            "path": "/properties/order_id",
            "message": "param name 'order_id' is not camelCase",
            "param": "order_id",
        }
    ]
    assert client.get("/event-types/refundMade/versions").json()["versions"] == []
    ok = client.post("/event-types/refundMade/versions", json={"schema": CAMEL})
    assert ok.status_code == 201, ok.text


def test_without_blocking_rules_the_same_schema_registers(client: TestClient[Litestar]) -> None:
    assert client.post("/event-types", json={"key": "refundAsked"}).status_code == 201
    r = client.post("/event-types/refundAsked/versions", json={"schema": SNAKE})
    assert r.status_code == 201, r.text


def test_an_unknown_blocking_rule_is_refused_in_the_config(client: TestClient[Litestar]) -> None:
    assert client.post("/event-types", json={"key": "refundDone"}).status_code == 201
    r = client.put("/event-types/refundDone/config", json={"lintBlocking": ["nope"]})
    assert r.status_code == 422, r.text


def test_seeding_the_catalog_passes_with_every_default_rule_blocking() -> None:
    app = create_app(Settings(), store=InMemoryStore())
    service = app.dependencies["service"].dependency()
    service.set_global_config(config=TypeConfig(lint_blocking=lint.DEFAULT_RULES))  # type: ignore[arg-type]
    outcomes = CatalogSeeder(service).seed(load_catalog(find_catalog()))
    assert len(outcomes) >= 30
    assert {o.action for o in outcomes} == {"created"}
