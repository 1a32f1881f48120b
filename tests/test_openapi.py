"""openapi.yaml is the contract: generated from the app, committed, checked by schemathesis."""

from __future__ import annotations

import json
from pathlib import Path

import schemathesis
import yaml
from hypothesis import HealthCheck, settings
from schemathesis import checks

from registry.app import create_app
from registry.cli import render_openapi
from registry.settings import Settings
from registry.store.memory import InMemoryStore

COMMITTED = Path(__file__).resolve().parents[1] / "openapi.yaml"


@schemathesis.serializer("application/x-ndjson")
def _ndjson(ctx, value) -> bytes:
    """Batches may be NDJSON: send generated text as the body (often not JSON at all)."""
    return value.encode() if isinstance(value, str) else json.dumps(value).encode()


def test_committed_openapi_matches_the_app() -> None:
    generated = render_openapi("yaml")
    committed = COMMITTED.read_text(encoding="utf-8")
    assert yaml.safe_load(committed) == yaml.safe_load(generated), (
        "openapi.yaml drifted from the app: run `event-registry openapi > openapi.yaml`"
    )


def test_every_operation_has_an_operation_id_and_problem_responses() -> None:
    document = yaml.safe_load(render_openapi("yaml"))
    for path, item in document["paths"].items():
        for method, operation in item.items():
            assert operation.get("operationId"), f"{method.upper()} {path} lacks an operationId"
            problems = [
                code
                for code, response in operation["responses"].items()
                if "application/problem+json" in response.get("content", {})
            ]
            assert "404" in problems, f"{method.upper()} {path} does not document its problems"


ADMIN_TOKEN = "er_schemathesis-admin-token-0123456789abcdef"


def seeded_app():
    """An in-memory app with one event type, version and example, so GETs hit real resources;
    auth on, every call sent with an admin token."""
    store = InMemoryStore()
    app = create_app(
        Settings(max_body_bytes=64_000, auth="on", admin_token=ADMIN_TOKEN), store=store
    )
    service = app.dependencies["service"].dependency()
    service.create_event_type(key="orderCreated", tags=["shop"])
    service.register_version(
        key="orderCreated",
        schema={"type": "object", "properties": {"orderId": {"type": "string"}}},
    )
    service.put_example(
        key="orderCreated",
        name="paid",
        payload={"eventTypeKey": "orderCreated", "keyValue": "a@b.c", "params": {"orderId": "1"}},
        expect_valid=True,
    )
    return app


schema = schemathesis.openapi.from_asgi("/schema/openapi.json", seeded_app())


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_conforms_to_its_contract(case) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
        checks=[
            checks.not_a_server_error,
            checks.status_code_conformance,
            checks.content_type_conformance,
            checks.response_schema_conformance,
        ],
    )
