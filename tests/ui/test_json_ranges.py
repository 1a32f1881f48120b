"""The page's JSON parser (registry/ui/static/json.js), run in the browser: the range it records
for every JSON Pointer holds exactly that value, which is what the playground highlights."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registry.core.jsonpointer import pointer, resolve
from tests.ui.conftest import Page

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53), max_value=2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
)
documents = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=20,
)
LAYOUTS = [
    {},
    {"separators": (",", ":")},
    {"indent": 2},
    {"indent": "\t", "ensure_ascii": False},
]

PARSE = """async ([text]) => {
  const { parse } = await import("/ui/json.js");
  const { ranges } = parse(text);
  return [...ranges].map(([p, r]) => [p, text.slice(r.start, r.end),
    r.keyStart === undefined ? null : text.slice(r.keyStart, r.keyEnd)]);
}"""


def pointers(doc: Any, at: tuple[Any, ...] = ()) -> set[str]:
    found = {pointer(at)}
    if isinstance(doc, dict):
        for key, value in doc.items():
            found |= pointers(value, (*at, key))
    elif isinstance(doc, list):
        for index, value in enumerate(doc):
            found |= pointers(value, (*at, index))
    return found


@pytest.fixture
def blank(ui: Page) -> Any:
    return ui.open("#/run/json-ranges")


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(doc=documents, layout=st.sampled_from(LAYOUTS))
def test_each_pointer_range_holds_its_value(blank: Any, doc: Any, layout: dict[str, Any]) -> None:
    text = json.dumps(doc, **layout)
    found = blank.evaluate(PARSE, [text])
    assert {p for p, _, _ in found} == pointers(doc)
    for at, covered, key in found:
        assert json.loads(covered) == resolve(doc, at)
        if not layout.get("indent"):  # unindented, a value reads the same inside and alone
            assert covered == json.dumps(resolve(doc, at), **layout)
        if key is not None:
            assert json.loads(key) == at.rsplit("/", 1)[1].replace("~1", "/").replace("~0", "~")


@pytest.mark.parametrize(
    ("text", "at"),
    [
        ('{"a": 1,}', 8),
        ("[1 2]", 3),
        ('{"a" 1}', 5),
        ('"abc', 0),
        ("[01]", 2),
        ("{} x", 3),
        ("", 0),
    ],
)
def test_a_syntax_error_names_its_offset(blank: Any, text: str, at: int) -> None:
    where = blank.evaluate(
        """async ([text]) => {
          const { parse, JsonError } = await import("/ui/json.js");
          try { parse(text); return null; }
          catch (e) { return e instanceof JsonError ? e.at : String(e); }
        }""",
        [text],
    )
    assert where == at
