"""Yespo's ``eventTypeKey`` rules: 1-100 characters, none of a fixed set of forbidden ones."""

from __future__ import annotations

import re

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


def check_key(key: str) -> str:
    """Return ``key`` unchanged or raise :class:`InvalidEventTypeKey`."""
    problem = key_problem(key)
    if problem is not None:
        message, position = problem
        raise InvalidEventTypeKey(key, message, position=position)
    return key
