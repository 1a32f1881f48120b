"""Identifier mangling shared by the generators. Deterministic: same input, same names.

Type names (from event-type keys, property names, ``$defs`` names) are PascalCase:

* the text is split into words at every character that is not a letter or a digit (spaces, dots,
  dashes, underscores, ``:``, ``@``...), and each word's first letter is upper-cased:
  ``orderCreated`` -> ``OrderCreated``, ``order.created`` / ``order created`` /
  ``order_created`` -> ``OrderCreated``;
* letters and digits outside ASCII are kept when they are valid in identifiers of both
  languages and unchanged by NFKC normalisation (``заказ`` -> ``Заказ``); anything else becomes
  ``U`` + its code point in hex (``U00B2`` for ``²``);
* a name that would start with a digit gets an ``E`` in front; an empty one becomes ``Event``.

Generated names always carry a suffix (``...Params``, ``...Event``), so they never collide with
keywords. Two keys that mangle to the same name are told apart by a short hash of the key
(``OrderCreated_3f2a9c``); nested types that collide get ``2``, ``3``... in document order.

Python field names keep the JSON name when it is a valid identifier that is not a keyword, a
builtin or a name the module imports; otherwise non-identifier characters become ``_`` (a
leading digit gets ``f_``, a clash gets a trailing ``_``) and the JSON name is kept on the wire
with ``msgspec.field(name=...)``.
"""

from __future__ import annotations

import builtins
import hashlib
import json
import keyword
import re
import unicodedata
from collections.abc import Iterable

_TS_IDENTIFIER = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")


def _safe_char(char: str) -> str:
    if char.isascii():
        return char
    if ("a" + char).isidentifier() and unicodedata.normalize("NFKC", char) == char:
        return char
    return f"U{ord(char):04X}"


def _words(text: str) -> list[str]:
    words, current = [], []
    for char in text:
        if char.isalnum():
            current.append(_safe_char(char))
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words


def _capitalised(word: str) -> str:
    upper = word[0].upper()
    return (upper if len(upper) == 1 else word[0]) + word[1:]


def pascal(text: str, *, empty: str = "Event") -> str:
    """PascalCase identifier for ``text`` (see the module docstring)."""
    name = "".join(_capitalised(w) for w in _words(text)) or empty
    return "E" + name if name[0].isdigit() else name


def type_names(keys: Iterable[str]) -> dict[str, str]:
    """Base type name per key; keys that mangle alike get a hash suffix each."""
    by_name: dict[str, list[str]] = {}
    for key in sorted(set(keys)):
        by_name.setdefault(pascal(key), []).append(key)
    names = {}
    for name, group in by_name.items():
        for key in group:
            suffix = "_" + hashlib.sha256(key.encode()).hexdigest()[:6] if len(group) > 1 else ""
            names[key] = name + suffix
    return names


class NameRegistry:
    """Hands out unique type names in the order they are asked for."""

    def __init__(self, reserved: Iterable[str] = ()) -> None:
        self._taken = set(reserved)

    def claim(self, wanted: str) -> str:
        name, n = wanted, 1
        while name in self._taken:
            n += 1
            name = f"{wanted}{n}"
        self._taken.add(name)
        return name


PYTHON_RESERVED = frozenset(dir(builtins)) | {
    "Annotated",
    "Any",
    "Literal",
    "TypeAlias",
    "msgspec",
    "UNSET",
    "UnsetType",
    "annotations",
}


def python_field(json_name: str, taken: set[str]) -> str:
    """A Python attribute name for a JSON member name, unique within ``taken`` (updated)."""
    name = json_name
    if not (name.isidentifier() and unicodedata.normalize("NFKC", name) == name):
        name = "".join(
            c if (c.isascii() and (c.isalnum() or c == "_")) else "_" for c in json_name
        ).strip("_")
        name = name or "field"
        if name[0].isdigit():
            name = "f_" + name
    name = name.lstrip("_") or "field"
    if keyword.iskeyword(name) or keyword.issoftkeyword(name) or name in PYTHON_RESERVED:
        name += "_"
    base, n = name, 1
    while name in taken:
        n += 1
        name = f"{base}_{n}"
    taken.add(name)
    return name


def ts_property(json_name: str) -> str:
    """A TypeScript property key: bare when it is a plain identifier, quoted otherwise."""
    if _TS_IDENTIFIER.match(json_name):
        return json_name
    return ts_string(json_name)


def ts_string(value: str) -> str:
    """A TypeScript string literal (JSON string syntax is valid TypeScript)."""
    return json.dumps(value, ensure_ascii=False)
