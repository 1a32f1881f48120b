"""Python output: ``msgspec.Struct`` classes, one params Struct and one event Struct per type.

Why Structs rather than TypedDicts: the generated module is then also a validator and a codec --
``msgspec.json.decode(data, type=AnyEvent)`` checks types, literal values, required members and
numeric/length bounds (``msgspec.Meta``), and picks the event class by ``eventTypeKey`` (a tagged
union) -- while TypedDicts only help a type checker. Optional members default to ``UNSET``, so an
absent member stays absent when the value is encoded again.

msgspec cannot decode every union (two object types, two string-like types...); such unions are
typed ``Any`` so decoding never rejects what the schema accepts.
"""

from __future__ import annotations

import re
from typing import Any

from registry.codegen.ir import (
    ArrayOf,
    Bounded,
    EventModel,
    Lits,
    MapOf,
    Named,
    ObjectDef,
    Prim,
    TypeRef,
    UnionOf,
)
from registry.codegen.names import python_field

_PRIMS = {
    "string": "str",
    "number": "float",
    "integer": "int",
    "boolean": "bool",
    "null": "None",
    "any": "Any",
    "never": "Any",
}
HEADER = """{doc}

from __future__ import annotations

from typing import Annotated, Any, Literal, NoReturn, TypeAlias

import msgspec
from msgspec import UNSET, UnsetType

"""


def docstring(text: str, indent: str = "") -> str:
    """A safe triple-quoted docstring (backslashes and quotes escaped)."""
    lines = text.strip().replace("\\", "\\\\").replace('"', '\\"').splitlines() or [""]
    if len(lines) == 1:
        return f'{indent}"""{lines[0]}"""'
    rest = [(indent + line) if line.strip() else "" for line in lines[1:]]
    return "\n".join([f'{indent}"""{lines[0]}', *rest, f'{indent}"""'])


class _Emitter:
    def __init__(self, objects: set[str]) -> None:
        self.objects = objects

    def type(self, ref: TypeRef) -> str:  # noqa: PLR0911 -- a branch per type kind
        if isinstance(ref, Prim):
            return _PRIMS[ref.kind]
        if isinstance(ref, Lits):
            return self._literals(ref.values)
        if isinstance(ref, ArrayOf):
            return f"list[{self.type(ref.item)}]"
        if isinstance(ref, MapOf):
            return f"dict[str, {self.type(ref.value)}]"
        if isinstance(ref, Named):
            return ref.name
        if isinstance(ref, Bounded):
            meta = ", ".join(f"{k}={v!r}" for k, v in ref.bounds if _usable(k, v))
            inner = self.type(ref.inner)
            return f"Annotated[{inner}, msgspec.Meta({meta})]" if meta else inner
        if not self._decodable(ref):
            return "Any"
        return " | ".join(self.type(option) for option in ref.options)

    @staticmethod
    def _literals(values: tuple[Any, ...]) -> str:
        if any(isinstance(v, float) for v in values):
            return "float" if all(isinstance(v, int | float) for v in values) else "Any"
        literal = [v for v in values if v is not None]
        parts = [f"Literal[{', '.join(repr(v) for v in literal)}]"] if literal else []
        return " | ".join(parts + (["None"] if None in values else []))

    def _decodable(self, union: UnionOf) -> bool:
        """msgspec allows at most one type of each JSON kind in a union (tags aside)."""
        kinds = [k for option in union.options for k in self._kinds(option)]
        return "any" not in kinds and len(kinds) == len(set(kinds))

    def _kinds(self, ref: TypeRef) -> list[str]:
        if isinstance(ref, Bounded):
            return self._kinds(ref.inner)
        if isinstance(ref, Prim):
            return [{"number": "float", "integer": "int"}.get(ref.kind, ref.kind)]
        if isinstance(ref, Lits):
            return list(dict.fromkeys(_literal_kind(v) for v in ref.values))
        if isinstance(ref, ArrayOf):
            return ["array"]
        if isinstance(ref, MapOf | Named):
            return ["object"] if not isinstance(ref, Named) or ref.name in self.objects else ["any"]
        return ["any"]


def _literal_kind(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "boolean", int: "int", str: "string"}.get(type(value), "float")


def _usable(meta: str, value: Any) -> bool:
    """Skip bounds msgspec cannot take (a pattern Python's re does not compile)."""
    if meta != "pattern":
        return isinstance(value, int | float)
    try:
        re.compile(value)
    except (re.error, TypeError):
        return False
    return True


def _object(obj: ObjectDef, emit: _Emitter) -> list[str]:
    options = "kw_only=True" + (", forbid_unknown_fields=True" if obj.closed else "")
    lines = [f"class {obj.name}(msgspec.Struct, {options}):"]
    taken: set[str] = set()
    attributes, body = [], []
    for field in obj.fields:
        name = python_field(field.json_name, taken)
        body.append(_field_line(name, field.json_name, emit.type(field.type), field.required))
        if field.description or name != field.json_name:
            wire = f" (JSON {field.json_name!r})" if name != field.json_name else ""
            attributes.append(f"    {name}: {field.description or field.json_name}{wire}")
    doc = obj.description or f"Members of {obj.name}."
    if attributes:
        doc += "\n\nAttributes:\n" + "\n".join(attributes)
    return [*lines, docstring(doc, "    "), "", *body]


def _field_line(name: str, json_name: str, annotation: str, required: bool) -> str:
    renamed = f"name={json_name!r}" if name != json_name else ""
    if required:
        value = f" = msgspec.field({renamed})" if renamed else ""
        return f"    {name}: {annotation}{value}"
    value = f"msgspec.field(default=UNSET, {renamed})" if renamed else "UNSET"
    return f"    {name}: {annotation} | UnsetType = {value}"


def _event(model: EventModel) -> list[str]:
    return [
        f'class {model.name}Event(msgspec.Struct, kw_only=True, tag_field="eventTypeKey", '
        f"tag={model.key!r}):",
        docstring(model.description or f"The {model.key!r} event.", "    "),
        "",
        f"    params: {model.params}",
        '    key_value: str | UnsetType = msgspec.field(default=UNSET, name="keyValue")',
    ]


def render_python(models: list[EventModel], *, source: str = "") -> str:
    """One module with every model's types, the event classes and ``AnyEvent``."""
    objects = {d.name for m in models for d in m.defs if isinstance(d, ObjectDef)}
    emit = _Emitter(objects)
    defs = [d for m in models for d in m.defs]
    # classes first: aliases are evaluated at import time and may name any class
    blocks = [_object(d, emit) for d in defs if isinstance(d, ObjectDef)]
    for alias in (d for d in defs if not isinstance(d, ObjectDef)):
        lines = [f"{alias.name}: TypeAlias = {emit.type(alias.type)}"]
        blocks.append(lines + ([docstring(alias.description)] if alias.description else []))
    blocks += [_event(m) for m in models]
    events = " | ".join(f"{m.name}Event" for m in models) or "NoReturn"
    blocks.append([f"AnyEvent: TypeAlias = {events}", docstring("Any event of this module.")])
    keys = ", ".join(repr(m.key) for m in models)
    blocks.append([f"EVENT_TYPE_KEYS: tuple[str, ...] = ({keys}{',' if len(models) == 1 else ''})"])
    text = "\n\n\n".join("\n".join(block) for block in blocks)
    doc = docstring(
        f"Event types {source or 'from the event registry'}. "
        "Generated by `event-registry codegen`; do not edit."
    )
    return HEADER.format(doc=doc) + "\n" + text + "\n"
