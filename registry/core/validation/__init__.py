"""Validation of Yespo events against compiled JSON Schemas -- the public API.

Typical use (the service caches the compiled schema by schema id)::

    check_schema(schema, limits=limits)        # registry.core.schema_check
    compiled = compile_schema(schema)          # once
    violations = validate_event(event, schema=compiled, options=ValidationOptions(mode="strict"))
"""

from registry.core.validation.compiled import CompiledSchema, compile_schema
from registry.core.validation.event import event_type_key_of, validate_event
from registry.core.validation.violations import (
    EnvelopeRules,
    Mode,
    Severity,
    ValidationOptions,
    Violation,
)

__all__ = [
    "CompiledSchema",
    "EnvelopeRules",
    "Mode",
    "Severity",
    "ValidationOptions",
    "Violation",
    "compile_schema",
    "event_type_key_of",
    "validate_event",
]
