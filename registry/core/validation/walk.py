"""Walk the subschemas of a JSON Schema document without recursion, tolerant of any JSON."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from registry.core.jsonpointer import Token

__all__ = ["iter_subschemas", "json_depth"]


# Keywords whose value is one schema / a list of schemas / a name->schema map (drafts 7..2020-12).
_ONE = frozenset(
    {
        "additionalItems",
        "additionalProperties",
        "contains",
        "propertyNames",
        "not",
        "if",
        "then",
        "else",
        "unevaluatedItems",
        "unevaluatedProperties",
        "contentSchema",
        "items",
    }
)
_MANY = frozenset({"allOf", "anyOf", "oneOf", "prefixItems", "items"})
_MAP = frozenset(
    {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "dependencies"}
)


def json_depth(document: object, *, stop_at: int) -> int:
    """Nesting depth of a JSON document (a scalar is 0, ``{}`` is 1), counted up to ``stop_at``."""
    deepest = 0
    stack: list[tuple[object, int]] = [(document, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children: Iterable[object] = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        deepest = max(deepest, depth + 1)
        if deepest > stop_at:
            return deepest
        stack.extend((child, depth + 1) for child in children)
    return deepest


def iter_subschemas(schema: object) -> Iterator[tuple[tuple[Token, ...], dict[str, Any]]]:
    """Yield ``(tokens, subschema)`` for every object schema in the document, root first."""
    stack: list[tuple[tuple[Token, ...], object]] = [((), schema)]
    while stack:
        tokens, node = stack.pop()
        if not isinstance(node, dict):
            continue
        yield tokens, node
        stack.extend(reversed(list(_children(tokens, node))))


def _children(
    tokens: tuple[Token, ...], node: dict[str, Any]
) -> Iterator[tuple[tuple[Token, ...], object]]:
    for key, value in node.items():
        here = (*tokens, key)
        if key in _MANY and isinstance(value, list):
            yield from (((*here, i), sub) for i, sub in enumerate(value))
        elif key in _ONE and isinstance(value, dict):
            yield here, value
        elif key in _MAP and isinstance(value, dict):
            yield from (((*here, name), sub) for name, sub in value.items())
