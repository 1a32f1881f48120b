"""Data-contract tags on params: ``x-pii``, ``x-owner`` and free ``x-tags``, kept in the schema.

A param is tagged in its own subschema::

    "email": {"type": "string", "format": "email", "x-pii": true, "x-owner": "crm-team",
              "x-tags": ["contact"]}

Tags are annotations (no validator reads them, and changing only tags is compatible at every
level: the diff says ``tags_changed``). ``x-pii: true`` also tells the inspection log to store
that param's values masked (``***``), in addition to the name lists of the settings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["TAG_KEYWORDS", "PiiIndex", "param_tags", "pii_names"]

TAG_KEYWORDS = ("x-pii", "x-owner", "x-tags")
_NESTED = ("items", "additionalProperties", "contains")
_BRANCHES = ("allOf", "anyOf", "oneOf", "prefixItems")
MAX_DEPTH = 32
CACHE_SIZE = 1024


def _members(schema: object, path: str, depth: int = 0) -> Iterator[tuple[str, str, Any]]:
    """``(path, name, subschema)`` of every named member, nested ones included."""
    if not isinstance(schema, dict) or depth > MAX_DEPTH:
        return
    properties = schema.get("properties")
    if isinstance(properties, dict):
        for name, node in properties.items():
            here = f"{path}.{name}" if path else name
            yield here, name, node
            yield from _members(node, here, depth + 1)
    for key in _NESTED:
        yield from _members(schema.get(key), f"{path}[]" if key == "items" else path, depth + 1)
    for key in _BRANCHES:
        branches = schema.get(key)
        if isinstance(branches, list):
            for branch in branches:
                yield from _members(branch, path, depth + 1)


def param_tags(schema: object) -> dict[str, dict[str, Any]]:
    """Each tagged member (``items[].sku``) -> its ``x-*`` keywords, in schema order."""
    found: dict[str, dict[str, Any]] = {}
    for path, _, node in _members(schema, ""):
        if isinstance(node, dict):
            tags = {k: v for k, v in node.items() if k.startswith("x-")}
            if tags:
                found[path] = tags
    return found


def pii_names(schema: object) -> frozenset[str]:
    """Names of the members marked ``"x-pii": true`` anywhere in ``schema``."""
    return frozenset(
        name
        for _, name, node in _members(schema, "")
        if isinstance(node, dict) and node.get("x-pii") is True
    )


class PiiIndex:
    """``x-pii`` names per schema id (contents never change), computed once and kept bounded."""

    def __init__(self, load: Callable[[int], object]) -> None:
        self._load = load
        self._names: dict[int, frozenset[str]] = {}

    def names(self, schema_id: int | None) -> frozenset[str]:
        if schema_id is None:
            return frozenset()
        if schema_id not in self._names:
            if len(self._names) >= CACHE_SIZE:
                self._names.clear()
            self._names[schema_id] = pii_names(self._load(schema_id))
        return self._names[schema_id]
