"""Local ``$ref`` resolution (``#/definitions/..``, ``#/$defs/..``, ``#anchor``), cycle-safe."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from registry.core.jsonpointer import MISSING, escape, resolve

_MAX_CHAIN = 32
_SKIP = frozenset({"enum", "const", "examples", "default", "required"})


@dataclass(frozen=True)
class Resolver:
    """Resolves local references inside one schema document."""

    root: Any
    anchors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, root: Any) -> Resolver:
        """Index the anchors (``$anchor``, draft-6/7 ``$id: "#name"``) of ``root``."""
        return cls(root, dict(_anchors(root, "")))

    def resolve(self, node: Any, path: str) -> tuple[Any, str]:
        """Follow ``$ref`` chains from ``node``; return the merged schema and its pointer.

        Sibling keywords of a ``$ref`` are kept (2019-09+ semantics); the target wins on
        conflicts. An unresolvable reference is returned as is.
        """
        chain: set[str] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            target = self.pointer_of(ref)
            if target is None or target in chain or len(chain) >= _MAX_CHAIN:
                return node, path
            chain.add(target)
            found = self.lookup(target)
            if found is MISSING:
                return node, path
            node, path = _merge(node, found), target
        return node, path

    def pointer_of(self, ref: str) -> str | None:
        """The JSON Pointer a local reference designates, or None when it is not local."""
        if ref in self.anchors:
            return self.anchors[ref]
        if ref == "#":
            return ""
        if ref.startswith("#/"):
            return unquote(ref[1:])
        return None

    def lookup(self, pointer: str) -> Any:
        """The value at ``pointer`` in the root document (``MISSING`` when absent)."""
        return resolve(self.root, pointer)


def _merge(referrer: dict[str, Any], target: Any) -> Any:
    siblings = {k: v for k, v in referrer.items() if k != "$ref"}
    if not isinstance(target, dict):
        return target if not siblings or target is False else siblings
    return {**siblings, **target}


def _anchors(node: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, list):
        for i, item in enumerate(node):
            yield from _anchors(item, f"{path}/{i}")
        return
    if not isinstance(node, dict):
        return
    for key in ("$id", "id"):
        value = node.get(key)
        if isinstance(value, str) and value.startswith("#") and len(value) > 1:
            yield value, path
    if isinstance(node.get("$anchor"), str):
        yield "#" + node["$anchor"], path
    for key, value in node.items():
        if key not in _SKIP:
            yield from _anchors(value, f"{path}/{escape(key)}")
