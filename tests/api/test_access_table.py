"""Every operation by every scope → one status, generated from the app's route table.

A route the access table (registry/api/access.py) does not declare fails
``test_every_route_declares_a_scope``; every declared one is called with no token and with a
token of each scope. Allowed calls must answer exactly what the same request gets with auth
off (the reference app); refused ones 401 ``authentication_required`` or 403
``insufficient_scope`` with a ``WWW-Authenticate`` challenge.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from registry.api.access import declared_scope, required_scope
from registry.app import create_app
from registry.core.auth import SCOPES, includes
from registry.settings import Settings
from registry.store.memory import InMemoryStore

PARAMS = {
    "key": "nope",
    "version": "1",
    "a": "1",
    "b": "2",
    "name": "x",
    "schema_id": "999",
    "token_id": "nope",
    "subject": "nope",
    "path": "x",
    "rest": "ci/api/v1/event",
    "file_path": "swagger-ui.css",
}
EXTRA_QUERIES = {"deleteEventType": ["", "?permanent=true"]}


def routes(app: Litestar) -> Iterator[tuple[str, str, str | None]]:
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            op = handler.operation_id if isinstance(handler.operation_id, str) else None
            for method in sorted(handler.http_methods):
                yield method, route.path, op


def concrete(path: str) -> str:
    return re.sub(r"\{(\w+):\w+\}", lambda m: PARAMS[m.group(1)], path)


def cases() -> list[tuple[str, str, str | None]]:
    found = []
    for method, path, op in routes(create_app(Settings(), store=InMemoryStore())):
        for query in EXTRA_QUERIES.get(op or "", [""]):
            found.append((method, concrete(path) + query, op))
    return sorted(set(found), key=lambda c: (c[1], c[0]))


CASES = cases()
QUICK_STREAM = Settings(changes_stream_seconds=0.05)
"""``GET /changes/stream`` stays open 300 s by default; here it ends at once."""


def test_every_route_declares_a_scope() -> None:
    app = create_app(Settings(), store=InMemoryStore())
    undeclared = [
        f"{method} {path}"
        for method, path, op in routes(app)
        if not declared_scope(method, concrete(path), op)[0]
    ]
    assert undeclared == [], "add these to registry/api/access.py OPERATIONS or PREFIXES"


CONFLUENT_REFUSALS = {401: "authentication_required", 40301: "insufficient_scope"}
"""/ccompat/v7 answers Confluent's {error_code, message}: its codes for the same refusals."""


def code_of(response: Any) -> str:
    body = response.json()
    return str(body["code"]) if "code" in body else CONFLUENT_REFUSALS[body["error_code"]]


def call(client: TestClient[Litestar], method: str, url: str, token: str | None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if method in ("POST", "PUT", "PATCH"):
        return client.request(method, url, json={}, headers=headers)
    return client.request(method, url, headers=headers)


@pytest.fixture(scope="module")
def reference() -> Iterator[TestClient[Litestar]]:
    with TestClient(create_app(QUICK_STREAM, store=InMemoryStore())) as client:
        yield client


@pytest.fixture(scope="module")
def guarded() -> Iterator[tuple[TestClient[Litestar], dict[str, str]]]:
    app = create_app(
        Settings(auth="on", changes_stream_seconds=QUICK_STREAM.changes_stream_seconds),
        store=InMemoryStore(),
    )
    tokens = app.dependencies["tokens"].dependency()
    secrets = {s: tokens.create(name=f"{s}-token", scope=s, creator="t").secret for s in SCOPES}
    with TestClient(app) as client:
        yield client, secrets


@pytest.mark.parametrize("scope", [None, *SCOPES], ids=lambda s: f"token={s}")
@pytest.mark.parametrize(("method", "url", "op"), CASES, ids=[f"{m} {u}" for m, u, _ in CASES])
def test_operation_by_scope(
    reference: TestClient[Litestar],
    guarded: tuple[TestClient[Litestar], dict[str, str]],
    method: str,
    url: str,
    op: str | None,
    scope: str | None,
) -> None:
    client, secrets = guarded
    query = dict(p.split("=") for p in url.partition("?")[2].split("&") if p)
    needed = required_scope(method, url.partition("?")[0], op, query)
    response = call(client, method, url, secrets[scope] if scope else None)
    if needed is not None and scope is None:
        assert (response.status_code, code_of(response)) == (401, "authentication_required")
        assert response.headers["www-authenticate"] == 'Bearer realm="event-registry"'
    elif needed is not None and not includes(scope, needed):  # type: ignore[arg-type]
        assert (response.status_code, code_of(response)) == (403, "insufficient_scope")
        assert f'scope="{needed}"' in response.headers["www-authenticate"]
    else:
        assert response.status_code == call(reference, method, url, None).status_code
