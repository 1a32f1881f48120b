"""One table from jsonschema-rs error kinds to our stable codes, and the message of each.

===========================  ============================================================
code                         engine keyword(s)
===========================  ============================================================
``type_mismatch``            type
``required_missing``         required, dependentRequired (and draft-7 array dependencies)
``not_in_enum``              enum, const
``pattern_mismatch``         pattern
``format_invalid``           format
``too_long`` / ``too_short`` maxLength / minLength
``out_of_range``             minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf
``too_many_items``           maxItems
``too_few_items``            minItems
``duplicate_items``          uniqueItems
``unknown_param``            additionalProperties / unevaluatedProperties on the params object
``unknown_property``         additionalProperties / unevaluatedProperties deeper inside a value
``composition_failed``       anyOf, oneOf (none valid, or more than one valid for oneOf)
``schema_violation``         anything else (not, contains, propertyNames, min/maxProperties,
                             false schema, if/then/else leftovers, content*, ...)
===========================  ============================================================

A few well-known patterns (:data:`KNOWN_PATTERNS`) are worded for people instead of quoting the
regular expression: :data:`DATE_TIME_PATTERN`, which the param-list type ``datetime`` compiles to,
reads "must be an ISO 8601 date-time YYYY-MM-DDTHH:mm[:ss[.fraction]][Z|±hh:mm]".
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "BOUND_WORDS",
    "CODES",
    "DATE_TIME_PATTERN",
    "KNOWN_PATTERNS",
    "code_for",
    "describe",
    "json_type",
    "shown",
]

DATE_TIME_PATTERN = (
    "^[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
    "[Tt](?:[01][0-9]|2[0-3]):[0-5][0-9](?::(?:[0-5][0-9]|60)(?:\\.[0-9]+)?)?"
    "(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):?[0-5][0-9])?$"
)
"""ISO 8601 date-time as Yespo clients send it: ``YYYY-MM-DDTHH:mm``, optional ``:ss`` and
fraction, optional ``Z`` / ``±hh:mm`` / ``±hhmm``. Lower-case ``t``/``z`` pass, as RFC 3339 allows,
so every value ``format: date-time`` accepts passes too (the pattern does not check the calendar).
``[0-9]``, not ``\\d``: the engine's ``\\d`` also matches non-ASCII digits."""
KNOWN_PATTERNS = {
    DATE_TIME_PATTERN: "an ISO 8601 date-time YYYY-MM-DDTHH:mm[:ss[.fraction]][Z|±hh:mm]",
}

CODES: dict[str, str] = {
    "type": "type_mismatch",
    "required": "required_missing",
    "enum": "not_in_enum",
    "const": "not_in_enum",
    "pattern": "pattern_mismatch",
    "format": "format_invalid",
    "maxLength": "too_long",
    "minLength": "too_short",
    "minimum": "out_of_range",
    "maximum": "out_of_range",
    "exclusiveMinimum": "out_of_range",
    "exclusiveMaximum": "out_of_range",
    "multipleOf": "out_of_range",
    "maxItems": "too_many_items",
    "minItems": "too_few_items",
    "uniqueItems": "duplicate_items",
    "additionalProperties": "unknown_property",
    "unevaluatedProperties": "unknown_property",
    "anyOf": "composition_failed",
    "oneOf": "composition_failed",
}
BOUND_WORDS = {
    "minimum": "greater than or equal to",
    "maximum": "less than or equal to",
    "exclusiveMinimum": "greater than",
    "exclusiveMaximum": "less than",
    "multipleOf": "a multiple of",
}


def code_for(keyword: str) -> str:
    """Our code for an engine keyword; ``schema_violation`` for the rest."""
    return CODES.get(keyword, "schema_violation")


def json_type(value: object) -> str:
    """The JSON type name of a decoded value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    names = {float: "number", str: "string", list: "array", dict: "object"}
    return names.get(type(value), type(value).__name__)


def shown(value: object, limit: int = 60) -> str:
    """A short JSON-ish rendering of a value for messages."""
    import msgspec

    try:
        text = msgspec.json.encode(value).decode()
    except (TypeError, ValueError, OverflowError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _article(type_name: str) -> str:
    if type_name == "null":
        return "null"
    return ("an " if type_name[:1] in "aeiou" else "a ") + type_name


def describe(  # noqa: PLR0911 - one branch per keyword family, table-like
    keyword: str, kind: dict[str, Any], instance: object
) -> tuple[str, Any]:
    """``(what is wrong, expected)`` for one engine error; the caller adds who and where."""
    got = f"got {json_type(instance)} {shown(instance)}"
    if keyword == "type":
        types = kind.get("types", [])
        return f"must be {' or '.join(_article(t) for t in types)}, {got}", types[0] if len(
            types
        ) == 1 else types
    if keyword in ("enum", "const"):
        options = kind.get("options", [kind.get("expected_value")])
        return f"must be one of {shown(options, 200)}, {got}", options
    if keyword == "pattern":
        pattern = kind.get("pattern")
        known = KNOWN_PATTERNS.get(pattern) if isinstance(pattern, str) else None
        if known:
            return f"must be {known}, {got}", pattern
        return f"must match the pattern {pattern!r}, {got}", pattern
    if keyword == "format":
        return f"must be a valid {kind.get('format')}, {got}", kind.get("format")
    if keyword in BOUND_WORDS:
        limit = kind.get("limit", kind.get("multiple_of"))
        return f"must be {BOUND_WORDS[keyword]} {limit} ({keyword}), {got}", limit
    if keyword in ("maxLength", "minLength"):
        word = "at most" if keyword == "maxLength" else "at least"
        count = len(instance) if isinstance(instance, str) else 0
        return f"must be {word} {kind.get('limit')} characters long, got {count}", kind.get("limit")
    if keyword in ("maxItems", "minItems"):
        word = "at most" if keyword == "maxItems" else "at least"
        count = len(instance) if isinstance(instance, list) else 0
        return f"must have {word} {kind.get('limit')} items, got {count}", kind.get("limit")
    if keyword == "uniqueItems":
        return "must not contain duplicate items", None
    if keyword == "not":
        return f"must not match the schema {shown(kind.get('schema'))} under 'not', {got}", None
    if keyword == "falseSchema":
        return f"is not allowed here (its schema is false), {got}", None
    return "", None
