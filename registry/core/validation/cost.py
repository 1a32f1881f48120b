"""Worst-case evaluation cost of a schema, per instance node.

Validating one value (an instance node) against a subschema evaluates that subschema and every
subschema it applies *in place* -- to the same value: ``allOf``/``anyOf``/``oneOf``, ``not``,
``if``/``then``/``else``, ``dependentSchemas`` (draft-07 schema ``dependencies``) and the
targets of ``$ref``/``$dynamicRef``/``$recursiveRef``. Keywords that descend into the value
(``properties``, ``items``, ``additionalProperties``...) are paid at the child value, which is a
different instance node, so a recursive schema that walks down a tree of items costs the same at
every level and is fine.

The cost of a subschema is 1 plus the cost of everything it applies in place, following
references; a reference cycle that never descends costs infinitely much (the engine would recurse
forever). ``oneOf`` of two references to the next of 20 levels costs about 2**21: the budget
refuses it at registration, and the number bounds the engine's work and error-tree size per value.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin

import msgspec

from registry.core.jsonpointer import Token, pointer
from registry.core.validation.walk import iter_subschemas

__all__ = ["INFINITE", "Cost", "evaluation_cost", "schema_cost"]

INFINITE = 1 << 62
"""The cost of an in-place reference cycle (and the saturation point of every sum)."""

_MANY = ("allOf", "anyOf", "oneOf")
_ONE = ("not", "if", "then", "else")
_REFS = ("$ref", "$dynamicRef", "$recursiveRef")
_IN_PLACE_KEYS = tuple(
    f'"{k}"'.encode() for k in (*_MANY, *_ONE, "dependentSchemas", "dependencies", *_REFS)
)


class Cost:
    """The most expensive subschema of a document: its cost, where it is, and whether it loops."""

    __slots__ = ("cycle", "pointer", "worst")

    def __init__(self, worst: int, where: str, *, cycle: bool = False) -> None:
        self.worst = worst
        self.pointer = where
        self.cycle = cycle

    def __repr__(self) -> str:
        return f"Cost(worst={self.worst}, pointer={self.pointer!r}, cycle={self.cycle})"


class _Index:
    """Where every subschema lives, its base URI, and the targets ``$id``/anchors name."""

    def __init__(self, root: dict[str, Any], *, draft7: bool) -> None:
        self.root = root
        self.where: dict[int, tuple[Token, ...]] = {}
        self.base: dict[int, str] = {}
        self.resources: dict[str, object] = {"": root}
        self.anchors: dict[tuple[str, str], object] = {}
        self.dynamic: dict[str, list[object]] = {}
        bases: dict[tuple[Token, ...], str] = {}
        for tokens, node in iter_subschemas(root):
            parent = next(
                (bases[tokens[:n]] for n in range(len(tokens) - 1, -1, -1) if tokens[:n] in bases),
                "",
            )
            base = self._declare(node, parent, draft7=draft7)
            bases[tokens] = base
            self.where[id(node)] = tokens
            self.base[id(node)] = base

    def _declare(self, node: dict[str, Any], parent: str, *, draft7: bool) -> str:
        base = parent
        declared = node.get("$id")
        if isinstance(declared, str):
            if draft7 and declared.startswith("#"):
                self.anchors[(parent, declared[1:])] = node
            else:
                base = urldefrag(urljoin(parent, declared)).url
                self.resources.setdefault(base, node)
        for keyword in ("$anchor", "$dynamicAnchor"):
            name = node.get(keyword)
            if isinstance(name, str):
                self.anchors.setdefault((base, name), node)
                if keyword == "$dynamicAnchor":
                    self.dynamic.setdefault(name, []).append(node)
        if node.get("$recursiveAnchor") is True:
            self.dynamic.setdefault("", []).append(node)
        return base

    def targets(self, node: dict[str, Any], keyword: str, ref: str) -> list[object]:
        """Every subschema a reference may evaluate (a dynamic one: each candidate anchor)."""
        base = self.base.get(id(node), "")
        url, fragment = urldefrag(urljoin(base, ref))
        fragment = unquote(fragment)
        found = self._resolve(url, fragment)
        if keyword == "$dynamicRef" and fragment and not fragment.startswith("/"):
            return [*([found] if found is not None else []), *self.dynamic.get(fragment, [])]
        if keyword == "$recursiveRef":
            return [*([found] if found is not None else []), *self.dynamic.get("", [])]
        return [] if found is None else [found]

    def _resolve(self, url: str, fragment: str) -> object:
        document = self.resources.get(url)
        if document is None:
            return None
        if not fragment:
            return document
        if not fragment.startswith("/"):
            return self.anchors.get((url, fragment))
        node: object = document
        for raw in fragment[1:].split("/"):
            token = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict):
                node = node.get(token)
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                return None
        return node


def _in_place(index: _Index, node: dict[str, Any], *, draft7: bool) -> Iterator[object]:
    """The subschemas evaluated against the same value as ``node``."""
    for keyword in _MANY:
        value = node.get(keyword)
        if isinstance(value, list):
            yield from value
    for keyword in _ONE:
        if keyword in node:
            yield node[keyword]
    dependent = node.get("dependentSchemas")
    if isinstance(dependent, dict):
        yield from dependent.values()
    dependencies = node.get("dependencies")
    if isinstance(dependencies, dict):
        yield from (v for v in dependencies.values() if isinstance(v, dict | bool))
    for keyword in _REFS:
        ref = node.get(keyword)
        if isinstance(ref, str) and not (draft7 and keyword != "$ref"):
            yield from index.targets(node, keyword, ref)


def evaluation_cost(schema: object, *, draft7: bool = False) -> Cost:
    """The worst in-place cost over every subschema of ``schema`` (see the module docstring).

    Iterative (no recursion limit) and linear in the number of subschemas and references.
    """
    if not isinstance(schema, dict) or not _applies_in_place(schema):
        return Cost(1, "")
    index = _Index(schema, draft7=draft7)
    memo: dict[int, int] = {}
    worst = Cost(1, "")
    for tokens, node in iter_subschemas(schema):
        found = _cost(index, node, memo, draft7=draft7)
        if isinstance(found, Cost):
            return found
        if found > worst.worst:
            worst = Cost(found, pointer(tokens))
    return worst


def _applies_in_place(schema: dict[str, Any]) -> bool:
    """False when no in-place keyword occurs anywhere (every subschema then costs 1): one C-speed
    scan of the text instead of a walk, for the common flat params schema. Conservative: a
    property or value spelt like a keyword takes the full walk."""
    try:
        text = msgspec.json.encode(schema)
    except (TypeError, ValueError, OverflowError):
        return True
    return any(key in text for key in _IN_PLACE_KEYS)


def _cost(
    index: _Index, start: dict[str, Any], memo: dict[int, int], *, draft7: bool
) -> int | Cost:
    """Post-order walk of the in-place graph from ``start``; a cycle returns an infinite Cost."""
    if id(start) in memo:
        return memo[id(start)]
    on_path: set[int] = {id(start)}
    stack: list[tuple[dict[str, Any], Iterator[object], int]] = [
        (start, _in_place(index, start, draft7=draft7), 1)
    ]
    while stack:
        node, children, total = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            on_path.discard(id(node))
            memo[id(node)] = total
            if stack:
                parent, siblings, sum_ = stack[-1]
                stack[-1] = (parent, siblings, min(sum_ + total, INFINITE))
            continue
        if not isinstance(child, dict):
            stack[-1] = (node, children, min(total + 1, INFINITE))
        elif id(child) in on_path:
            where = index.where.get(id(node), ())
            return Cost(INFINITE, pointer(where), cycle=True)
        elif id(child) in memo:
            stack[-1] = (node, children, min(total + memo[id(child)], INFINITE))
        else:
            on_path.add(id(child))
            stack.append((child, _in_place(index, child, draft7=draft7), 1))
    return memo[id(start)]


def schema_cost(schema: object) -> int:
    """:func:`evaluation_cost`'s worst figure, with the dialect read from ``$schema``."""
    dialect = schema.get("$schema") if isinstance(schema, dict) else None
    return evaluation_cost(schema, draft7="draft-07" in str(dialect)).worst
