"""Every error path answers RFC 9457 problem+json with a stable code; never a 500."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.support import assert_problem


def test_malformed_json(client: Any) -> None:
    r = client.post(
        "/event-types", content=b'{"key": ', headers={"content-type": "application/json"}
    )
    assert_problem(r, 400, "malformed_json")


def test_malformed_json_on_validate(client: Any) -> None:
    r = client.post("/validate", content=b"{nope", headers={"content-type": "application/json"})
    assert_problem(r, 400, "malformed_json")


def test_empty_body_on_validate(client: Any) -> None:
    r = client.post("/validate", content=b"", headers={"content-type": "application/json"})
    assert_problem(r, 400, "malformed_json")


BODY_ROUTES = [
    ("POST", "/event-types"),
    ("PATCH", "/event-types/orderCreated"),
    ("POST", "/event-types/orderCreated/versions"),
    ("POST", "/event-types/orderCreated/compatibility"),
    ("POST", "/event-types/orderCreated/compatibility/1"),
    ("PUT", "/config"),
    ("PUT", "/event-types/orderCreated/config"),
    ("PUT", "/event-types/orderCreated/examples/first"),
    ("PATCH", "/event-types/orderCreated/versions/1"),
]


@pytest.mark.parametrize(("method", "path"), BODY_ROUTES)
@pytest.mark.parametrize(
    "headers", [{"content-type": "application/json"}, {}], ids=["json", "none"]
)
def test_empty_body_is_malformed_json(
    client: Any, method: str, path: str, headers: dict[str, str]
) -> None:
    """Was 422 'Validation failed' with the lone message 'data' (issue 12, why 5)."""
    r = client.request(method, path, content=b"", headers=headers)
    body = assert_problem(r, 400, "malformed_json")
    assert body["detail"] == "body is not valid JSON: the body is empty"
    assert "errors" not in body


def test_a_json_null_body_is_the_wrong_shape_not_malformed(client: Any) -> None:
    r = client.post("/event-types", content=b"null", headers={"content-type": "application/json"})
    assert_problem(r, 422, "invalid_request")


@pytest.mark.parametrize("path", ["/event-types", "/validate"])
def test_wrong_content_type(client: Any, path: str) -> None:
    r = client.post(
        path, content=b"key=a", headers={"content-type": "application/x-www-form-urlencoded"}
    )
    body = assert_problem(r, 415, "unsupported_media_type")
    assert "application/json" in body["detail"]


def test_wrong_types_and_unknown_keys(client: Any) -> None:
    assert_problem(client.post("/event-types", json={"key": 5}), 422, "invalid_request")
    assert_problem(client.post("/event-types", json=["a"]), 422, "invalid_request")
    assert_problem(
        client.post("/event-types", json={"key": "a", "colour": "red"}), 422, "invalid_request"
    )
    assert_problem(
        client.post("/event-types", json={"key": "a", "tags": "x"}), 422, "invalid_request"
    )


def test_oversized_body(client: Any, settings: Any) -> None:
    big = b'{"key": "' + b"a" * (settings.max_body_bytes + 10) + b'"}'
    r = client.post("/event-types", content=big, headers={"content-type": "application/json"})
    assert_problem(r, 413, "request_too_large")


def test_unknown_route_and_method(client: Any) -> None:
    assert_problem(client.get("/nope"), 404, "not_found")
    assert_problem(client.put("/event-types", json={}), 405, "method_not_allowed")


def test_bad_query_parameter(client: Any) -> None:
    assert_problem(client.get("/event-types", params={"limit": "lots"}), 422, "invalid_request")
    assert_problem(client.get("/event-types", params={"limit": "0"}), 422, "invalid_request")


def test_bad_schema_id_path_parameter(client: Any) -> None:
    assert_problem(client.get("/schemas/abc"), 404, "not_found")


def test_not_found_body_names_the_thing(client: Any) -> None:
    body = assert_problem(client.get("/event-types/ghost"), 404, "event_type_not_found")
    assert "ghost" in body["detail"]


DEEP = b"[" * 100_000 + b"]" * 100_000


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/validate", b'{"eventTypeKey":"e","params":{"a":' + DEEP + b"}}"),
        ("/event-types", b'{"key":"a","tags":' + DEEP + b"}"),
        ("/event-types/a/versions", b'{"schema":{"x":' + DEEP + b"}}"),
        ("/validate/batch", b"[" + DEEP + b"]"),
        ("/validate/batch", DEEP[1:]),
    ],
)
def test_absurdly_nested_bodies_are_400_not_500(client: Any, path: str, body: bytes) -> None:
    client.post("/event-types", json={"key": "a"})
    r = client.post(path, content=body, headers={"content-type": "application/json"})
    assert_problem(r, 400, "malformed_json")
