"""openapi.yaml is the contract: generated from the app, committed, checked by schemathesis."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
import yaml
from hypothesis import HealthCheck, settings
from litestar import Litestar
from litestar.testing import TestClient
from schemathesis import checks
from schemathesis.config import SchemathesisConfig

from registry.app import create_app
from registry.cli import render_openapi
from registry.settings import Settings
from registry.store.memory import InMemoryStore
from tests.live import live_server
from tests.postgres_server import PostgresServer

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
AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


def seeded_app(db: str | None = None) -> Litestar:
    """An app with one event type, version and example, so GETs hit real resources; auth on,
    every call sent with an admin token. In memory, or every store on the database ``db``."""
    settings = Settings(
        max_body_bytes=64_000,
        changes_stream_seconds=0.01,
        auth="on",
        admin_token=ADMIN_TOKEN,
        **({} if db is None else {"db": db, "seed_catalog": False}),
    )
    app = create_app(settings, store=InMemoryStore() if db is None else None)
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


CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_conforms_to_its_contract(case) -> None:
    case.call_and_validate(headers=AUTH, checks=CHECKS)


@pytest.fixture(scope="module")
def live_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real ``serve`` process (uvicorn, our protocol, SQLite), seeded like ``seeded_app``."""
    with live_server(
        tmp_path_factory.mktemp("live"),
        max_body_bytes="64000",
        changes_stream_seconds="0.2",
        auth="on",
        admin_token=ADMIN_TOKEN,
    ) as server:
        with httpx.Client(base_url=server.url, timeout=30, headers=AUTH) as api:
            api.post("/event-types", json={"key": "orderCreated", "tags": ["shop"]})
            api.post(
                "/event-types/orderCreated/versions",
                json={"schema": {"type": "object", "properties": {"orderId": {"type": "string"}}}},
            )
            api.put(
                "/event-types/orderCreated/examples/paid",
                json={
                    "payload": {
                        "eventTypeKey": "orderCreated",
                        "keyValue": "a@b.c",
                        "params": {"orderId": "1"},
                    },
                    "expectValid": True,
                },
            )
        yield server.url


# The committed contract itself, sent over real HTTP (schemathesis' from_fixture loader does not
# run under pytest 9, so the document is loaded here and the server's URL given per call).
live = schemathesis.openapi.from_dict(yaml.safe_load(COMMITTED.read_text(encoding="utf-8")))


@pytest.mark.slow
@live.parametrize()
@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_the_live_server_conforms_to_its_contract(case, live_url: str) -> None:
    """The same checks over real HTTP: uvicorn's parsing, our protocol and the SQLite store."""
    case.call_and_validate(base_url=live_url, headers=AUTH, checks=CHECKS, timeout=30)


@pytest.fixture(scope="module")
def postgres_app(pg_server: PostgresServer) -> Iterator[Any]:
    """``seeded_app`` with the schema store, inspection log and tokens on PostgreSQL, its
    lifespan run once here for the module. Schemathesis starts and ends an app's lifespan with
    each test, which would close the stores after the first operation: the app it is given
    answers lifespan messages itself and passes every request on."""
    app = seeded_app(pg_server.fresh_database())

    async def requests_only(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "lifespan":
            await app(scope, receive, send)
            return
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})

    with TestClient(app=app):
        yield requests_only


# The committed contract once more for the PostgreSQL run, without the coverage phase (its
# boundary cases per parameter cost 30 s here; the in-memory run above has them).
on_postgres = schemathesis.openapi.from_dict(
    yaml.safe_load(COMMITTED.read_text(encoding="utf-8")),
    config=SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": False}}}),
)


@on_postgres.parametrize()
@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_the_api_on_postgresql_conforms_to_its_contract(case, postgres_app: Any) -> None:
    """The same checks over every operation, the app on a real PostgreSQL server (fewer
    examples: the in-memory run above explores, this one catches what the database answers
    differently, e.g. text it cannot hold or integers past its bigint)."""
    case.call_and_validate(app=postgres_app, headers=AUTH, checks=CHECKS)
