"""Evolve with param lists, in a real browser: each finding of a param-list candidate (a pointer
into the JSON Schema the server compiles the list to) placed on the param it is about, on a
side-by-side diff of the old and new param lists; and the law behind it (paramlist.js's places()
against registry/core/paramlist.py's compiler)."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from registry.core.errors import SchemaInvalid
from registry.core.jsonpointer import MISSING, escape, resolve
from registry.core.paramlist import PARAM_TYPES, compile_param_list
from registry.core.validation.codes import DATE_TIME_PATTERN
from tests.ui.conftest import Page

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]

PLACES = """async ([params, asks]) => {
  const { places } = await import("/ui/paramlist.js");
  return asks.map(([path, finding]) => places(params, path, finding).map((p) => p.pointer));
}"""


def best(params: list[Any], candidates: list[str]) -> str:
    """The first candidate the list has: where the page shows a finding (evolve.js placeOn)."""
    return next(p for p in candidates if resolve(params, p) is not MISSING)


# -- the law: every place of the compiled schema maps back to the definition it came from --------

names = st.text(alphabet="ab/~_", min_size=1, max_size=4)
STRINGY = ("string", "date", "datetime", "email", "url", "uuid")


@st.composite
def definition(draw: st.DrawFn, depth: int, named: bool = True) -> dict[str, Any]:
    kinds = (
        PARAM_TYPES if depth < 2 else tuple(t for t in PARAM_TYPES if t not in ("object", "array"))
    )
    kind = draw(st.sampled_from(kinds))
    out: dict[str, Any] = {"type": kind}
    if named and draw(st.booleans()):
        out["required"] = draw(st.booleans())
    if draw(st.booleans()):
        out["description"] = draw(st.text(max_size=5))
    if kind in ("number", "integer"):
        low, high = sorted(draw(st.lists(st.integers(-9, 9), min_size=2, max_size=2)))
        out.update(
            draw(
                st.sampled_from(
                    [{}, {"minimum": low}, {"maximum": high}, {"minimum": low, "maximum": high}]
                )
            )
        )
        if draw(st.booleans()):
            out["enum"] = draw(st.lists(st.integers(-9, 9), min_size=1, max_size=3, unique=True))
    if kind in STRINGY:
        if draw(st.booleans()):
            out["minLength"] = draw(st.integers(0, 3))
        if draw(st.booleans()):
            out["pattern"] = "^a"
        if kind == "string" and draw(st.booleans()):
            out["enum"] = draw(st.lists(st.sampled_from(["x", "y", "z"]), min_size=1, unique=True))
    if kind == "object" and draw(st.booleans()):
        out["properties"] = draw(param_lists(depth + 1))
    if kind == "array" and draw(st.booleans()):
        out["items"] = draw(
            st.one_of(
                st.sampled_from(PARAM_TYPES),
                definition(depth + 1, named=False),
                param_lists(depth + 1),
            )
        )
    return out


def param_lists(depth: int = 0) -> st.SearchStrategy[list[dict[str, Any]]]:
    return st.lists(
        st.tuples(names, definition(depth)), min_size=1, max_size=3, unique_by=lambda t: t[0]
    ).map(lambda pairs: [{"name": n, **d} for n, d in pairs])


def schema_places(schema: Any, at: str = "") -> list[str]:
    """Every pointer of a compiled schema below its root, but not into required arrays."""
    found = []
    if isinstance(schema, dict):
        for key, value in schema.items():
            here = f"{at}/{escape(key)}"
            found.append(here)
            if key != "required":
                found += schema_places(value, here)
    elif isinstance(schema, list):
        for i, value in enumerate(schema):
            found += schema_places(value, f"{at}/{i}")
    return found


COPIED = ("description", "minimum", "maximum", "minLength", "enum")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(params=param_lists())
def test_each_place_of_the_compiled_schema_lands_on_its_definition(
    blank: Any, params: list[dict[str, Any]]
) -> None:
    try:
        schema = compile_param_list(params)
    except SchemaInvalid:
        assume(False)
    asks: list[tuple[str, dict[str, Any]]] = []
    for at in schema_places(schema):
        if at.endswith("/required"):
            asks += [(at, {"newValue": n}) for n in resolve(schema, at)]
        elif at != "/$schema":
            asks.append((at, {}))
    answers = blank.evaluate(PLACES, [params, asks])
    for (at, finding), candidates in zip(asks, answers, strict=True):
        place = best(params, candidates)
        assert lands_right(at, finding, place, params, schema), (at, place)


def lands_right(
    at: str, finding: dict[str, Any], place: str, params: list[Any], schema: dict[str, Any]
) -> bool:
    """Whether ``place`` (in ``params``) is where schema pointer ``at`` came from."""
    *parent, last = at.split("/")
    value, compiled = resolve(params, place), resolve(schema, at)
    if last == "required":  # the named definition's "required": true line
        named = resolve(params, place.removesuffix("/required") + "/name")
        return place.endswith("/required") and value is True and named == finding["newValue"]
    if parent[-1:] == ["properties"]:  # a param: its name line
        return place.endswith("/name") and escape(value) == last
    if last in ("properties", "type") and isinstance(value, list):
        # what a list compiles to (an object schema's members and type): the list's own line
        at_list = place == "" or place.endswith(("/properties", "/items"))
        return at_list and (last == "properties" or compiled == "object")
    if last == "items":  # a type name, a definition or a list: the "items" line
        return place.endswith("/items")
    return keyword_lands_right(at, place, value, compiled)


def keyword_lands_right(at: str, place: str, value: Any, compiled: Any) -> bool:
    *parent, last = at.split("/")
    if last in ("type", "format"):  # the definition's type line, or items' type name
        return value in PARAM_TYPES
    if last == "pattern" and compiled == DATE_TIME_PATTERN:  # what a datetime compiles to
        return value == "datetime"
    if last in ("pattern", "allOf") or parent[-1:] == ["allOf"]:  # the user's own pattern
        return value == "^a" and place.endswith("/pattern")
    if last in COPIED or parent[-1:] == ["enum"]:  # copied as is: the same value there
        return value == compiled
    raise AssertionError(f"a compiled place this test does not know: {at}")


@pytest.mark.parametrize(
    ("path", "finding", "expected"),
    [
        ("/type", {}, ""),  # the root maps to no param: the list's first line
        ("/properties/nope/type", {}, ""),
        ("/required", {"newValue": "nope"}, ""),
        ("/properties/b/minimum", {}, "/1/name"),  # b has no minimum: b's name line
        ("/properties/b/items/type", {}, "/1/items"),
    ],
)
def test_a_place_the_list_lacks_falls_back_to_its_container(
    blank: Any, path: str, finding: dict[str, Any], expected: str
) -> None:
    params = [{"name": "a", "type": "string"}, {"name": "b", "type": "array", "items": "string"}]
    [candidates] = blank.evaluate(PLACES, [params, [[path, finding]]])
    assert best(params, candidates) == expected


@pytest.fixture
def blank(ui: Page) -> Any:
    return ui.open("#/run/param-places")


# -- the Evolve view ----------------------------------------------------------------------------

V1 = [
    {"name": "orderId", "type": "string", "required": True},
    {"name": "total", "type": "number"},
    {"name": "items", "type": "array", "items": [{"name": "sku", "type": "string"}]},
]
BREAKING = [
    {"name": "orderId", "type": "integer", "required": True},
    {"name": "total", "type": "number", "required": True},
    {"name": "items", "type": "array", "items": [{"name": "sku", "type": "integer"}]},
]
COMPATIBLE = [
    {"name": "orderId", "type": "string", "description": "no longer required"},
    *V1[1:],
    {"name": "coupon", "description": "any value"},
]


def param_list_type(http: httpx.Client, params: list[dict[str, Any]]) -> str:
    """A new event type whose v1 is registered from ``params``."""
    key = f"ui{uuid.uuid4().hex[:10]}"
    assert http.post("/event-types", json={"key": key, "owner": "ui-tests"}).status_code == 201
    registered = http.post(f"/event-types/{key}/versions", json={"params": params})
    assert registered.status_code == 201, registered.text
    return key


def line_of(text: str, needle: str, after: str = "") -> int:
    """1-based number of the first line of ``text`` that is ``needle`` (after line ``after``)."""
    lines = [line.strip() for line in text.split("\n")]
    start = lines.index(after) if after else 0
    return lines.index(needle, start) + 1


def test_a_param_list_shows_each_finding_on_the_param_it_is_about(ui: Page) -> None:
    key = param_list_type(ui.http, V1)
    dry = ui.http.post(f"/event-types/{key}/compatibility", json={"params": BREAKING}).json()
    assert [(f["code"], f["path"]) for f in dry["findings"]] == [
        ("type_changed", "/properties/orderId/type"),
        ("type_changed", "/properties/items/items/properties/sku/type"),
        ("required_added", "/required"),
    ]
    page = ui.open(f"#/evolve/{key}")
    page.wait_for_selector("#compat-verdict[data-compatible='true']")
    # the editor and the old side hold the param list v1 was registered from
    old_text = json.dumps(V1, indent=2)
    assert page.input_value("#schema") == old_text
    new_text = json.dumps(BREAKING, indent=2)
    page.fill("#schema", new_text)
    page.wait_for_selector("#compat-verdict[data-compatible='false']")
    assert page.locator("#diff-note").count() == 0  # the old "not placed" note is gone
    cells = page.locator("td.finding")
    assert cells.count() == 3
    expected = {
        # finding pointer: (new line, its text, old line's text on the same row)
        "/properties/orderId/type": (
            line_of(new_text, '"type": "integer",', '"name": "orderId",'),
            '"type": "integer",',
            '"type": "string",',
        ),
        "/properties/items/items/properties/sku/type": (
            line_of(new_text, '"type": "integer"', '"name": "sku",'),
            '"type": "integer"',
            '"type": "string"',
        ),
        "/required": (
            line_of(new_text, '"required": true', '"name": "total",'),
            '"required": true',
            None,
        ),
    }
    for finding in dry["findings"]:
        line, text, replaced = expected[finding["path"]]
        cell = page.locator(f"td.finding[data-finding='{finding['path']}']")
        assert cell.evaluate("c => c.cellIndex") == 3  # the new side
        assert cell.get_attribute("data-line") == str(line)
        assert cell.locator(".text").inner_text().strip() == text
        note = cell.locator(".finding-note")
        assert note.inner_text() == f"{finding['code']}: {finding['message']}"
        row = cell.locator("xpath=..")
        if replaced is None:  # a line only the new side has: nothing on the old side
            assert row.get_attribute("class") == "added"
            assert row.locator("td:nth-child(2)").get_attribute("class") == "code empty"
        else:
            assert row.get_attribute("class") == "changed"
            assert row.locator("td:nth-child(2)").inner_text().strip() == replaced
    assert "'total' is now required" in page.inner_text(
        "td.finding[data-finding='/required'] .finding-note"
    )
    # a compatible param-list edit (a param no longer required, one more of any type)
    # registers, as a param list
    page.fill("#schema", json.dumps(COMPATIBLE, indent=2))
    page.wait_for_selector("#compat-verdict[data-compatible='true']")
    assert page.locator("td.finding").count() == 0
    page.click("#register")
    page.wait_for_selector("#register-outcome:text-is('Registered v2.')")
    latest = ui.http.get(f"/event-types/{key}/versions/latest").json()
    assert (latest["version"], latest["params"]) == (2, COMPATIBLE)


def test_what_only_the_old_param_list_has_is_shown_on_the_old_side(ui: Page) -> None:
    # FORWARD: new payloads must pass the old schema, so removing things breaks
    old = [
        {"name": "orderId", "type": "string", "required": True},
        {"name": "gone", "type": "string"},
        {"name": "count", "type": "integer", "maximum": 5},
    ]
    new = [{"name": "orderId", "type": "string"}, {"name": "count", "type": "integer"}]
    key = param_list_type(ui.http, old)
    config = ui.http.put(f"/event-types/{key}/config", json={"compatibility": "FORWARD"})
    assert config.status_code == 200, config.text
    dry = ui.http.post(f"/event-types/{key}/compatibility", json={"params": new}).json()
    assert [(f["code"], f["path"]) for f in dry["findings"]] == [
        ("maximum_removed", "/properties/count/maximum"),
        ("property_removed_from_open_model", "/properties/gone"),
        ("required_removed", "/required"),
    ]
    page = ui.open(f"#/evolve/{key}")
    page.wait_for_selector("#compat-verdict[data-compatible='true']")
    page.fill("#schema", json.dumps(new, indent=2))
    page.wait_for_selector("#compat-verdict[data-compatible='false']")
    old_text = json.dumps(old, indent=2)
    expected = {
        "/properties/count/maximum": line_of(old_text, '"maximum": 5', '"name": "count",'),
        "/properties/gone": line_of(old_text, '"name": "gone",'),
        "/required": line_of(old_text, '"required": true', '"name": "orderId",'),
    }
    assert page.locator("td.finding").count() == 3
    for finding in dry["findings"]:
        cell = page.locator(f"td.finding[data-finding='{finding['path']}']")
        assert cell.evaluate("c => c.cellIndex") == 1  # the old side
        assert cell.get_attribute("data-line") == str(expected[finding["path"]])
        assert (
            cell.locator(".finding-note").inner_text() == f"{finding['code']}: {finding['message']}"
        )
