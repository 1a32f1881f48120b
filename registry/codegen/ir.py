"""JSON Schema -> a small type model both generators render. Pure; no I/O.

What is understood: ``type`` (single or list), ``enum``/``const`` (literal unions), ``properties``
with ``required`` (optional members), ``additionalProperties`` (closed objects, maps), ``items``,
``anyOf``/``oneOf`` (unions), ``allOf`` of object schemas (merged), local ``$ref`` (``#``,
``#/$defs/...``, ``#/definitions/...``, any local pointer; recursion allowed), ``description``
and the numeric/length/pattern/items bounds. Anything else is the top type (``unknown`` /
``Any``): generated types never reject a payload the schema accepts for a reason they cannot
express.

Every object with declared properties becomes a named type (``<Parent><Property>``, array
elements ``...Item``), so both languages get the same names.
"""

from __future__ import annotations

from typing import Any

import msgspec

from registry.codegen.names import NameRegistry, pascal

_NUMERIC_BOUNDS = {
    "minimum": "ge",
    "maximum": "le",
    "exclusiveMinimum": "gt",
    "exclusiveMaximum": "lt",
}
_STRING_BOUNDS = {"minLength": "min_length", "maxLength": "max_length", "pattern": "pattern"}
_ARRAY_BOUNDS = {"minItems": "min_length", "maxItems": "max_length"}
_SHAPE_KEYS = (
    "type",
    "properties",
    "items",
    "enum",
    "const",
    "anyOf",
    "oneOf",
    "allOf",
    "$ref",
    "additionalProperties",
)


class Prim(msgspec.Struct, frozen=True):
    kind: str
    """string, number, integer, boolean, null, any or never."""


class Lits(msgspec.Struct, frozen=True):
    values: tuple[Any, ...]


class ArrayOf(msgspec.Struct, frozen=True):
    item: TypeRef


class MapOf(msgspec.Struct, frozen=True):
    value: TypeRef


class Named(msgspec.Struct, frozen=True):
    name: str


class UnionOf(msgspec.Struct, frozen=True):
    options: tuple[TypeRef, ...]


class Bounded(msgspec.Struct, frozen=True):
    """A type with validation bounds (``msgspec.Meta`` keyword names)."""

    inner: TypeRef
    bounds: tuple[tuple[str, Any], ...]


TypeRef = Prim | Lits | ArrayOf | MapOf | Named | UnionOf | Bounded
ANY = Prim("any")


class Field(msgspec.Struct, frozen=True):
    json_name: str
    type: TypeRef
    required: bool
    description: str = ""


class ObjectDef(msgspec.Struct, frozen=True):
    name: str
    description: str
    fields: tuple[Field, ...]
    closed: bool
    """``additionalProperties: false``: undeclared members are rejected."""
    extra: TypeRef | None = None
    """The type of undeclared members when ``additionalProperties`` is a schema."""


class AliasDef(msgspec.Struct, frozen=True):
    name: str
    description: str
    type: TypeRef


Def = ObjectDef | AliasDef


class EventModel(msgspec.Struct, frozen=True):
    """One event type: its key, base name, description, params type and every named type."""

    key: str
    name: str
    description: str
    params: str
    defs: tuple[Def, ...]


def build_event(
    key: str, name: str, description: str, schema: Any, names: NameRegistry
) -> EventModel:
    builder = _Builder(schema, names)
    params = names.claim(f"{name}Params")
    builder.define(schema, "#", params)
    return EventModel(
        key=key, name=name, description=description, params=params, defs=tuple(builder.defs)
    )


class _Builder:
    def __init__(self, root: Any, names: NameRegistry) -> None:
        self.root = root
        self.names = names
        self.defs: list[Def] = []
        self.memo: dict[str, str] = {}

    def define(self, schema: Any, pointer: str, name: str) -> str:
        """Register ``schema`` at ``pointer`` as the named type ``name``."""
        self.memo[pointer] = name
        schema = self._merged(schema)
        description = schema.get("description", "") if isinstance(schema, dict) else ""
        if _is_object(schema) and schema.get("properties"):
            self.defs.append(self._object(schema, name, description))
        else:
            kind = self.type_of(schema, name, named=False)
            if pointer == "#" and kind == ANY:
                kind = MapOf(ANY)  # params are always an object
            self.defs.append(AliasDef(name=name, description=description, type=kind))
        return name

    def _object(self, schema: dict[str, Any], name: str, description: str) -> ObjectDef:
        required = set(schema.get("required", []))
        fields = tuple(
            Field(
                json_name=prop,
                type=self.type_of(sub, name + pascal(prop, empty="Member")),
                required=prop in required,
                description=sub.get("description", "") if isinstance(sub, dict) else "",
            )
            for prop, sub in schema["properties"].items()
        )
        extra = schema.get("additionalProperties", True)
        return ObjectDef(
            name=name,
            description=description,
            fields=fields,
            closed=extra is False,
            extra=self.type_of(extra, name + "Extra") if isinstance(extra, dict) else None,
        )

    def type_of(self, schema: Any, hint: str, *, named: bool = True) -> TypeRef:  # noqa: PLR0911 -- a branch per keyword
        """The type of a subschema; objects with properties become named types."""
        if schema is False:
            return Prim("never")
        if not isinstance(schema, dict) or not any(k in schema for k in _SHAPE_KEYS):
            return ANY
        if "$ref" in schema:
            return self._ref(schema["$ref"])
        if "const" in schema:
            return _literals([schema["const"]])
        if "enum" in schema and isinstance(schema["enum"], list) and schema["enum"]:
            return _literals(schema["enum"])
        for combinator in ("anyOf", "oneOf"):
            if isinstance(schema.get(combinator), list):
                return _union(
                    self.type_of(s, f"{hint}{i + 1}") for i, s in enumerate(schema[combinator])
                )
        if "allOf" in schema:
            return self.type_of(self._merged(schema), hint, named=named)
        kind = schema.get("type")
        if isinstance(kind, list):
            return _union(self.type_of({**schema, "type": k}, hint) for k in kind)
        return self._typed(schema, kind, hint, named)

    def _typed(self, schema: dict[str, Any], kind: Any, hint: str, named: bool) -> TypeRef:  # noqa: PLR0911
        if kind == "object" or (kind is None and "properties" in schema):
            if schema.get("properties") and named:
                return Named(self.define(schema, f"@{id(schema)}", self.names.claim(hint)))
            extra = schema.get("additionalProperties")
            return MapOf(self.type_of(extra, hint + "Value") if isinstance(extra, dict) else ANY)
        if kind == "array":
            items = schema.get("items")
            item = self.type_of(items, hint + "Item") if isinstance(items, dict) else ANY
            return _bounded(ArrayOf(item), schema, _ARRAY_BOUNDS)
        if kind == "string":
            return _bounded(Prim("string"), schema, _STRING_BOUNDS)
        if kind in ("number", "integer"):
            return _bounded(Prim(kind), schema, _NUMERIC_BOUNDS)
        if kind in ("boolean", "null"):
            return Prim(kind)
        return ANY

    def _ref(self, ref: str) -> TypeRef:
        if ref in self.memo:
            return Named(self.memo[ref])
        target = _resolve(self.root, ref)
        if target is _MISSING:
            return ANY
        hint = pascal(ref.rsplit("/", 1)[-1], empty="Root") if ref != "#" else "Root"
        return Named(self.define(target, ref, self.names.claim(self.memo["#"] + hint)))

    def _merged(self, schema: Any) -> Any:
        """Fold ``allOf`` members (after resolving refs) into one object schema."""
        if not isinstance(schema, dict) or not isinstance(schema.get("allOf"), list):
            return schema
        merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
        for member in schema["allOf"]:
            is_ref = isinstance(member, dict) and "$ref" in member
            part = self._merged(_resolve(self.root, member["$ref"]) if is_ref else member)
            if not isinstance(part, dict):
                continue
            properties = {**merged.get("properties", {}), **part.get("properties", {})}
            required = [*merged.get("required", []), *part.get("required", [])]
            merged = {
                **part,
                **merged,
                "properties": properties,
                "required": list(dict.fromkeys(required)),
            }
        return merged


_MISSING = object()


def _resolve(root: Any, ref: str) -> Any:
    if not ref.startswith("#"):
        return _MISSING
    node = root
    for raw in (t for t in ref[1:].split("/") if t):
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return _MISSING
    return node


def _is_object(schema: Any) -> bool:
    return isinstance(schema, dict) and (
        schema.get("type") == "object" or ("type" not in schema and "properties" in schema)
    )


def _literals(values: list[Any]) -> TypeRef:
    scalar = all(v is None or isinstance(v, str | int | float | bool) for v in values)
    return Lits(tuple({(type(v), v): v for v in values}.values())) if scalar else ANY


def _union(types: Any) -> TypeRef:
    options = tuple(dict.fromkeys(types))
    if ANY in options:
        return ANY
    return options[0] if len(options) == 1 else UnionOf(options)


def _bounded(inner: TypeRef, schema: dict[str, Any], table: dict[str, str]) -> TypeRef:
    bounds = tuple(
        (meta, schema[keyword])
        for keyword, meta in table.items()
        if keyword in schema and not isinstance(schema[keyword], bool)
    )
    return Bounded(inner, bounds) if bounds else inner
