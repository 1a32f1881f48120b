"""Strings that hold a value of the expected type: v1 JSON-in-string and numeric/boolean text."""

from __future__ import annotations

import re
from typing import Any, Literal

import msgspec

__all__ = ["Conversion", "convert", "replace_at"]

_INTEGER = re.compile(r"-?(?:0|[1-9]\d*)\Z")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?\Z")
_BOOLEANS = {"true": True, "false": False}

Conversion = tuple[Literal["json", "scalar"], Any]
"""``("json", value)``: parsed JSON object/array (always applied); ``("scalar", value)``:
number/boolean text (applied only with ``coerce``)."""


def convert(text: str, expected: list[str]) -> Conversion | None:
    """The value ``text`` holds if it is one of the ``expected`` JSON types, else ``None``."""
    stripped = text.strip()
    if {"object", "array"} & set(expected) and stripped[:1] in ("{", "["):
        try:
            parsed = msgspec.json.decode(stripped)
        except (msgspec.DecodeError, RecursionError):  # "[" * 1000: too deep to parse
            return None
        kind = "object" if isinstance(parsed, dict) else "array"
        return ("json", parsed) if kind in expected else None
    if "integer" in expected and _INTEGER.match(stripped):
        return "scalar", int(stripped)
    if "number" in expected and _NUMBER.match(stripped):
        number = float(stripped)
        return "scalar", int(stripped) if _INTEGER.match(stripped) else number
    if "boolean" in expected and stripped in _BOOLEANS:
        return "scalar", _BOOLEANS[stripped]
    return None


def replace_at(document: Any, tokens: list[str | int], value: Any) -> Any:
    """Copy-on-write: ``document`` with ``value`` at ``tokens``; the input is untouched."""
    if not tokens:
        return value
    head, rest = tokens[0], tokens[1:]
    if isinstance(document, dict):
        copy: Any = dict(document)
    elif isinstance(document, list) and isinstance(head, int):
        copy = list(document)
    else:
        return document
    copy[head] = replace_at(document[head], rest, value)
    return copy
