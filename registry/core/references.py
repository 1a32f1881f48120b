"""Schema references: ``$ref`` to a declared name resolves to a registered version, never a URL.

A version may declare ``references: [{name, eventTypeKey, version}]`` (Confluent's reference
list with our key). :func:`dereference` turns the document and its references into ONE
self-contained document with only local references: each referenced version's own resolved form
is embedded once under the root's ``$defs`` (``definitions`` in draft-07) at the slot named by the
reference, and every ``$ref`` to a declared name (optionally with a ``#fragment`` into it) is
rewritten to point there. Local references inside an embedded document are re-based onto its slot.
Validation, the compatibility checker, codegen, the bundle and ``?dereference=true`` all use that
form, so a change inside a referenced schema is seen through the reference and compatibility
findings carry a path through the slot (``/$defs/address.json/properties/zip``).

Bounds: a chain of references of references deeper than ``max_depth`` is ``reference_too_deep``;
a chain that returns to a version already on it is ``reference_cycle``. Registered versions are
immutable and a reference names an existing version, so a cycle can only be attempted by a
version naming itself; the walk refuses any cycle anyway.

Not re-based: a subtree of an embedded document that declares its own ``$id`` (its references
resolve against that ``$id``, which stays, as before embedding).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import quote

from registry.core import canonical
from registry.core.errors import (
    ReferenceCycle,
    ReferenceInvalid,
    ReferenceTooDeep,
    SchemaProblem,
)
from registry.core.jsonpointer import escape
from registry.core.model import Reference, Schema, SchemaVersion
from registry.core.validation.walk import iter_subschemas

__all__ = [
    "Fetch",
    "check_declarations",
    "dereference",
    "fingerprint",
    "referenced_names",
]

Fetch = Callable[[Reference], SchemaVersion]
"""Returns the referenced version; raises ReferenceInvalid when it cannot be used."""

_DRAFT7 = "http://json-schema.org/draft-07/schema"
_DEFAULT_DIALECT = "https://json-schema.org/draft/2020-12/schema"
_FRAGMENT_SAFE = "/~:@!$&'()*+,;=-._"


def fingerprint(schema: Schema, references: Sequence[Reference]) -> str:
    """Content identity: the schema alone without references (ids of existing content keep
    their fingerprint), the schema and its reference list otherwise."""
    if not references:
        return canonical.fingerprint(schema)
    refs = [
        {"name": r.name, "eventTypeKey": r.event_type_key, "version": r.version} for r in references
    ]
    return canonical.fingerprint({"schema": schema, "references": refs})


def check_declarations(references: Sequence[Reference]) -> None:
    """Each name declared once, non-empty, and not a local fragment."""
    seen: set[str] = set()
    problems = []
    for i, ref in enumerate(references):
        where = f"/references/{i}/name"
        if not ref.name or ref.name.startswith("#"):
            message = "a reference name must be non-empty and not start with '#'"
            problems.append(SchemaProblem(pointer=where, message=message))
        elif ref.name in seen:
            problems.append(SchemaProblem(pointer=where, message=f"{ref.name!r} declared twice"))
        seen.add(ref.name)
    if problems:
        raise ReferenceInvalid(problems)


def referenced_names(schema: Schema) -> set[str]:
    """Every non-local ``$ref`` target of ``schema`` without its fragment."""
    names = set()
    for _, node in iter_subschemas(schema):
        ref = node.get("$ref")
        if isinstance(ref, str) and not ref.startswith("#"):
            names.add(ref.split("#", 1)[0])
    return names


class _Bundle:
    """The slots of one compound document: target (key, version) -> slot name."""

    def __init__(
        self, root: dict[str, Any], taken: set[str], fetch: Fetch, max_depth: int, offset: int
    ) -> None:
        self.dialect = _dialect(root)
        self.defs_keyword = "definitions" if self.dialect == _DRAFT7 else "$defs"
        self.taken = taken
        self.fetch = fetch
        self.max_depth = max_depth
        self.offset = offset
        self.slots: dict[tuple[str, int], str] = {}
        self.preferred: dict[tuple[str, int], str] = {}
        """The root's own names for its targets (findings then read ``/$defs/<its name>``)."""
        self.reserved: set[str] = set()
        self.embedded: dict[str, Schema] = {}

    def slot_of(self, ref: Reference, chain: tuple[tuple[str, int], ...]) -> str:
        target = (ref.event_type_key, ref.version)
        if target in chain:
            path = " -> ".join(f"{k} v{v}" for k, v in (*chain, target))
            raise ReferenceCycle(
                [SchemaProblem(pointer="/references", message=f"reference cycle: {path}")]
            )
        if len(chain) - self.offset >= self.max_depth:
            raise ReferenceTooDeep(
                [
                    SchemaProblem(
                        pointer="/references",
                        message=f"references nest deeper than {self.max_depth} "
                        f"(at {ref.event_type_key} v{ref.version})",
                    )
                ]
            )
        if target in self.slots:
            return self.slots[target]
        name = self.preferred.get(target, ref.name)
        if name in self.taken or (name != self.preferred.get(target) and name in self.reserved):
            name = f"{ref.name}({ref.event_type_key}@{ref.version})"
        self.taken.add(name)
        self.slots[target] = name
        version = self.fetch(ref)
        document = copy.deepcopy(version.schema)
        if isinstance(document, dict) and _dialect(document) != self.dialect:
            raise ReferenceInvalid(
                [
                    SchemaProblem(
                        pointer="/references",
                        message=f"{ref.event_type_key} v{ref.version} is written in "
                        f"{_dialect(document)}, the referencing schema in {self.dialect}: "
                        "references must share the dialect",
                    )
                ]
            )
        if isinstance(document, dict):
            document.pop("$id", None)
            document.pop("$schema", None)
        self.embedded[name] = self.rewrite(
            document, version.references, self.target_of(name), (*chain, target)
        )
        return name

    def target_of(self, slot: str) -> str:
        return "#" + quote(f"/{self.defs_keyword}/{escape(slot)}", safe=_FRAGMENT_SAFE)

    def rewrite(
        self,
        document: Schema,
        references: Sequence[Reference],
        base: str,
        chain: tuple[tuple[str, int], ...],
    ) -> Schema:
        """Point ``$ref`` to declared names at their slots; re-base local ones onto ``base``
        (``"#"`` for the root document, which keeps its own)."""
        declared = {r.name: r for r in references}
        scoped: list[tuple[Any, ...]] = []
        for tokens, node in iter_subschemas(document):
            if tokens and isinstance(node.get("$id"), str) and not node["$id"].startswith("#"):
                scoped.append(tokens)
            if any(tokens[: len(s)] == s for s in scoped):
                continue
            ref = node.get("$ref")
            if not isinstance(ref, str):
                continue
            name, _, fragment = ref.partition("#")
            if name in declared:
                slot = self.slot_of(declared[name], chain)
                node["$ref"] = self.target_of(slot) + fragment
            elif not name and base != "#" and (not fragment or fragment.startswith("/")):
                node["$ref"] = base + fragment
        return document


def _dialect(document: dict[str, Any]) -> str:
    value = document.get("$schema", _DEFAULT_DIALECT)
    return value.removesuffix("#") if isinstance(value, str) else repr(value)


def dereference(
    schema: Schema,
    references: Sequence[Reference],
    fetch: Fetch,
    *,
    max_depth: int,
    self_target: tuple[str, int] | None = None,
) -> Schema:
    """The self-contained form of ``schema`` with ``references`` (module docstring).

    ``self_target`` is the version being registered (key, number it would get): a reference
    chain reaching it is a cycle.
    """
    check_declarations(references)
    if not isinstance(schema, dict):
        return schema
    root = copy.deepcopy(schema)
    bundle = _Bundle(root, set(), fetch, max_depth, 0 if self_target is None else 1)
    defs_keyword = bundle.defs_keyword
    existing = root.get(defs_keyword)
    if existing is not None and not isinstance(existing, dict):
        raise ReferenceInvalid(
            [SchemaProblem(pointer=f"/{defs_keyword}", message=f"{defs_keyword} must be an object")]
        )
    bundle.taken = set(existing or {})
    for ref in references:
        bundle.preferred.setdefault((ref.event_type_key, ref.version), ref.name)
    bundle.reserved = set(bundle.preferred.values())
    chain = () if self_target is None else (self_target,)
    resolved = bundle.rewrite(root, references, "#", chain)
    for ref in references:  # declared but unused: still a registered version (and embedded)
        bundle.slot_of(ref, chain)
    if bundle.embedded:
        assert isinstance(resolved, dict)
        resolved[defs_keyword] = {**(existing or {}), **bundle.embedded}
    return resolved
