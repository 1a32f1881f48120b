"""Inference over the built-in catalog: learn each type from its ``expectValid`` examples.

The proposal accepts every example; the catalog schema accepts every sample the proposal was
built from (under the type's own configuration, as the registry judges it); and the proposal
names only params the catalog declares (or contact identifiers, which the envelope owns) with
JSON types the catalog allows there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec
import pytest

from registry.core.config import TypeConfig, resolve
from registry.core.infer import infer, params_of
from registry.core.validation import compile_schema
from registry.core.validation.envelope import is_contact_name
from registry.core.validation.event import validate_event
from tests.infer_support import NO_ENVELOPE, errors_against

ROOT = Path(__file__).resolve().parents[3] / "schemas"
TYPES = sorted(ROOT.glob("*/*.json"))


def _documents() -> list[Any]:
    return [
        pytest.param(msgspec.json.decode(p.read_bytes()), id=p.stem)
        for p in TYPES
        if any(e["expectValid"] for e in msgspec.json.decode(p.read_bytes())["examples"])
    ]


def _allowed_types(node: object) -> set[str] | None:
    """The JSON types a catalog param allows (``None``: any)."""
    if not isinstance(node, dict):
        return None
    kind = node.get("type")
    if isinstance(kind, str):
        kinds = {kind}
    elif isinstance(kind, list):
        kinds = set(kind)
    elif "enum" in node:
        kinds = {_json_type(v) for v in node["enum"]}
    else:
        return None
    return kinds | ({"integer"} if "number" in kinds else set())


def _json_type(value: object) -> str:
    names = {str: "string", bool: "boolean", int: "integer", float: "number", type(None): "null"}
    return names.get(type(value), "object")


def _proposed_types(node: dict[str, Any]) -> set[str]:
    kind = node["type"]
    return {kind} if isinstance(kind, str) else set(kind)


def test_the_catalog_is_there() -> None:
    assert len(TYPES) >= 30


@pytest.mark.parametrize("document", _documents())
def test_inference_on_catalog_examples_agrees_with_the_catalog(document: dict[str, Any]) -> None:
    payloads = [e["payload"] for e in document["examples"] if e["expectValid"]]
    samples = [params_of(p) or {} for p in payloads]
    proposal = infer(samples, title=document["key"])
    assert errors_against(proposal.schema, samples) == []

    catalog = document["schema"]
    config = resolve(TypeConfig(), msgspec.convert(document.get("config", {}), TypeConfig))
    options = msgspec.structs.replace(config.validation_options(), envelope=NO_ENVELOPE)
    compiled = compile_schema(catalog)
    extras: set[str] = set()
    for params in samples:
        event = {"eventTypeKey": document["key"], "params": params}
        found = validate_event(event, schema=compiled, options=options)
        assert [v for v in found if v.severity == "error"] == []
        extras |= {v.param for v in found if v.code == "unknown_param" and v.param}

    declared = catalog.get("properties", {})
    for name, node in proposal.schema["properties"].items():
        # undeclared: a contact identifier, or an extra param the type's mode accepts (warning)
        assert name in declared or is_contact_name(name) or name in extras, name
        allowed = _allowed_types(declared.get(name))
        if allowed is not None:
            if config.coerce and allowed & {"number", "integer", "boolean"}:
                allowed.add("string")  # numeric/boolean text, accepted with a warning
            assert _proposed_types(node) <= allowed, (name, node, declared[name])
