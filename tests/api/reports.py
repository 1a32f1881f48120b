"""Plain helpers for the /validate tests (fixtures live in conftest.py)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec
import yaml
from jsonschema import Draft202012Validator

OPENAPI = Path(__file__).resolve().parents[2] / "openapi.yaml"

Validate = Callable[..., dict[str, Any]]
"""The ``validate`` fixture: ``validate(event, **query) -> report``."""


@functools.cache
def openapi_components() -> dict[str, Any]:
    """``components.schemas`` of the committed openapi.yaml (parsed once per test run)."""
    document = yaml.load(OPENAPI.read_text(encoding="utf-8"), Loader=_LOADER)
    schemas: dict[str, Any] = document["components"]["schemas"]
    return schemas


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.cache
def component_validator(name: str) -> Draft202012Validator:
    """A JSON Schema validator for ``#/components/schemas/<name>`` of the committed openapi.yaml.

    OpenAPI 3.1 schemas are JSON Schema 2020-12; the document's ``components`` travel along so
    the ``$ref`` s between components resolve.
    """
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": f"#/components/schemas/{name}",
        "components": {"schemas": openapi_components()},
    }
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def create_type(client: Any, key: str, **version: Any) -> None:
    """Create event type ``key`` and, given ``schema=`` or ``params=``, register version 1."""
    assert client.post("/event-types", json={"key": key}).status_code == 201
    if version:
        r = client.post(f"/event-types/{key}/versions", json=version)
        assert r.status_code == 201, r.text


def set_config(client: Any, key: str | None, **config: Any) -> None:
    """``PUT /event-types/{key}/config`` (``key=None``: the global ``PUT /config``)."""
    path = "/config" if key is None else f"/event-types/{key}/config"
    r = client.put(path, json=config)
    assert r.status_code == 200, r.text


def codes(report: dict[str, Any]) -> list[tuple[str, str]]:
    """``(code, severity)`` of every violation, errors first."""
    return [(v["code"], v["severity"]) for v in report["errors"] + report["warnings"]]


def only(report: dict[str, Any], code: str) -> dict[str, Any]:
    """The single violation with ``code`` (fails if there are none or several)."""
    found = [v for v in report["errors"] + report["warnings"] if v["code"] == code]
    assert len(found) == 1, (code, codes(report))
    return found[0]


def poster(client: Any) -> Validate:
    """``validate(event, **query)``: POST ``event`` (or raw bytes) to /validate on ``client``.

    Checks every report against the ``Report`` component and the severity rule (``valid`` is
    false if and only if there is an error) before returning it.
    """
    schema = component_validator("Report")

    def post(event: Any, **query: Any) -> dict[str, Any]:
        body = event if isinstance(event, bytes) else msgspec.json.encode(event)
        params = {k: str(v).lower() if isinstance(v, bool) else v for k, v in query.items()}
        r = client.post(
            "/validate", content=body, params=params, headers={"content-type": "application/json"}
        )
        assert r.status_code == 200, r.text
        report: dict[str, Any] = r.json()
        problems = [f"{e.json_path}: {e.message}" for e in schema.iter_errors(report)]
        assert problems == [], problems
        assert report["valid"] is (report["errors"] == [])
        assert all(v["severity"] == "error" for v in report["errors"])
        assert all(v["severity"] == "warning" for v in report["warnings"])
        return report

    return post
