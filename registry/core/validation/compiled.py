"""Compile a checked schema once into an immutable, thread-safe :class:`CompiledSchema`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any, Literal

import jsonschema_rs

from registry.core.jsonpointer import MISSING, resolve
from registry.core.suggest import SuggestIndex
from registry.core.validation.cost import schema_cost
from registry.core.validation.engine import Engine, build_engine, build_validator, sliceable

__all__ = ["CompiledSchema", "UnknownPolicy", "compile_schema", "resolve_local"]

UnknownPolicy = Literal["mode", "engine", "allowed"]
"""How undeclared params are judged: by the validation mode, by the schema itself
(``additionalProperties: false`` / ``unevaluatedProperties: false`` at the root), or not at all
(root ``additionalProperties`` is a schema or ``true``, or the whole schema is ``true``)."""

_BRANCHES = ("allOf", "anyOf", "oneOf")
_SINGLE = ("then", "else")
_MAX_REF_HOPS = 16
_MAX_INDEXES = 256


class CompiledSchema:
    """A validator plus what the event rules need to know about the params object.

    Immutable after construction; share it freely between threads and requests.
    """

    __slots__ = (
        "_closed",
        "_indexes",
        "_registry",
        "cost",
        "declared",
        "pattern_validators",
        "quick_checks",
        "schema",
        "unknown_policy",
        "validator",
    )

    def __init__(
        self, schema: dict[str, Any] | bool, *, registry: jsonschema_rs.Registry | None = None
    ) -> None:
        self.schema = schema
        self.validator: Engine = build_engine(schema, registry=registry)
        self.declared: frozenset[str] = frozenset(_declared_names(schema))
        self.unknown_policy: UnknownPolicy = _unknown_policy(schema)
        patterns = _root_patterns(schema)
        self.pattern_validators: tuple[jsonschema_rs.Validator, ...] = tuple(
            build_validator({"type": "string", "pattern": p}) for p in patterns
        )
        self.cost: int = schema_cost(schema)
        """Worst subschema evaluations per instance value (``max_schema_cost`` is its budget;
        versions stored before the budget existed may exceed it)."""
        self._indexes: dict[str, SuggestIndex] = {}
        self._registry = registry
        self._closed: Engine | object | None = _UNBUILT
        self.quick_checks: dict[Any, Any] = {}
        """The valid-event fast check per validation options (``event.quick_check``, kept by
        ``event._checker``)."""

    def is_valid(self, instance: object) -> bool:
        """Validate ``instance`` itself (no envelope), as the service does for a params object."""
        return self.validator.is_valid(instance)

    def errors(
        self, instance: object, *, limit: int | None = None
    ) -> list[jsonschema_rs.ValidationError]:
        """Engine errors for ``instance`` itself (no envelope, no coercion), at most ``limit``."""
        return list(islice(self.validator.iter_errors(instance), limit))

    def suggester(self, where: str, candidates: Iterable[object] | None = None) -> SuggestIndex:
        """The did-you-mean index of one candidate set, built once: ``""`` is the declared params,
        any other key (a schema path) an enum's values (``candidates`` given on first use)."""
        index = self._indexes.get(where)
        if index is None:
            index = SuggestIndex(self.declared if candidates is None else candidates)
            if len(self._indexes) < _MAX_INDEXES:  # schema paths through a recursive $ref grow
                self._indexes[where] = index  # a racing thread builds an equal one: harmless
        return index

    def closed(self) -> Engine | None:
        """The engine of this schema closed to undeclared names, when that is exactly "valid,
        and every name is one of the root's ``properties``"; None when it would not be.

        Built on first use (by the valid-event quick check) and kept. The root gains
        ``additionalProperties: false``, which judges only names its sibling ``properties``
        do not list; so only a root whose names are all there (no ``patternProperties``, no
        other root part declaring names, no root ``$ref``, beside which draft-07 ignores the
        other keywords) and that says nothing of undeclared names itself qualifies.
        """
        if self._closed is _UNBUILT:
            self._closed = _closed_engine(self)
        return self._closed  # type: ignore[return-value]

    def declares(self, name: str) -> bool:
        """True when the schema's root names ``name`` (properties, required, patternProperties)."""
        return name in self.declared or any(v.is_valid(name) for v in self.pattern_validators)

    def __repr__(self) -> str:
        return f"CompiledSchema(declared={sorted(self.declared)!r}, unknown={self.unknown_policy})"


_UNBUILT = object()
_REFS = ("$ref", "$dynamicRef", "$recursiveRef")


def _closed_engine(compiled: CompiledSchema) -> Engine | None:
    schema = compiled.schema
    if (
        not isinstance(schema, dict)
        or compiled.unknown_policy != "mode"
        or compiled.pattern_validators
        or compiled._registry is not None
        or any(key in schema for key in _REFS)
        or not isinstance(schema.get("properties"), dict)
        or set(schema["properties"]) != compiled.declared
        or sliceable(schema)
    ):
        return None
    try:
        return build_validator({**schema, "additionalProperties": False})
    except (jsonschema_rs.ValidationError, ValueError):  # it compiled once: not expected
        return None


def compile_schema(
    schema: dict[str, Any] | bool, *, registry: jsonschema_rs.Registry | None = None
) -> CompiledSchema:
    """Compile a schema that already passed ``check_schema``; do it once per schema id.

    ``registry`` is for the conformance test only (in-memory remotes); the service never passes it.

    Raises:
        jsonschema_rs.ValidationError: only if ``check_schema`` was skipped.
    """
    return CompiledSchema(schema, registry=registry)


def _root_parts(schema: dict[str, Any] | bool) -> Iterator[dict[str, Any]]:
    """The root and the subschemas that describe the same params object (allOf/anyOf/oneOf,
    then/else, and local ``$ref``s from any of them)."""
    pending: list[object] = [schema]
    seen: set[int] = set()
    while pending and len(seen) < _MAX_REF_HOPS * 8:
        node = pending.pop()
        if not isinstance(node, dict) or id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        for key in _BRANCHES:
            if isinstance(node.get(key), list):
                pending.extend(node[key])
        pending.extend(node.get(key) for key in _SINGLE)
        if isinstance(node.get("$ref"), str) and isinstance(schema, dict):
            pending.append(resolve_local(schema, node["$ref"]))


def resolve_local(root: dict[str, Any], ref: str) -> object:
    """The node a local ``$ref`` (``#/...``) points at, or ``None``."""
    if not ref.startswith("#/"):
        return None
    node = resolve(root, ref[1:])
    return None if node is MISSING else node


def _declared_names(schema: dict[str, Any] | bool) -> Iterator[str]:
    for part in _root_parts(schema):
        if isinstance(part.get("properties"), dict):
            yield from part["properties"]
        if isinstance(part.get("required"), list):
            yield from (n for n in part["required"] if isinstance(n, str))


def _root_patterns(schema: dict[str, Any] | bool) -> list[str]:
    found: list[str] = []
    for part in _root_parts(schema):
        if isinstance(part.get("patternProperties"), dict):
            found.extend(part["patternProperties"])
    return found


def _unknown_policy(schema: dict[str, Any] | bool) -> UnknownPolicy:
    if schema is True:
        return "allowed"
    for part in _root_parts(schema):
        for key in ("additionalProperties", "unevaluatedProperties"):
            if part.get(key) is False:
                return "engine"
            if key == "additionalProperties" and key in part and part is schema:
                return "allowed"
    return "mode"
