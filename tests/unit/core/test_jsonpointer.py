"""JSON Pointer (RFC 6901), the one implementation every report, finding and $ref uses."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from registry.core.jsonpointer import MISSING, escape, pointer, resolve, unescape

# RFC 6901 section 5's example document and pointers
DOC = {"foo": ["bar", "baz"], "": 0, "a/b": 1, "c%d": 2, "e^f": 3, "g|h": 4, "i\\j": 5, "k'l": 6}
RFC = [
    ("", DOC),
    ("/foo", ["bar", "baz"]),
    ("/foo/0", "bar"),
    ("/", 0),
    ("/a~1b", 1),
    ("/c%d", 2),
    ("/e^f", 3),
    ("/g|h", 4),
    ("/i\\j", 5),
    ("/k'l", 6),
]


@pytest.mark.parametrize(("at", "value"), RFC, ids=[a or "root" for a, _ in RFC])
def test_rfc_6901_examples(at: str, value: Any) -> None:
    assert resolve(DOC, at) == value


@pytest.mark.parametrize("at", ["/nope", "/foo/2", "/foo/-1", "/foo/٠", "/foo/bar", "foo"])
def test_a_pointer_that_leads_nowhere_is_missing(at: str) -> None:
    assert resolve(DOC, at) is MISSING


def test_tilde_escapes_are_undone_in_order() -> None:
    assert unescape("~01") == "~1"
    assert escape("~1") == "~01"
    assert pointer(["a/b", "~", 3]) == "/a~1b/~0/3"


@given(st.lists(st.text(max_size=8), max_size=5))
def test_a_built_pointer_resolves_back_to_its_value(tokens: list[str]) -> None:
    document: Any = "leaf"
    for token in reversed(tokens):
        document = {token: document}
    assert resolve(document, pointer(tokens)) == "leaf"


@given(st.text(max_size=20))
def test_unescape_inverts_escape(token: str) -> None:
    assert unescape(escape(token)) == token
