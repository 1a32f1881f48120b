"""GET /metrics: exact counts of what the app did, with bounded labels (one app per test)."""

from __future__ import annotations

from typing import Any

from prometheus_client.parser import text_string_to_metric_families

VALID = {"eventTypeKey": "orderCreated", "keyValue": "c-1", "params": [{"name": "x", "value": "1"}]}
MISSING_X = {"eventTypeKey": "orderCreated", "keyValue": "c-1", "params": []}
UNKNOWN = {"eventTypeKey": "someoneTyped", "keyValue": "c-1", "params": []}


def scrape(client: Any) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """``{(sample name, sorted labels): value}`` of one scrape."""
    answer = client.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(answer.text)
        for s in family.samples
    }


def value(samples: dict, name: str, **labels: str) -> float | None:
    return samples.get((name, tuple(sorted(labels.items()))))


def registered(client: Any) -> None:
    assert client.post("/event-types", json={"key": "orderCreated"}).status_code == 201
    schema = {"type": "object", "properties": {"x": {"type": "string"}}, "required": ["x"]}
    answer = client.post("/event-types/orderCreated/versions", json={"schema": schema})
    assert answer.status_code == 201


def test_validations_are_counted_by_verdict_registered_type_and_violation_code(
    client: Any,
) -> None:
    registered(client)
    for event in (VALID, VALID, MISSING_X, UNKNOWN):
        assert client.post("/validate", json=event).status_code == 200
    m = scrape(client)
    total = "event_registry_validations_total"
    assert value(m, total, event_type="orderCreated", verdict="valid") == 2
    assert value(m, total, event_type="orderCreated", verdict="invalid") == 1
    assert value(m, total, event_type="other", verdict="invalid") == 1  # unregistered key
    assert value(m, total, event_type="someoneTyped", verdict="invalid") is None
    codes = "event_registry_violations_total"
    assert value(m, codes, code="required_missing", severity="error") == 1
    assert value(m, codes, code="unknown_event_type", severity="error") == 1


def test_requests_are_counted_by_route_template_never_the_raw_path(client: Any) -> None:
    registered(client)
    client.get("/event-types/orderCreated/versions/1")
    client.get("/event-types/orderCreated/versions/1")
    client.get("/event-types/nope/versions/1")
    client.get("/no/such/route/jane@example.com")
    client.head("/health")
    m = scrape(client)
    requests = "event_registry_http_requests_total"
    route = "/event-types/{key}/versions/{version}"
    assert value(m, requests, method="GET", route=route, status="200") == 2
    assert value(m, requests, method="GET", route=route, status="404") == 1
    assert value(m, requests, method="GET", route="unmatched", status="404") == 1
    assert value(m, requests, method="HEAD", route="/health", status="200") == 1
    assert value(m, requests, method="POST", route="/event-types", status="201") == 1
    routes = {dict(labels).get("route") for (_, labels) in m} - {None}
    assert not [r for r in routes if "orderCreated" in r or "@" in r or "nope" in r]
    latency = "event_registry_http_request_duration_seconds_count"
    assert value(m, latency, method="GET", route=route) == 3


def test_cache_lookups_store_latency_and_inspection_size(client: Any) -> None:
    registered(client)
    client.post("/validate", json=VALID)  # first sight: the type and its validator are loaded
    client.post("/validate", json=VALID)
    assert client.post("/validate?record=true", json=MISSING_X).status_code == 200
    m = scrape(client)
    lookups = "event_registry_validator_cache_lookups_total"
    assert value(m, lookups, cache="type", result="miss") == 1
    assert value(m, lookups, cache="type", result="hit") == 2
    assert value(m, lookups, cache="compiled", result="miss") == 1
    assert value(m, lookups, cache="compiled", result="hit") == 2
    store = "event_registry_store_operation_duration_seconds_count"
    assert value(m, store, operation="add_version") == 1
    assert value(m, store, operation="create_event_type") == 1
    assert value(m, store, operation="change_token") is None  # read per event: not timed
    assert value(m, "event_registry_inspection_log_events") == 1


def test_metrics_need_the_admin_scope_once_auth_is_on() -> None:
    from litestar.testing import TestClient

    from registry.app import create_app
    from registry.settings import Settings
    from registry.store.memory import InMemoryStore
    from tests.api.support import assert_problem

    app = create_app(Settings(auth="on"), store=InMemoryStore())
    with TestClient(app) as client:
        tokens = app.dependencies["tokens"].dependency()

        def bearer(scope: str) -> dict[str, str]:
            issued = tokens.create(name=f"{scope}-bot", scope=scope, creator="tests")
            return {"Authorization": f"Bearer {issued.secret}"}

        assert_problem(client.get("/metrics"), 401, "authentication_required")
        assert_problem(client.get("/metrics", headers=bearer("write")), 403, "insufficient_scope")
        assert client.get("/metrics", headers=bearer("admin")).status_code == 200
        for probe in ("/health/live", "/health/ready"):  # probes stay public
            assert client.get(probe).status_code == 200
