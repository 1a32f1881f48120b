"""Key rules: Yespo's ``eventTypeKey`` rule, and the stricter rule for keys we register.

Yespo's rule (1-100 characters, none of a fixed set of forbidden ones) judges incoming events.
A key the registry *registers* must also be safe as a URL path segment and as text a person reads:
not ``.`` or ``..`` (path traversal once a client normalises the URL), no control, format or
separator characters (NUL, newlines, U+202E and the other bidi controls, zero-width characters),
no leading or trailing whitespace and not whitespace only. Keys stored before this rule existed
stay readable and deletable; :func:`unsafe_keys` lists them (``event-registry migrate``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from registry.core.errors import InvalidEventTypeKey

MAX_KEY_LENGTH = 100
MAX_KEY_VALUE_LENGTH = 300
FORBIDDEN_KEY_CHARS = frozenset("<;\u2019\\/|\"`'^?!,>")
FORBIDDEN_PATTERN = re.compile(
    "[" + "".join(re.escape(c) for c in sorted(FORBIDDEN_KEY_CHARS)) + "]"
)
"""The characters Yespo forbids in eventTypeKey and keyValue; the one definition of them."""


def key_problem(key: object) -> tuple[str, int | None] | None:
    """Return ``(message, position)`` describing why ``key`` is not a valid key, or None.

    ``position`` is the 0-based index of the first forbidden character, when that is the problem.
    """
    if not isinstance(key, str):
        return ("eventTypeKey must be a string", None)
    if not key:
        return ("eventTypeKey must not be empty", None)
    if len(key) > MAX_KEY_LENGTH:
        return (f"eventTypeKey is {len(key)} characters long; at most {MAX_KEY_LENGTH}", None)
    bad = FORBIDDEN_PATTERN.search(key)
    if bad is not None:
        char, position = bad.group(), bad.start()
        return (
            f"eventTypeKey contains the forbidden character {char!r} at position {position}",
            position,
        )
    return None


DOT_SEGMENTS = frozenset({".", ".."})
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
"""Control, format (bidi overrides/isolates/marks, zero-width), surrogate, private-use,
unassigned, line and paragraph separators: characters that hide or reorder what a key shows."""


_CATEGORY_NAMES = {"Cc": "control character", "Cs": "surrogate", "Co": "private use"}


def describe_char(char: str) -> str:
    """``'a'`` for a visible character, ``U+202E (RIGHT-TO-LEFT OVERRIDE)`` for the others."""
    if char.isprintable() and not char.isspace():
        return repr(char)
    name = unicodedata.name(char, "") or _CATEGORY_NAMES.get(unicodedata.category(char), "")
    return f"U+{ord(char):04X} ({name or 'unassigned'})"


def _invisible(key: str) -> tuple[str, int] | None:
    for position, char in enumerate(key):
        if unicodedata.category(char) in _INVISIBLE_CATEGORIES:
            return char, position
    return None


def _safety_rules(key: str) -> tuple[str, int | None] | None:
    if key in DOT_SEGMENTS:
        return (f"eventTypeKey must not be {key!r} (a relative URL path segment)", None)
    bad = _invisible(key)
    if bad is not None:
        char, position = bad
        return (
            f"eventTypeKey contains the forbidden character {describe_char(char)} at "
            f"position {position}",
            position,
        )
    if not key.strip():
        return ("eventTypeKey must not be whitespace only", None)
    if key != key.lstrip():
        return (f"eventTypeKey starts with whitespace {describe_char(key[0])}", 0)
    if key != key.rstrip():
        last = len(key) - 1
        return (f"eventTypeKey ends with whitespace {describe_char(key[last])}", last)
    return None


def registration_problem(key: object) -> tuple[str, int | None] | None:
    """Like :func:`key_problem`, plus the rules for keys the registry registers (module doc)."""
    problem = key_problem(key)
    if problem is not None or not isinstance(key, str):
        return problem
    return _safety_rules(key)


def unsafe_keys(keys: Iterable[str]) -> list[tuple[str, str]]:
    """``(key, why)`` for each stored key that registration would refuse today."""
    found = []
    for key in keys:
        problem = registration_problem(key)
        if problem is not None:
            found.append((key, problem[0]))
    return found


def check_new_key(key: str) -> str:
    """Return ``key`` unchanged or raise :class:`InvalidEventTypeKey` (registration rule)."""
    problem = registration_problem(key)
    if problem is not None:
        message, position = problem
        raise InvalidEventTypeKey(key, message, position=position)
    return key


def check_key(key: str) -> str:
    """Return ``key`` unchanged or raise :class:`InvalidEventTypeKey` (Yespo's rule)."""
    problem = key_problem(key)
    if problem is not None:
        message, position = problem
        raise InvalidEventTypeKey(key, message, position=position)
    return key
