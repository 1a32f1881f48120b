"""A wide params schema compiles in slices (the GIL is free between them) and judges exactly
as the whole schema does."""

from __future__ import annotations

from typing import Any

import jsonschema_rs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from registry.core.validation import compile_schema, engine
from registry.core.validation.engine import SLICE, SlicedValidator, build_engine, build_validator

WIDTH = 2 * SLICE + 7
NAMES = [f"p{i:04}" for i in range(WIDTH)]
LEAVES: list[dict[str, Any]] = [
    {"type": "string", "maxLength": 3},
    {"type": "integer", "minimum": 0},
    {"enum": ["a", "b"]},
    {"type": "array", "items": {"type": "boolean"}},
    {"type": "object", "properties": {"x": {"type": "number"}}, "required": ["x"]},
]
WIDE: dict[str, Any] = {
    "type": "object",
    "properties": {name: LEAVES[i % len(LEAVES)] for i, name in enumerate(NAMES)},
    "required": [NAMES[0], NAMES[SLICE + 1], NAMES[-1]],
    "maxProperties": 40,
}
WHOLE = build_validator(WIDE)
SLICED = build_engine(WIDE)

VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.text(max_size=5),
    st.lists(st.booleans() | st.integers(0, 1), max_size=3),
    st.fixed_dictionaries({}, optional={"x": st.integers() | st.text(max_size=2)}),
)
INSTANCES = st.one_of(
    st.dictionaries(st.sampled_from([*NAMES, "other"]), VALUES, max_size=45),
    VALUES,
)


def _errors(validator: engine.Engine, instance: Any) -> list[tuple[str, str, str, str]]:
    return sorted(
        (
            "/".join(map(str, e.schema_path)),
            "/".join(map(str, e.instance_path)),
            e.kind.name,
            e.message,
        )
        for e in validator.iter_errors(instance)
    )


def test_a_wide_root_is_compiled_in_slices_of_at_most_slice_properties(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    widths: list[int] = []
    real = engine.build_validator

    def counted(schema: Any, **kwargs: Any) -> jsonschema_rs.Validator:
        widths.append(len(schema.get("properties", {})))
        return real(schema, **kwargs)

    monkeypatch.setattr(engine, "build_validator", counted)
    compiled = compile_schema({"properties": {f"p{i:04}": {"type": "string"} for i in range(7500)}})
    assert isinstance(compiled.validator, SlicedValidator)
    assert widths == [0] + [SLICE] * (7500 // SLICE)  # the root's other keywords, then slices
    assert compiled.is_valid({"p0001": "x"}) is True
    assert compiled.is_valid({"p0001": 1}) is False


@settings(max_examples=150, deadline=None)
@given(INSTANCES)
def test_a_sliced_schema_judges_every_instance_as_the_whole_schema(instance: Any) -> None:
    assert isinstance(SLICED, SlicedValidator)
    assert SLICED.is_valid(instance) is WHOLE.is_valid(instance)
    assert _errors(SLICED, instance) == _errors(WHOLE, instance)


@pytest.mark.parametrize(
    "extra",
    [
        {"additionalProperties": False},
        {"additionalProperties": True},
        {"unevaluatedProperties": False},
        {"patternProperties": {"^q": {"type": "string"}}},
        {"propertyNames": {"maxLength": 5}},
        {"dependentRequired": {"p0001": ["p0002"]}},
        {"allOf": [{"required": ["p0001"]}]},
        {"$defs": {"s": {"type": "string"}}},
        {"$id": "https://example.com/wide"},
    ],
    ids=lambda extra: next(iter(extra)),
)
def test_a_root_keyword_that_needs_the_whole_map_keeps_the_schema_whole(
    extra: dict[str, Any],
) -> None:
    schema = {**WIDE, **extra}
    assert not isinstance(build_engine(schema), SlicedValidator)


def test_a_reference_inside_a_property_keeps_the_schema_whole() -> None:
    properties = dict(WIDE["properties"])
    properties[NAMES[3]] = {"$ref": "#/properties/p0000"}
    assert not isinstance(build_engine({**WIDE, "properties": properties}), SlicedValidator)


def test_a_root_of_at_most_slice_properties_is_one_validator() -> None:
    narrow = {"properties": {name: {"type": "string"} for name in NAMES[:SLICE]}}
    assert isinstance(build_engine(narrow), jsonschema_rs.Validator)


def test_slices_keep_the_dialect() -> None:
    draft7 = {**WIDE, "$schema": "http://json-schema.org/draft-07/schema#"}
    properties = dict(WIDE["properties"])
    properties[NAMES[-2]] = {"type": "array", "items": [{"type": "string"}]}  # draft-07 tuple
    schema = {**draft7, "properties": properties}
    sliced, whole = build_engine(schema), build_validator(schema)
    instance = {NAMES[0]: "a", NAMES[SLICE + 1]: 1, NAMES[-1]: {"x": 1}, NAMES[-2]: [5]}
    assert isinstance(sliced, SlicedValidator)
    assert _errors(sliced, instance) == _errors(whole, instance) != []
