"""The closed engine the valid-event quick check asks (``CompiledSchema.closed``).

Law: where a schema can be closed, the closed engine passes exactly the objects the schema
passes whose every name is one of its root ``properties``. The quick check then skips its own
name checks for an event the closed engine passes, so a schema that could not be closed that
way must get no closed engine at all.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from registry.core.validation import compile_schema
from registry.core.validation.engine import SLICE

ORDER = {
    "type": "object",
    "required": ["orderId", "total"],
    "properties": {
        "orderId": {"type": "string", "maxLength": 8},
        "total": {"type": "number", "minimum": 0},
        "status": {"enum": ["NEW", "PAID"]},
        "items": {"type": "array", "items": {"type": "object", "required": ["sku"]}},
        "email": {"type": "string", "format": "email"},
    },
}
CLOSABLE = {
    "order": ORDER,
    "conditional requirement": {
        **ORDER,
        "allOf": [{"if": {"required": ["status"]}, "then": {"required": ["email"]}}],
    },
    "draft-07 with definitions": {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "definitions": {"money": {"type": "number", "minimum": 0}},
        "properties": {"orderId": {"type": "string"}, "total": {"$ref": "#/definitions/money"}},
    },
}
NOT_CLOSABLE = {
    "closed already": {**ORDER, "additionalProperties": False},
    "open by its own word": {**ORDER, "additionalProperties": True},
    "unevaluated names refused": {**ORDER, "unevaluatedProperties": False},
    "names by pattern": {**ORDER, "patternProperties": {"^x-": {"type": "string"}}},
    "a name declared in a branch": {
        **ORDER,
        "allOf": [{"properties": {"coupon": {"type": "string"}}}],
    },
    "a required name it does not describe": {**ORDER, "required": ["orderId", "coupon"]},
    "a root $ref (draft-07 ignores its siblings)": {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$ref": "#/definitions/order",
        "definitions": {"order": ORDER},
        "properties": ORDER["properties"],
    },
    "no properties": {"type": "object", "required": ["orderId"]},
    "a wide root (judged in slices)": {
        "properties": {f"p{i}": {"type": "string"} for i in range(SLICE + 1)}
    },
}


@pytest.mark.parametrize("name", CLOSABLE)
def test_a_schema_that_can_be_closed_gets_a_closed_engine(name: str) -> None:
    assert compile_schema(CLOSABLE[name]).closed() is not None


@pytest.mark.parametrize("name", NOT_CLOSABLE)
def test_a_schema_that_cannot_be_closed_gets_none(name: str) -> None:
    assert compile_schema(NOT_CLOSABLE[name]).closed() is None


def test_the_boolean_schemas_get_none() -> None:
    assert compile_schema(True).closed() is None
    assert compile_schema(False).closed() is None


def test_the_closed_engine_is_built_once() -> None:
    compiled = compile_schema(ORDER)
    assert compiled.closed() is compiled.closed()


values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.floats(-2, 2) | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=6,
)
NAMES = ["orderId", "total", "status", "items", "email", "sku", "coupon", ""]
plain_values = st.sampled_from(
    ["SO-1", "toolong-id", 3, -1, 2.5, "NEW", "LOST", "a@example.org", "not an email", None]
)
item_lists = st.lists(
    st.fixed_dictionaries({}, optional={"sku": st.text(max_size=3), "qty": st.integers()}),
    max_size=3,
)
shaped = st.fixed_dictionaries(  # orders, most of them valid
    {
        "orderId": st.sampled_from(["SO-1", "SO-22", "A", "B-7", "toolong-id"]),
        "total": st.sampled_from([0, 1, 2.5, 120.0, 7, -1]),
    },
    optional={
        "status": st.sampled_from(["NEW", "PAID", "NEW", "LOST"]),
        "items": item_lists,
        "email": st.sampled_from(["a@example.org", "not an email"]),
    },
)
with_unlisted = st.tuples(shaped, st.sampled_from(["coupon", "", "sku"]), values).map(
    lambda t: {**t[0], t[1]: t[2]}
)
instances = (
    shaped
    | with_unlisted
    | st.dictionaries(
        st.sampled_from(NAMES) | st.text(max_size=6),
        plain_values | item_lists | values,
        max_size=6,
    )
)


@settings(max_examples=400, deadline=None)
@given(name=st.sampled_from(sorted(CLOSABLE)), instance=instances)
def test_closed_passes_exactly_the_valid_objects_whose_names_the_root_lists(
    name: str, instance: dict[str, Any]
) -> None:
    schema = CLOSABLE[name]
    compiled = compile_schema(schema)
    closed = compiled.closed()
    assert closed is not None
    listed = instance.keys() <= schema["properties"].keys()
    assert closed.is_valid(instance) == (compiled.is_valid(instance) and listed)
