"""The param-list form of an inferred schema (the short form Yespo users know, core/paramlist).

A view of the JSON Schema :func:`registry.core.infer.infer` proposes: what the param list cannot
say is left out rather than guessed. A union of types becomes a definition without ``type``
(any value) whose description names the observed types; ``format: date-time`` and the Yespo
date-time pattern both become ``datetime`` (the looser of the two, which accepts every value
the strict one does).
"""

from __future__ import annotations

from typing import Any

from registry.core.validation.codes import DATE_TIME_PATTERN

__all__ = ["param_list"]

_FORMAT_TYPES = {
    "date": "date",
    "date-time": "datetime",
    "email": "email",
    "uri": "url",
    "uuid": "uuid",
}


def param_list(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The members of an object schema as param definitions, in order."""
    properties = schema.get("properties")
    if not isinstance(properties, dict):
        return []
    required = set(schema.get("required", []))
    return [_definition(name, node, required=name in required) for name, node in properties.items()]


def _definition(name: str, node: dict[str, Any], *, required: bool) -> dict[str, Any]:
    definition: dict[str, Any] = {"name": name, **_body(node)}
    if required:
        definition["required"] = True
    return definition


def _type_name(node: dict[str, Any]) -> str | None:
    kind = node.get("type")
    if not isinstance(kind, str) or kind == "null":
        return None
    if kind != "string":
        return kind
    if node.get("pattern") == DATE_TIME_PATTERN:
        return "datetime"
    return _FORMAT_TYPES.get(node.get("format", ""), "string")


def _body(node: dict[str, Any]) -> dict[str, Any]:
    """A definition without its name: type, enum, maxLength, nested members or items."""
    kind = _type_name(node)
    if kind is None:
        kinds = node.get("type")
        seen = [kinds] if isinstance(kinds, str) else kinds or []
        return {"description": f"observed types: {', '.join(seen)}"} if seen else {}
    body: dict[str, Any] = {"type": kind}
    if "enum" in node:
        body["enum"] = node["enum"]
    if "maxLength" in node:
        body["maxLength"] = node["maxLength"]
    if kind == "object" and node.get("properties"):
        body["properties"] = param_list(node)
    if kind == "array" and isinstance(node.get("items"), dict):
        items = node["items"]
        if items.get("type") == "object" and items.get("properties"):
            body["items"] = param_list(items)
        elif _type_name(items) is not None:
            inner = _body(items)
            body["items"] = inner["type"] if list(inner) == ["type"] else inner
    return body
