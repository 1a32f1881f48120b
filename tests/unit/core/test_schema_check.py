"""check_schema: limits, dialects, local refs only, linear-time patterns, meta-schema pointers."""

from __future__ import annotations

import time
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registry.core.errors import SchemaInvalid, SchemaRemoteRef, SchemaTooComplex
from registry.core.schema_check import check_schema
from registry.core.validation import compile_schema
from registry.settings import Settings
from registry.wiring import schema_limits

DRAFT7 = "http://json-schema.org/draft-07/schema#"


LIMITS = schema_limits(Settings())
"""The limits a server with default settings applies."""


def _nested(depth: int) -> dict[str, Any]:
    schema: dict[str, Any] = {}
    node = schema
    for _ in range(depth):
        node["not"] = {}
        node = node["not"]
    return schema


@pytest.mark.parametrize(
    "schema",
    [
        True,
        False,
        {},
        {"type": "object", "properties": {"a": {"type": "string", "pattern": "^[A-Z]{2}$"}}},
        {
            "$schema": DRAFT7,
            "type": "object",
            "definitions": {"x": {"type": "integer"}},
            "properties": {"a": {"$ref": "#/definitions/x"}},
        },
        {"$schema": DRAFT7.rstrip("#"), "type": "string"},
        {"$schema": "https://json-schema.org/draft/2019-09/schema", "type": "string"},
        {"$schema": "https://json-schema.org/draft/2020-12/schema#", "type": "string"},
        {"$defs": {"a": {"$anchor": "here", "type": "string"}}, "$ref": "#here"},
        {
            "$id": "https://example.com/order.json",
            "$defs": {"x": {"type": "string"}},
            "properties": {"a": {"$ref": "https://example.com/order.json#/$defs/x"}},
        },
        {
            "$id": "https://example.com/root.json",
            "$defs": {"item": {"$id": "item.json", "type": "string"}},
            "$ref": "item.json",
        },
        {"$defs": {"x": {"$id": "urn:example:x", "type": "string"}}, "$ref": "urn:example:x"},
        {"type": "string", "pattern": "\\p{L}+"},
    ],
    ids=lambda s: str(s)[:40],
)
def test_accepted(schema: Any) -> None:
    check_schema(schema, limits=LIMITS)
    compile_schema(schema)


@pytest.mark.parametrize(
    ("ref", "pointer"),
    [
        ("http://example.com/schema.json", "/$ref"),
        ("https://example.com/schema.json#/x", "/$ref"),
        ("file:///etc/passwd", "/$ref"),
        ("other.json", "/$ref"),
        ("./defs.json#/$defs/a", "/$ref"),
    ],
)
def test_remote_refs_are_refused(ref: str, pointer: str) -> None:
    with pytest.raises(SchemaRemoteRef) as caught:
        check_schema({"$ref": ref}, limits=LIMITS)
    assert caught.value.code == "schema_remote_ref"
    assert [p.pointer for p in caught.value.problems] == [pointer]


def test_remote_refs_are_all_reported_with_pointers() -> None:
    schema = {
        "properties": {"a": {"$ref": "http://evil.example/a"}, "b": {"items": {"$ref": "b.json"}}},
        "$defs": {"d": {"$dynamicRef": "https://x.example/d"}},
    }
    with pytest.raises(SchemaRemoteRef) as caught:
        check_schema(schema, limits=LIMITS)
    assert sorted(p.pointer for p in caught.value.problems) == [
        "/$defs/d/$dynamicRef",
        "/properties/a/$ref",
        "/properties/b/items/$ref",
    ]


def test_a_ref_relative_to_an_undeclared_id_is_remote() -> None:
    with pytest.raises(SchemaRemoteRef):
        check_schema(
            {"$id": "https://example.com/root.json", "$ref": "sibling.json"}, limits=LIMITS
        )


def test_ref_inside_const_is_data_not_a_reference() -> None:
    check_schema({"const": {"$ref": "http://example.com/x"}}, limits=LIMITS)


def test_depth_1000_is_too_complex() -> None:
    with pytest.raises(SchemaTooComplex) as caught:
        check_schema(_nested(1000), limits=LIMITS)
    assert caught.value.code == "schema_too_complex"


def test_depth_limit_is_configurable() -> None:
    check_schema(_nested(10), limits=LIMITS)
    with pytest.raises(SchemaTooComplex):
        check_schema(_nested(10), limits=msgspec.structs.replace(LIMITS, max_depth=5))


def test_size_limit() -> None:
    schema = {"enum": ["x" * 100] * 100}
    with pytest.raises(SchemaTooComplex, match="bytes"):
        check_schema(schema, limits=msgspec.structs.replace(LIMITS, max_bytes=1000))


def test_long_pattern_is_too_complex() -> None:
    with pytest.raises(SchemaTooComplex) as caught:
        check_schema({"properties": {"a": {"pattern": "a" * 1001}}}, limits=LIMITS)
    assert caught.value.problems[0].pointer == "/properties/a/pattern"


@pytest.mark.parametrize("pattern", ["(?=a)b", "(?<!x)y", "(a)\\1"])
def test_backtracking_patterns_are_too_complex(pattern: str) -> None:
    with pytest.raises(SchemaTooComplex) as caught:
        check_schema({"type": "object", "patternProperties": {pattern: {}}}, limits=LIMITS)
    assert caught.value.problems[0].pointer.startswith("/patternProperties/")


def test_invalid_pattern_is_invalid_not_complex() -> None:
    with pytest.raises(SchemaInvalid) as caught:
        check_schema({"properties": {"a": {"pattern": "[unclosed"}}}, limits=LIMITS)
    assert type(caught.value) is SchemaInvalid
    assert caught.value.problems[0].pointer == "/properties/a/pattern"


def test_catastrophic_pattern_is_accepted_and_runs_in_linear_time() -> None:
    schema = {"type": "string", "pattern": "^(a+)+$"}
    check_schema(schema, limits=LIMITS)
    compiled = compile_schema(schema)
    started = time.perf_counter()
    assert compiled.is_valid("a" * 50 + "!") is False
    assert compiled.is_valid("a" * 100_000 + "!") is False
    assert time.perf_counter() - started < 0.5


def test_dollar_does_not_match_before_a_trailing_newline() -> None:
    compiled = compile_schema({"type": "string", "pattern": "^[A-Z]{2}$"})
    assert compiled.is_valid("DE")
    assert not compiled.is_valid("DE\n")


@pytest.mark.parametrize(
    "uri", ["http://json-schema.org/draft-04/schema#", "https://example.com/meta", 7]
)
def test_unknown_dialect(uri: object) -> None:
    with pytest.raises(SchemaInvalid) as caught:
        check_schema({"$schema": uri}, limits=LIMITS)
    assert [p.pointer for p in caught.value.problems] == ["/$schema"]


def test_meta_schema_problems_are_all_reported_with_pointers() -> None:
    schema = {
        "type": "object",
        "required": "orderId",
        "properties": {"a": {"type": "strin"}, "b": {"minimum": "0"}, "c": {"maxLength": -1}},
    }
    with pytest.raises(SchemaInvalid) as caught:
        check_schema(schema, limits=LIMITS)
    pointers = [p.pointer for p in caught.value.problems]
    assert pointers == [
        "/properties/a/type",
        "/properties/b/minimum",
        "/properties/c/maxLength",
        "/required",
    ]
    assert all(p.keyword for p in caught.value.problems)


def test_draft7_meta_schema_is_used_for_draft7() -> None:
    with pytest.raises(SchemaInvalid) as caught:
        check_schema({"$schema": DRAFT7, "properties": {"a": {"type": 5}}}, limits=LIMITS)
    assert caught.value.problems[0].pointer == "/properties/a/type"


def test_dangling_local_ref_is_invalid() -> None:
    with pytest.raises(SchemaInvalid, match="does not compile"):
        check_schema({"properties": {"a": {"$ref": "#/$defs/missing"}}}, limits=LIMITS)


@pytest.mark.parametrize("schema", [None, 1, "x", [], [{}]])
def test_root_must_be_object_or_boolean(schema: object) -> None:
    with pytest.raises(SchemaInvalid) as caught:
        check_schema(schema, limits=LIMITS)
    assert caught.value.problems[0].pointer == ""


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "type",
                    "properties",
                    "items",
                    "$ref",
                    "pattern",
                    "required",
                    "enum",
                    "anyOf",
                    "$id",
                    "$schema",
                    "minimum",
                    "additionalProperties",
                    "$defs",
                    "not",
                    "x",
                ]
            )
            | st.text(max_size=4),
            children,
            max_size=4,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(JSON)
def test_never_raises_anything_else(schema: object) -> None:
    try:
        check_schema(schema, limits=LIMITS)
    except SchemaInvalid:
        return
    compile_schema(schema)  # type: ignore[arg-type]
