"""The one place that builds jsonschema-rs validators, so every caller gets the same options.

Options that matter for safety and behaviour:

* ``validate_formats=True`` -- ``format`` is an assertion (email, date, date-time, uri, uuid,
  ipv4, ipv6, ... are checked), not an annotation.
* ``pattern_options=RegexOptions()`` -- the Rust ``regex`` crate, which matches in linear time;
  a pattern such as ``^(a+)+$`` cannot stall a worker. Patterns that need backtracking
  (look-around, back-references) do not compile; :func:`registry.core.schema_check.check_schema`
  refuses them up front with ``schema_too_complex``.
* ``offline=True`` -- a validator never fetches a URL. Remote resources are only available through
  an explicit in-memory ``registry`` (used by the conformance test, never by the service).

Compiling holds the GIL for the whole call (jsonschema-rs does not release it), about 5 us per
subschema: a 7,500-property params schema held every thread, the event loop included, for 40 to
160 ms. :func:`build_engine` therefore compiles a wide, self-contained root ``properties`` map
in slices of :data:`SLICE` properties, one engine call each, so the loop gets the GIL back
between slices; :class:`SlicedValidator` answers exactly as the whole schema would (the same
errors, the same ``schema_path``; only their order differs, and reports sort them anyway).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import Any, Protocol

import jsonschema_rs
import msgspec

__all__ = [
    "SLICE",
    "Engine",
    "SlicedValidator",
    "build_engine",
    "build_validator",
    "pattern_engine_verdict",
    "sliceable",
]

SLICE = 500
"""Most root properties compiled in one engine call (about 3 ms of GIL on a loaded machine)."""

_WHOLE_MAP = frozenset(
    {
        "additionalProperties",
        "unevaluatedProperties",
        "patternProperties",
        "propertyNames",
        "dependentSchemas",
        "dependentRequired",
        "dependencies",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
        "if",
        "then",
        "else",
    }
)
"""Root keywords whose verdict depends on the whole ``properties`` map (or on other
subschemas evaluated beside it): a root using one is compiled whole."""


class Engine(Protocol):
    """What validation needs of a compiled schema (a jsonschema-rs ``Validator`` has it)."""

    def is_valid(self, instance: Any) -> bool: ...

    def iter_errors(self, instance: Any) -> Iterator[jsonschema_rs.ValidationError]: ...


class SlicedValidator:
    """One schema compiled as several validators: the root without ``properties``, then one
    per slice of ``properties``. Valid when every part is; errors are the parts' in turn."""

    __slots__ = ("parts",)

    def __init__(self, parts: tuple[jsonschema_rs.Validator, ...]) -> None:
        self.parts = parts

    def is_valid(self, instance: Any) -> bool:
        return all(part.is_valid(instance) for part in self.parts)

    def iter_errors(self, instance: Any) -> Iterator[jsonschema_rs.ValidationError]:
        for part in self.parts:
            yield from part.iter_errors(instance)


def build_engine(
    schema: dict[str, Any] | bool, *, registry: jsonschema_rs.Registry | None = None
) -> Engine:
    """:func:`build_validator`, sliced (see the module docstring) when the root is wide.

    Raises:
        jsonschema_rs.ValidationError: the engine cannot compile the schema.
    """
    if registry is None and sliceable(schema):
        assert isinstance(schema, dict)
        properties: dict[str, Any] = schema["properties"]
        rest = {k: v for k, v in schema.items() if k != "properties"}
        head = {"$schema": schema["$schema"]} if "$schema" in schema else {}
        names = iter(properties)
        parts = [build_validator(rest)]
        while chunk := list(islice(names, SLICE)):
            parts.append(build_validator({**head, "properties": {n: properties[n] for n in chunk}}))
        return SlicedValidator(tuple(parts))
    return build_validator(schema, registry=registry)


def sliceable(schema: object) -> bool:
    """A wide root ``properties`` map whose parts can be judged apart: no keyword that needs
    the whole map, and no ``$``-keyword anywhere (``$ref``, ``$id``, anchors, ``$defs``: a
    slice must not need another part of the document)."""
    if not isinstance(schema, dict):
        return False
    properties = schema.get("properties")
    if not isinstance(properties, dict) or len(properties) <= SLICE:
        return False
    if any(k in _WHOLE_MAP or (k.startswith("$") and k != "$schema") for k in schema):
        return False
    return b'"$' not in msgspec.json.encode(properties)  # a property named "$x" too: conservative


def build_validator(
    schema: dict[str, Any] | bool, *, registry: jsonschema_rs.Registry | None = None
) -> jsonschema_rs.Validator:
    """Compile ``schema`` with the registry's standard engine options.

    Raises:
        jsonschema_rs.ValidationError: the engine cannot compile the schema (bad pointer, regex...).
    """
    return jsonschema_rs.validator_for(
        schema,
        validate_formats=True,
        pattern_options=jsonschema_rs.RegexOptions(),
        registry=registry,
        offline=True,
    )


def pattern_engine_verdict(pattern: str) -> str:
    """Classify a regular expression for the linear-time engine.

    Returns:
        ``"ok"`` when the linear engine compiles it, ``"needs_backtracking"`` when only a
        backtracking engine can (look-around, back-references, huge repetitions), or
        ``"invalid"`` when no engine accepts it.
    """
    if _compiles({"pattern": pattern}, jsonschema_rs.RegexOptions()):
        return "ok"
    if _compiles({"pattern": pattern}, jsonschema_rs.FancyRegexOptions()):
        return "needs_backtracking"
    return "invalid"


def _compiles(
    schema: dict[str, Any], options: jsonschema_rs.RegexOptions | jsonschema_rs.FancyRegexOptions
) -> bool:
    try:
        jsonschema_rs.validator_for(schema, pattern_options=options, offline=True)
    except jsonschema_rs.ValidationError:
        return False
    return True
