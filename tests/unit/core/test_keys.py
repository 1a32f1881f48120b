from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from registry.core.errors import InvalidEventTypeKey
from registry.core.keys import (
    FORBIDDEN_KEY_CHARS,
    check_key,
    check_new_key,
    key_problem,
    registration_problem,
    unsafe_keys,
)


@pytest.mark.parametrize("key", ["orderCreated", "Registration form", "a.b-c_d:e", "k" * 100, "я"])
def test_valid_keys(key: str) -> None:
    assert key_problem(key) is None
    assert check_key(key) == key


@pytest.mark.parametrize("char", sorted(FORBIDDEN_KEY_CHARS))
def test_each_forbidden_char_is_named_with_its_position(char: str) -> None:
    with pytest.raises(InvalidEventTypeKey) as info:
        check_key(f"ab{char}c")
    assert info.value.position == 2
    assert repr(char) in str(info.value)


def test_forbidden_set_is_exactly_yespos() -> None:
    assert set("<;’\\/|\"`'^?!,>") == FORBIDDEN_KEY_CHARS


@given(st.text(min_size=1, max_size=100).filter(lambda s: not set(s) & FORBIDDEN_KEY_CHARS))
def test_any_text_without_forbidden_chars_is_a_key(key: str) -> None:
    assert key_problem(key) is None


@pytest.mark.parametrize(("key", "fragment"), [("", "empty"), ("k" * 101, "101"), (5, "string")])
def test_length_and_type(key: object, fragment: str) -> None:
    problem = key_problem(key)
    assert problem is not None
    assert fragment in problem[0]


# -- the registration rule: keys that cannot escape a URL or hide what they say -------------

UNSAFE = [
    (".", "must not be '.'", None),
    ("..", "must not be '..'", None),
    ("a\x00b", "U+0000", 1),
    ("a\nb", "U+000A", 1),
    ("a\x7fb", "U+007F", 1),
    ("order\u202eCreated", "U+202E (RIGHT-TO-LEFT OVERRIDE)", 5),
    ("x\u202a", "U+202A (LEFT-TO-RIGHT EMBEDDING)", 1),
    ("x\u2066y", "U+2066 (LEFT-TO-RIGHT ISOLATE)", 1),
    ("x\u2069", "U+2069 (POP DIRECTIONAL ISOLATE)", 1),
    ("x\u200ey", "U+200E (LEFT-TO-RIGHT MARK)", 1),
    ("x\u200fy", "U+200F (RIGHT-TO-LEFT MARK)", 1),
    ("zero\u200bwidth", "U+200B (ZERO WIDTH SPACE)", 4),
    ("line\u2028sep", "U+2028 (LINE SEPARATOR)", 4),
    ("   ", "whitespace only", None),
    ("\u3000", "whitespace only", None),
    (" order", "starts with whitespace U+0020 (SPACE)", 0),
    ("order ", "ends with whitespace U+0020 (SPACE)", 5),
    ("order\u00a0", "ends with whitespace U+00A0 (NO-BREAK SPACE)", 5),
]


@pytest.mark.parametrize(("key", "message", "position"), UNSAFE, ids=[repr(k) for k, *_ in UNSAFE])
def test_registration_refuses_keys_that_escape_or_hide(
    key: str, message: str, position: int | None
) -> None:
    with pytest.raises(InvalidEventTypeKey) as info:
        check_new_key(key)
    assert message in str(info.value)
    assert info.value.position == position


@pytest.mark.parametrize("key", [k for k, *_ in UNSAFE if k.strip(".")])
def test_incoming_events_keep_yespos_rule(key: str) -> None:
    """Yespo accepts these keys, so an event carrying one is judged by Yespo's rule only."""
    assert key_problem(key) is None


@pytest.mark.parametrize(
    "key", ["orderCreated", "Registration form", "a.b-c_d:e", "...x", "k" * 100, "заказ", "a%2E"]
)
def test_ordinary_keys_still_register(key: str) -> None:
    assert check_new_key(key) == key
    assert registration_problem(key) is None


@given(st.text(min_size=1, max_size=100))
def test_the_registration_rule_only_adds_to_yespos(key: str) -> None:
    if key_problem(key) is not None:
        assert registration_problem(key) == key_problem(key)


def test_unsafe_keys_lists_what_registration_would_refuse() -> None:
    assert unsafe_keys(["ok", "..", " x"]) == [
        ("..", "eventTypeKey must not be '..' (a relative URL path segment)"),
        (" x", "eventTypeKey starts with whitespace U+0020 (SPACE)"),
    ]
