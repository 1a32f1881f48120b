"""Schema versions over HTTP: numbering, dedupe, both forms, invalid schemas, fetching."""

from __future__ import annotations

from typing import Any

import pytest

from tests.postgres_server import BOTH_DATABASES

DATABASES = BOTH_DATABASES  # its app tests run on SQLite and PostgreSQL (tests/conftest.py)

ORDER = {
    "type": "object",
    "properties": {"orderId": {"type": "string"}, "total": {"type": "number"}},
    "required": ["orderId"],
}


@pytest.fixture
def order_type(client: Any) -> str:
    client.post("/event-types", json={"key": "orderCreated"})
    return "orderCreated"


def register(client: Any, key: str, **body: Any) -> Any:
    return client.post(f"/event-types/{key}/versions", json=body)


def test_first_version_is_1_with_schema_id_and_fingerprint(client: Any, order_type: str) -> None:
    r = register(client, order_type, schema=ORDER)
    assert r.status_code == 201
    body = r.json()
    assert body["eventTypeKey"] == order_type
    assert body["version"] == 1
    assert isinstance(body["schemaId"], int)
    assert body["fingerprint"].startswith("sha256:")
    assert body["schema"] == ORDER
    assert "params" not in body


def test_versions_increment(client: Any, order_type: str) -> None:
    register(client, order_type, schema=ORDER)
    r = register(client, order_type, schema={**ORDER, "required": []})
    assert (r.status_code, r.json()["version"]) == (201, 2)
    versions = client.get(f"/event-types/{order_type}/versions").json()["versions"]
    assert [v["version"] for v in versions] == [1, 2]


def test_identical_content_returns_existing_version_with_200(client: Any, order_type: str) -> None:
    first = register(client, order_type, schema=ORDER).json()
    reordered = dict(reversed(list(ORDER.items())))
    again = register(client, order_type, schema=reordered)
    assert again.status_code == 200
    assert again.json() == first
    assert len(client.get(f"/event-types/{order_type}/versions").json()["versions"]) == 1


def test_param_list_is_compiled_and_both_forms_are_returned(client: Any, order_type: str) -> None:
    params = [
        {"name": "orderId", "type": "string", "required": True, "description": "Shop order id"},
        {"name": "total", "type": "number", "minimum": 0},
        {"name": "status", "type": "string", "enum": ["INITIALIZED", "DELIVERED"]},
    ]
    r = register(client, order_type, params=params)
    assert r.status_code == 201
    body = r.json()
    assert body["params"] == params
    schema = body["schema"]
    assert schema["type"] == "object"
    assert schema["required"] == ["orderId"]
    assert schema["properties"]["total"]["minimum"] == 0
    assert schema["properties"]["status"]["enum"] == ["INITIALIZED", "DELIVERED"]


def test_fetch_by_number_latest_bare_schema_and_schema_id(client: Any, order_type: str) -> None:
    v1 = register(client, order_type, schema=ORDER).json()
    v2 = register(client, order_type, schema={"type": "object"}).json()
    base = f"/event-types/{order_type}/versions"
    assert client.get(f"{base}/1").json() == v1
    assert client.get(f"{base}/latest").json() == v2
    assert client.get(f"{base}/1/schema").json() == ORDER
    assert client.get(f"{base}/latest/schema").json() == {"type": "object"}
    by_id = client.get(f"/schemas/{v1['schemaId']}").json()
    assert by_id == {"schemaId": v1["schemaId"], "fingerprint": v1["fingerprint"], "schema": ORDER}


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/event-types/orderCreated/versions/7", 404, "version_not_found"),
        ("/event-types/orderCreated/versions/latest", 404, "version_not_found"),
        ("/event-types/orderCreated/versions/0", 422, "invalid_request"),
        ("/event-types/orderCreated/versions/abc", 422, "invalid_request"),
        ("/event-types/nope/versions/1", 404, "event_type_not_found"),
        ("/schemas/424242", 404, "schema_not_found"),
    ],
)
def test_missing_things_are_clear_problems(
    client: Any, order_type: str, path: str, status: int, code: str
) -> None:
    r = client.get(path)
    assert r.status_code == status
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["code"] == code


def test_invalid_schema_lists_problems_with_pointers(client: Any, order_type: str) -> None:
    bad = {"type": "object", "properties": {"a": {"type": "strin"}, "b": {"minimum": "0"}}}
    r = register(client, order_type, schema=bad)
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "schema_invalid"
    pointers = {p["pointer"] for p in body["errors"]}
    assert "/properties/a/type" in pointers
    assert "/properties/b/minimum" in pointers


def test_invalid_param_list_points_into_params(client: Any, order_type: str) -> None:
    r = register(client, order_type, params=[{"name": "a", "type": "strnig"}])
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "schema_invalid"
    assert body["errors"][0]["pointer"].startswith("/params/0")


def test_exactly_one_form(client: Any, order_type: str) -> None:
    for body in ({}, {"schema": ORDER, "params": []}):
        r = register(client, order_type, **body)
        assert r.status_code == 422
        assert r.json()["code"] == "invalid_request"


@pytest.mark.parametrize(
    ("schema", "code"),
    [
        ({"$ref": "https://evil.example/schema.json"}, "schema_remote_ref"),
        ({"properties": {"a": {"$ref": "http://169.254.169.254/latest"}}}, "schema_remote_ref"),
        ({"$ref": "file:///etc/passwd"}, "schema_remote_ref"),
        ({"pattern": "(" * 2000 + ")" * 2000}, "schema_too_complex"),
    ],
)
def test_hostile_schemas_are_refused(client: Any, order_type: str, schema: dict, code: str) -> None:
    r = register(client, order_type, schema=schema)
    assert r.status_code == 422
    assert r.json()["code"] == code


def test_absurd_nesting_is_refused(client: Any, order_type: str) -> None:
    schema: dict = {}
    for _ in range(200):
        schema = {"properties": {"x": schema}}
    r = register(client, order_type, schema=schema)
    assert r.status_code == 422
    assert r.json()["code"] == "schema_too_complex"


def test_draft7_schema_is_accepted(client: Any, order_type: str) -> None:
    schema = {"$schema": "http://json-schema.org/draft-07/schema#", **ORDER}
    assert register(client, order_type, schema=schema).status_code == 201
