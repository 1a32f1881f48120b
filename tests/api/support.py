"""Helpers for the schema-evolution API tests: an HTTP-only ``Api`` wrapper and small builders."""

from __future__ import annotations

import itertools
from typing import Any

LEVELS = (
    "NONE",
    "BACKWARD",
    "BACKWARD_TRANSITIVE",
    "FORWARD",
    "FORWARD_TRANSITIVE",
    "FULL",
    "FULL_TRANSITIVE",
)
POLICIES = ("STRICT", "LENIENT")


def obj(properties: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """An object schema with these properties (an open content model unless ``extra`` says)."""
    return {"type": "object", "properties": properties, **extra}


class Api:
    """Thin helpers over the test client; every call goes through HTTP."""

    _ids = itertools.count(1)

    def __init__(self, client: Any) -> None:
        self.client = client

    def new_type(self, prefix: str = "order") -> str:
        """Create an event type with a key no other test uses."""
        return self.create_type(f"{prefix}{next(self._ids)}")

    def create_type(self, key: str) -> str:
        assert self.client.post("/event-types", json={"key": key}).status_code == 201
        return key

    def register(self, key: str, schema: Any = None, *, params: Any = None) -> Any:
        body = {"params": params} if params is not None else {"schema": schema}
        return self.client.post(f"/event-types/{key}/versions", json=body)

    def registered(self, key: str, *schemas: Any) -> None:
        """Register each schema in turn (under NONE), restoring the type's own config after."""
        own = self.client.get(f"/event-types/{key}/config").json()["own"]
        self.configure(key, compatibility="NONE")
        for schema in schemas:
            assert self.register(key, schema).status_code in (200, 201)
        self.client.put(f"/event-types/{key}/config", json=own)

    def configure(self, key: str, **config: Any) -> Any:
        return self.client.put(f"/event-types/{key}/config", json=config)

    def configure_global(self, **config: Any) -> Any:
        return self.client.put("/config", json=config)

    def dry_run(self, key: str, schema: Any, version: int | str | None = None) -> Any:
        suffix = "" if version is None else f"/{version}"
        return self.client.post(
            f"/event-types/{key}/compatibility{suffix}", json={"schema": schema}
        )

    def versions(self, key: str) -> list[dict[str, Any]]:
        return self.client.get(f"/event-types/{key}/versions").json()["versions"]

    def set_state(self, key: str, version: int | str, **body: Any) -> Any:
        return self.client.patch(f"/event-types/{key}/versions/{version}", json=body)

    def put_example(self, key: str, name: str, payload: Any, *, valid: bool, **extra: Any) -> Any:
        body = {"payload": payload, "expectValid": valid, **extra}
        return self.client.put(f"/event-types/{key}/examples/{name}", json=body)

    def validate(self, event: dict[str, Any]) -> dict[str, Any]:
        r = self.client.post("/validate", json=event)
        assert r.status_code == 200, r.text
        return r.json()


PROBLEM_MEMBERS = {"type", "title", "status", "detail", "code"}
"""The RFC 9457 members every error body carries (plus ``instance`` when litestar sets it)."""


def assert_problem(r: Any, status: int, code: str) -> dict[str, Any]:
    """The response is problem+json with exactly this status and stable code; returns the body.

    The one strict check every API test uses: the HTTP status, the content type, the RFC 9457
    members, ``status`` and ``code`` in the body, and a ``type`` URI that ends in the code.
    """
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json"), r.headers
    body: dict[str, Any] = r.json()
    assert body.keys() >= PROBLEM_MEMBERS, body
    assert body["status"] == status
    assert body["code"] == code, body
    assert body["type"].startswith("https://")
    assert body["type"].endswith(code.replace("_", "-"))
    return body
