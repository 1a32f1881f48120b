"""HTTP edges: integers beyond 64 bits, Allow on 405, OPTIONS, booleans in queries and bodies.

Runs on the SQLite store (the ``client`` fixture), where out-of-range integers used to reach
sqlite3 as an OverflowError (500).
"""

from __future__ import annotations

from typing import Any

import pytest
from litestar.routes import HTTPRoute

from tests.api.support import assert_problem

BIG = "9223372036854775808"  # 2**63: one past SQLite's largest integer
HUGE = "9" * 5000  # beyond Python's int-from-string digit limit
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@pytest.fixture
def seeded(client: Any) -> Any:
    client.post("/event-types", json={"key": "orderCreated"})
    client.post("/event-types/orderCreated/versions", json={"schema": {"type": "object"}})
    return client


VERSIONED = [
    ("GET", "/event-types/orderCreated/versions/{n}", None),
    ("GET", "/event-types/orderCreated/versions/{n}/schema", None),
    ("PATCH", "/event-types/orderCreated/versions/{n}", {"state": "deprecated"}),
    ("POST", "/event-types/orderCreated/compatibility/{n}", {"schema": {"type": "object"}}),
    ("GET", "/event-types/orderCreated/versions/1/diff/{n}", None),
]


@pytest.mark.parametrize(("method", "path", "body"), VERSIONED, ids=[v[1] for v in VERSIONED])
@pytest.mark.parametrize("number", [BIG, HUGE], ids=["2**63", "5000 digits"])
def test_versions_beyond_64_bits_are_invalid_requests(
    seeded: Any, method: str, path: str, body: Any, number: str
) -> None:
    r = seeded.request(method, path.format(n=number), json=body)
    problem = assert_problem(r, 422, "invalid_request")
    assert "9223372036854775807" in problem["detail"]


@pytest.mark.parametrize(("method", "path", "body"), VERSIONED, ids=[v[1] for v in VERSIONED])
def test_the_largest_64_bit_version_is_simply_not_found(
    seeded: Any, method: str, path: str, body: Any
) -> None:
    r = seeded.request(method, path.format(n="9223372036854775807"), json=body)
    assert_problem(r, 404, "version_not_found")


def test_schema_ids_beyond_64_bits_are_not_found(seeded: Any) -> None:
    assert_problem(seeded.get(f"/schemas/{BIG}"), 404, "schema_not_found")
    assert_problem(seeded.get("/schemas/9223372036854775807"), 404, "schema_not_found")
    assert_problem(seeded.get(f"/schemas/{HUGE}"), 404, "not_found")  # no route matches


@pytest.mark.parametrize(
    "query",
    [f"/event-types?limit={BIG}", f"/inspect/events?limit={HUGE}", f"/inspect/events?cursor={BIG}"],
)
def test_query_integers_beyond_64_bits_are_invalid_requests(seeded: Any, query: str) -> None:
    assert_problem(seeded.get(query), 422, "invalid_request")


def routes(client: Any) -> list[tuple[str, list[str]]]:
    """Every API path (the generated docs pages aside) with a request path to reach it."""
    found = []
    for route in client.app.routes:
        if isinstance(route, HTTPRoute) and not route.path.startswith("/schema"):
            concrete = route.path.replace("{key:str}", "orderCreated")
            for name in ("version", "a", "b", "name"):
                concrete = concrete.replace(f"{{{name}:str}}", "1")
            methods = set(route.methods) | ({"HEAD"} if "GET" in route.methods else set())
            found.append((concrete.replace("{schema_id:int}", "1"), sorted(methods)))
    return found


def test_every_405_says_which_methods_the_path_allows(seeded: Any) -> None:
    checked = 0
    for path, methods in routes(seeded):
        for method in sorted(set(METHODS) - set(methods)):
            r = seeded.request(method, path)
            assert_problem(r, 405, "method_not_allowed")
            assert r.headers["allow"] == ", ".join(methods), (method, path)
            checked += 1
    assert checked > 40


def test_options_lists_every_method_of_the_path(seeded: Any) -> None:
    for path, methods in routes(seeded):
        r = seeded.options(path)
        assert r.status_code == 204, path
        assert r.headers["allow"] == ", ".join(methods), path
    assert seeded.options("/config").headers["allow"] == "GET, HEAD, OPTIONS, PUT"


@pytest.fixture
def with_deleted(client: Any) -> Any:
    client.post("/event-types", json={"key": "gone"})
    client.delete("/event-types/gone")
    return client


@pytest.mark.parametrize(
    ("raw", "included"),
    [(raw, True) for raw in ("true", "True", "TRUE", "1")]
    + [(raw, False) for raw in ("false", "False", "FALSE", "0")],
)
def test_query_booleans_are_case_insensitive_and_accept_one_and_zero(
    with_deleted: Any, raw: str, included: bool
) -> None:
    r = with_deleted.get(f"/event-types?includeDeleted={raw}")
    assert r.status_code == 200
    assert ("gone" in [t["key"] for t in r.json()["items"]]) is included


@pytest.mark.parametrize("raw", ["yes", "on", "2", "tru", ""])
def test_other_query_booleans_are_invalid_requests(with_deleted: Any, raw: str) -> None:
    assert_problem(with_deleted.get(f"/event-types?includeDeleted={raw}"), 422, "invalid_request")


@pytest.mark.parametrize("value", [0, 1, "false", "true", "False"])
def test_json_body_booleans_must_be_json_booleans(seeded: Any, value: Any) -> None:
    example = {"payload": {"eventTypeKey": "orderCreated"}, "expectValid": value}
    r = seeded.put("/event-types/orderCreated/examples/one", json=example)
    assert "expectValid" in assert_problem(r, 422, "invalid_request")["detail"]
    r = seeded.put("/config", json={"envelope": {"bodySize": value}})
    assert "bodySize" in assert_problem(r, 422, "invalid_request")["detail"]
    assert seeded.get("/config").json()["own"] == {}


def test_json_body_booleans_are_accepted(seeded: Any) -> None:
    example = {"payload": {"eventTypeKey": "orderCreated"}, "expectValid": False}
    assert seeded.put("/event-types/orderCreated/examples/one", json=example).status_code == 200
    r = seeded.put("/config", json={"envelope": {"bodySize": False}})
    assert r.json()["own"] == {"envelope": {"bodySize": False}}
