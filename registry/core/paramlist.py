"""Compile the short "param list" form Yespo users know into a draft 2020-12 JSON Schema.

A param list is a JSON array of param definitions::

    [{"name": "orderId", "type": "string", "required": true, "description": "shop order id"},
     {"name": "total", "type": "number", "minimum": 0},
     {"name": "items", "type": "array",
      "items": [{"name": "sku", "type": "string", "required": true}]}]

Keys of one definition:

``name`` (required)
    non-empty string of at most 100 characters (the Yespo param-name limit), unique in its list.
``type`` (optional; omitted means any JSON value)
    ``string number integer boolean object array date datetime email url uuid``. ``date`` becomes
    ``{"type": "string", "format": "date"}``, ``email`` format ``email``, ``url`` format ``uri``,
    ``uuid`` format ``uuid``. ``datetime`` becomes ``{"type": "string", "pattern": …}`` with
    :data:`~registry.core.validation.codes.DATE_TIME_PATTERN`: an ISO 8601 date-time whose seconds,
    fraction and zone are optional (``2020-05-14T10:11:00``, ``2023-03-22T14:30``,
    ``2024-11-02T09:15:00.123Z``, ``2022-05-14T10:11:10.7022176+03:00``), because Yespo documents
    order dates and past events without an offset, "in the contact's time zone". JSON Schema's
    ``format: date-time`` (RFC 3339) requires seconds and an offset, so it would refuse them; a full
    JSON Schema that says ``format: date-time`` keeps that strict meaning. A pattern (not
    ``anyOf`` of the format and a pattern) keeps the error a single ``pattern_mismatch`` worded
    "must be an ISO 8601 date-time YYYY-MM-DDTHH:mm[:ss[.fraction]][Z|±hh:mm]"; it checks ranges
    (month 01-12, hour 00-23...) but not the calendar (``2024-02-30T10:00`` passes). A ``pattern``
    given for a ``datetime`` param is added under ``allOf``.
``required``
    boolean, default ``false``.
``description``
    string, copied as is.
``enum``
    non-empty list of distinct values of the param's type (not for object/array).
``minimum`` / ``maximum``
    numbers, for ``number`` and ``integer``; ``minimum <= maximum``.
``minLength`` / ``maxLength``
    non-negative integers, for the string types (string, date, datetime, email, url, uuid).
``pattern``
    a regular expression the linear-time engine compiles, for the string types.
``items`` (``array`` only)
    either a type name (``"items": "string"``), or one unnamed definition
    (``"items": {"type": "integer", "minimum": 1}``), or a nested param list describing objects
    (``"items": [{"name": "sku", "required": true}]``).
``properties`` (``object`` only)
    a nested param list describing the object's members.

The compiled schema never sets ``additionalProperties``: undeclared params are judged by the
validation mode. Output is deterministic and keeps the order of the input.
Problems raise :class:`SchemaInvalid` with pointers into the submitted body (``/params/2/type``).
"""

from __future__ import annotations

from typing import Any

from registry.core.errors import SchemaInvalid, SchemaProblem
from registry.core.jsonpointer import escape
from registry.core.suggest import did_you_mean
from registry.core.validation.codes import DATE_TIME_PATTERN
from registry.core.validation.engine import pattern_engine_verdict

__all__ = ["PARAM_TYPES", "compile_param_list"]

DIALECT = "https://json-schema.org/draft/2020-12/schema"
MAX_NAME_LENGTH = 100
_STRING_FORMATS = {
    "date": {"format": "date"},
    "datetime": {"pattern": DATE_TIME_PATTERN},
    "email": {"format": "email"},
    "url": {"format": "uri"},
    "uuid": {"format": "uuid"},
}
_JSON_TYPES = ("string", "number", "integer", "boolean", "object", "array")
PARAM_TYPES: tuple[str, ...] = (*_JSON_TYPES, *_STRING_FORMATS)
_STRINGY = frozenset({"string", *_STRING_FORMATS})
_NUMERIC = frozenset({"number", "integer"})
_KEYS = (
    "name",
    "type",
    "required",
    "description",
    "enum",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "pattern",
    "items",
    "properties",
)

Problems = list[SchemaProblem]


def compile_param_list(params: object) -> dict[str, Any]:
    """Compile a param list into ``{"$schema", "type": "object", "properties", "required"}``.

    Raises:
        SchemaInvalid: every problem found, each pointing into the submitted list.
    """
    problems: Problems = []
    body = _object_schema(params, "/params", problems)
    if problems:
        raise SchemaInvalid(problems)
    return {"$schema": DIALECT, **body}


def _object_schema(params: object, at: str, problems: Problems) -> dict[str, Any]:
    if not isinstance(params, list):
        problems.append(SchemaProblem(pointer=at, message="must be an array of param definitions"))
        return {}
    properties: dict[str, Any] = {}
    required: list[str] = []
    for index, definition in enumerate(params):
        name = _name(definition, f"{at}/{index}", properties, problems)
        if name is None:
            continue
        properties[name] = _param_schema(definition, f"{at}/{index}", problems)
        if definition.get("required") is True:
            required.append(name)
    body: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        body["required"] = required
    return body


def _name(definition: object, at: str, seen: dict[str, Any], problems: Problems) -> str | None:
    if not isinstance(definition, dict):
        problems.append(SchemaProblem(pointer=at, message="a param definition must be an object"))
        return None
    name = definition.get("name")
    message = None
    if not isinstance(name, str) or not name:
        message = "name is required and must be a non-empty string"
    elif len(name) > MAX_NAME_LENGTH:
        message = f"name is longer than {MAX_NAME_LENGTH} characters"
    elif name in seen:
        message = f"duplicate param name {name!r}"
    if message:
        problems.append(SchemaProblem(pointer=f"{at}/name", message=message, keyword="name"))
        return None
    return name


def _param_schema(definition: dict[str, Any], at: str, problems: Problems) -> dict[str, Any]:
    for key in definition:
        if key not in _KEYS:
            hint = did_you_mean(str(key), _KEYS)
            extra = f"; did you mean {hint[0]!r}?" if hint else ""
            problems.append(
                SchemaProblem(pointer=f"{at}/{_esc(key)}", message=f"unknown key {key!r}{extra}")
            )
    if "required" in definition and not isinstance(definition["required"], bool):
        problems.append(
            SchemaProblem(pointer=f"{at}/required", message="required must be a boolean")
        )
    return _definition_schema(definition, at, problems)


def _definition_schema(definition: dict[str, Any], at: str, problems: Problems) -> dict[str, Any]:
    """Schema of one (possibly unnamed) definition; ``type`` decides which keys are allowed."""
    kind = definition.get("type")
    schema = _type_schema(kind, f"{at}/type", problems)
    if isinstance(definition.get("description"), str):
        schema["description"] = definition["description"]
    elif "description" in definition:
        problems.append(
            SchemaProblem(pointer=f"{at}/description", message="description must be a string")
        )
    kind_ = kind if kind in PARAM_TYPES else None
    _enum(definition, kind_, at, problems, schema)
    _bounds(definition, kind_, at, problems, schema, ("minimum", "maximum"), _NUMERIC)
    _bounds(definition, kind_, at, problems, schema, ("minLength", "maxLength"), _STRINGY)
    _pattern(definition, kind_, at, problems, schema)
    _nested(definition, kind_, at, problems, schema)
    return schema


def _type_schema(kind: object, where: str, problems: Problems) -> dict[str, Any]:
    """Schema for a type name; ``where`` points at the type name in the submission."""
    if kind is None:
        return {}
    if not isinstance(kind, str) or kind not in PARAM_TYPES:
        hint = did_you_mean(str(kind), PARAM_TYPES)
        extra = f"; did you mean {hint[0]!r}?" if hint else ""
        problems.append(
            SchemaProblem(
                pointer=where,
                keyword="type",
                message=f"unknown type {kind!r}{extra}; use one of {', '.join(PARAM_TYPES)}",
            )
        )
        return {}
    if kind in _STRING_FORMATS:
        return {"type": "string", **_STRING_FORMATS[kind]}
    return {"type": kind}


def _misplaced(
    key: str, kind: str | None, allowed: frozenset[str], at: str, problems: Problems
) -> bool:
    """Record a problem when ``key`` does not apply to ``kind``; return True if misplaced."""
    if kind is not None and kind in allowed:
        return False
    problems.append(
        SchemaProblem(
            pointer=f"{at}/{key}",
            keyword=key,
            message=f"{key} applies only to types {', '.join(sorted(allowed))}",
        )
    )
    return True


def _matches_type(value: object, kind: str) -> bool:
    if kind in _STRINGY:
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, int | float) and not isinstance(value, bool)


def _enum(
    definition: dict[str, Any],
    kind: str | None,
    at: str,
    problems: Problems,
    schema: dict[str, Any],
) -> None:
    if "enum" not in definition or _misplaced(
        "enum", kind, _STRINGY | _NUMERIC | {"boolean"}, at, problems
    ):
        return
    values = definition["enum"]
    if not isinstance(values, list) or not values:
        problems.append(
            SchemaProblem(
                pointer=f"{at}/enum", keyword="enum", message="enum must be a non-empty array"
            )
        )
        return
    assert kind is not None  # _misplaced returned False
    for i, value in enumerate(values):
        if not _matches_type(value, kind):
            problems.append(
                SchemaProblem(
                    pointer=f"{at}/enum/{i}",
                    keyword="enum",
                    message=f"enum value {value!r} is not of type {kind}",
                )
            )
        elif value in values[:i]:
            problems.append(
                SchemaProblem(
                    pointer=f"{at}/enum/{i}",
                    keyword="enum",
                    message=f"enum value {value!r} is repeated",
                )
            )
    schema["enum"] = list(values)


def _bounds(
    definition: dict[str, Any],
    kind: str | None,
    at: str,
    problems: Problems,
    schema: dict[str, Any],
    keys: tuple[str, str],
    allowed: frozenset[str],
) -> None:
    found = [k for k in keys if k in definition]
    if not found or any(_misplaced(k, kind, allowed, at, problems) for k in found):
        return
    lengths = keys[0] == "minLength"
    for key in found:
        value = definition[key]
        ok = (isinstance(value, int) and value >= 0) if lengths else isinstance(value, int | float)
        if isinstance(value, bool) or not ok:
            what = "a non-negative integer" if lengths else "a number"
            problems.append(
                SchemaProblem(pointer=f"{at}/{key}", keyword=key, message=f"{key} must be {what}")
            )
            return
        schema[key] = value
    low, high = definition.get(keys[0]), definition.get(keys[1])
    if low is not None and high is not None and low > high:
        problems.append(
            SchemaProblem(
                pointer=f"{at}/{keys[0]}",
                keyword=keys[0],
                message=f"{keys[0]} {low} is greater than {keys[1]} {high}",
            )
        )


def _pattern(
    definition: dict[str, Any],
    kind: str | None,
    at: str,
    problems: Problems,
    schema: dict[str, Any],
) -> None:
    if "pattern" not in definition or _misplaced("pattern", kind, _STRINGY, at, problems):
        return
    regex = definition["pattern"]
    verdict = pattern_engine_verdict(regex) if isinstance(regex, str) else "invalid"
    if verdict != "ok":
        reason = (
            "needs backtracking"
            if verdict == "needs_backtracking"
            else "is not a valid regular expression"
        )
        problems.append(
            SchemaProblem(
                pointer=f"{at}/pattern", keyword="pattern", message=f"pattern {regex!r} {reason}"
            )
        )
        return
    if "pattern" in schema:  # datetime: keep its own pattern, require the user's as well
        schema["allOf"] = [{"pattern": regex}]
    else:
        schema["pattern"] = regex


def _nested(
    definition: dict[str, Any],
    kind: str | None,
    at: str,
    problems: Problems,
    schema: dict[str, Any],
) -> None:
    if "properties" in definition and not _misplaced(
        "properties", kind, frozenset({"object"}), at, problems
    ):
        schema.update(_object_schema(definition["properties"], f"{at}/properties", problems))
    if "items" not in definition or _misplaced("items", kind, frozenset({"array"}), at, problems):
        return
    items = definition["items"]
    if isinstance(items, str):
        schema["items"] = _type_schema(items, f"{at}/items", problems)
    elif isinstance(items, list):
        schema["items"] = _object_schema(items, f"{at}/items", problems)
    elif isinstance(items, dict):
        _unknown_keys(items, f"{at}/items", problems, exclude=("name", "required"))
        schema["items"] = _definition_schema(items, f"{at}/items", problems)
    else:
        problems.append(
            SchemaProblem(
                pointer=f"{at}/items",
                keyword="items",
                message="items must be a type name, a definition object or a param list",
            )
        )


def _unknown_keys(
    definition: dict[str, Any], at: str, problems: Problems, *, exclude: tuple[str, ...]
) -> None:
    for key in definition:
        if key not in _KEYS or key in exclude:
            problems.append(
                SchemaProblem(pointer=f"{at}/{_esc(key)}", message=f"unknown key {key!r}")
            )


def _esc(key: object) -> str:
    return escape(str(key))
