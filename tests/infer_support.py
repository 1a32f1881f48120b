"""Judging samples against a proposal with the registry's own validator (infer tests share it)."""

from __future__ import annotations

from typing import Any

from registry.core.schema_check import check_schema
from registry.core.validation import compile_schema
from registry.core.validation.event import validate_event
from registry.core.validation.violations import EnvelopeRules, ValidationOptions
from registry.settings import Settings
from registry.wiring import schema_limits

NO_ENVELOPE = EnvelopeRules(
    event_type_key=False, key_value=False, contact=False, param_names=False, body_size=False
)
STRICT = ValidationOptions(mode="strict", envelope=NO_ENVELOPE)


def errors_against(schema: dict[str, Any], samples: list[dict[str, Any]]) -> list[Any]:
    """``(params, errors)`` for each sample the validator refuses (strict: every param must be
    declared); the schema must also pass the registration checks."""
    check_schema(schema, limits=schema_limits(Settings()))
    compiled = compile_schema(schema)
    refused = []
    for params in samples:
        event = {"eventTypeKey": "sample", "params": params}
        found = validate_event(event, schema=compiled, options=STRICT)
        errors = [v for v in found if v.severity == "error"]
        if errors:
            refused.append((params, errors))
    return refused
