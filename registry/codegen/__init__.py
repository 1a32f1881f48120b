"""Code generation for SDKs: event types as TypeScript or Python (msgspec) source. Pure.

``generate(lang, types)`` takes ``(key, description, schema)`` triples -- schemas as the registry
stores them (param lists already compiled) -- and returns the module text. Output depends only
on the input: types are ordered by key and names are mangled deterministically
(:mod:`registry.codegen.names`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

import msgspec

from registry.codegen.ir import EventModel, build_event
from registry.codegen.names import PYTHON_RESERVED, NameRegistry, type_names
from registry.codegen.python import render_python
from registry.codegen.typescript import render_typescript

Lang = Literal["typescript", "python"]
LANGS: tuple[Lang, ...] = ("typescript", "python")


class TypeSource(msgspec.Struct, frozen=True):
    """One event type to generate: its key, its description and its params schema."""

    key: str
    description: str
    schema: Any


def models(types: Iterable[TypeSource]) -> list[EventModel]:
    ordered = sorted(types, key=lambda t: t.key)
    bases = type_names(t.key for t in ordered)
    names = NameRegistry(reserved=PYTHON_RESERVED)
    return [build_event(t.key, bases[t.key], t.description, t.schema, names) for t in ordered]


def generate(lang: Lang, types: Iterable[TypeSource], *, source: str = "") -> str:
    """The module text for ``lang`` describing every type of ``types``."""
    built = models(types)
    if lang == "typescript":
        return render_typescript(built, source=source)
    return render_python(built, source=source)


__all__ = ["LANGS", "Lang", "TypeSource", "generate", "models"]
