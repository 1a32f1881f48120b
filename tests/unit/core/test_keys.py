from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from registry.core.errors import InvalidEventTypeKey
from registry.core.keys import FORBIDDEN_KEY_CHARS, check_key, key_problem


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
