"""The params of a schema as lint rules see them: each named member, where it is, whether
it is required, nested objects and array items included."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from registry.core.jsonpointer import escape

MAX_DEPTH = 32
_BRANCHES = ("allOf", "anyOf", "oneOf")


class Member(NamedTuple):
    """One named member of an object schema."""

    pointer: str
    """JSON Pointer of its subschema in the schema document (``/properties/items/items/...``)."""
    param: str
    """Dotted param path (``items[].sku``)."""
    name: str
    node: Any
    required: bool


def members(schema: object) -> Iterator[Member]:
    """Every named member of ``schema``, outermost first, in document order."""
    yield from _walk(schema, "", "", 0)


def objects(schema: object) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(pointer, node)`` of every object schema with ``properties`` below the root."""
    for member in members(schema):
        for pointer, node in _self_and_items(member.pointer, member.node):
            if isinstance(node.get("properties"), dict):
                yield pointer, node


def _self_and_items(pointer: str, node: object) -> Iterator[tuple[str, dict[str, Any]]]:
    depth = 0
    while isinstance(node, dict) and depth < MAX_DEPTH:
        yield pointer, node
        node, pointer, depth = node.get("items"), f"{pointer}/items", depth + 1


def _walk(schema: object, pointer: str, param: str, depth: int) -> Iterator[Member]:
    if not isinstance(schema, dict) or depth > MAX_DEPTH:
        return
    properties = schema.get("properties")
    required = schema.get("required")
    wanted = set(required) if isinstance(required, list) else set()
    if isinstance(properties, dict):
        for name, node in properties.items():
            here = f"{pointer}/properties/{escape(name)}"
            dotted = f"{param}.{name}" if param else name
            yield Member(here, dotted, name, node, name in wanted)
            yield from _walk(node, here, dotted, depth + 1)
    items = schema.get("items")
    if isinstance(items, dict):
        yield from _walk(items, f"{pointer}/items", f"{param}[]", depth + 1)
    for key in _BRANCHES:
        branches = schema.get(key)
        if isinstance(branches, list):
            for i, branch in enumerate(branches):
                yield from _walk(branch, f"{pointer}/{key}/{i}", param, depth + 1)
