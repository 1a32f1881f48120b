"""Params against a schema: every code, both shapes, paths as sent, coercion, JSON-in-string."""

from __future__ import annotations

import time
from typing import Any

import msgspec
import pytest
from msgspec import UNSET

from registry.core.schema_check import check_schema
from registry.core.validation import (
    CompiledSchema,
    ValidationOptions,
    Violation,
    compile_schema,
    validate_event,
)
from registry.settings import Settings
from registry.wiring import schema_limits

LIMITS = schema_limits(Settings())


ITEM = {
    "type": "object",
    "required": ["sku", "quantity"],
    "properties": {
        "sku": {"type": "string"},
        "quantity": {"type": "integer", "minimum": 1},
        "price": {"type": "number", "exclusiveMinimum": 0},
    },
}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["orderId", "total"],
    "properties": {
        "orderId": {"type": "string", "minLength": 2, "maxLength": 10},
        "total": {"type": "number", "minimum": 0, "maximum": 1000, "multipleOf": 0.01},
        "count": {"type": "integer", "exclusiveMaximum": 100},
        "paid": {"type": "boolean"},
        "status": {"enum": ["INITIALIZED", "DELIVERED"]},
        "kind": {"const": "order"},
        "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
        "email": {"type": "string", "format": "email"},
        "day": {"type": "string", "format": "date"},
        "at": {"type": "string", "format": "date-time"},
        "link": {"type": "string", "format": "uri"},
        "guid": {"type": "string", "format": "uuid"},
        "ip4": {"type": "string", "format": "ipv4"},
        "ip6": {"type": "string", "format": "ipv6"},
        "items": {"type": "array", "items": ITEM, "minItems": 1, "maxItems": 3},
        "tags": {"type": "array", "uniqueItems": True},
        "meta": {
            "type": "object",
            "properties": {"a": {"type": "string"}},
            "additionalProperties": False,
        },
        "payment": {
            "oneOf": [
                {
                    "type": "object",
                    "required": ["card"],
                    "properties": {"card": {"type": "string", "pattern": "^[0-9]{4}$"}},
                },
                {"type": "object", "required": ["iban", "bic"]},
            ]
        },
        "ref": {"anyOf": [{"type": "integer"}, {"type": "string", "maxLength": 3}]},
        "nothing": {"not": {}},
    },
}
BASE = {"orderId": "SO-1", "total": 10.5}


@pytest.fixture(scope="module")
def compiled() -> CompiledSchema:
    check_schema(SCHEMA, limits=LIMITS)
    return compile_schema(SCHEMA)


def as_list(params: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"name": k, "value": v} for k, v in params.items()]


def run(compiled: CompiledSchema, params: Any, **kwargs: Any) -> list[Violation]:
    return validate_event(
        {"eventTypeKey": "order", "keyValue": "k", "params": params}, schema=compiled, **kwargs
    )


def errors(violations: list[Violation]) -> list[Violation]:
    return [v for v in violations if v.severity == "error"]


CASES = [
    # (params added to BASE, code, keyword, path inside the value)
    ({"total": "abc"}, "type_mismatch", "type", ""),
    ({"paid": "yes"}, "type_mismatch", "type", ""),
    ({"status": "SHIPPED"}, "not_in_enum", "enum", ""),
    ({"kind": "refund"}, "not_in_enum", "const", ""),
    ({"currency": "usd"}, "pattern_mismatch", "pattern", ""),
    ({"currency": "USD\n"}, "pattern_mismatch", "pattern", ""),
    ({"email": "not-an-email"}, "format_invalid", "format", ""),
    ({"day": "2024-13-45"}, "format_invalid", "format", ""),
    ({"at": "2024-11-02 09:15"}, "format_invalid", "format", ""),
    ({"link": "not a uri"}, "format_invalid", "format", ""),
    ({"guid": "1234"}, "format_invalid", "format", ""),
    ({"ip4": "300.1.1.1"}, "format_invalid", "format", ""),
    ({"ip6": "::zz"}, "format_invalid", "format", ""),
    ({"orderId": "x" * 11}, "too_long", "maxLength", ""),
    ({"orderId": "x"}, "too_short", "minLength", ""),
    ({"total": -1}, "out_of_range", "minimum", ""),
    ({"total": 1001}, "out_of_range", "maximum", ""),
    ({"total": 1.001}, "out_of_range", "multipleOf", ""),
    ({"count": 100}, "out_of_range", "exclusiveMaximum", ""),
    (
        {"items": [{"sku": "a", "quantity": 1, "price": 0}]},
        "out_of_range",
        "exclusiveMinimum",
        "/0/price",
    ),
    ({"items": []}, "too_few_items", "minItems", ""),
    ({"items": [{"sku": "a", "quantity": 1}] * 4}, "too_many_items", "maxItems", ""),
    ({"tags": ["a", "a"]}, "duplicate_items", "uniqueItems", ""),
    ({"items": [{"sku": "a"}]}, "required_missing", "required", "/0"),
    ({"meta": {"a": "x", "b": 1}}, "unknown_property", "additionalProperties", "/b"),
    ({"payment": {"card": "12"}}, "composition_failed", "oneOf", ""),
    ({"payment": {"card": "1234", "iban": "x", "bic": "y"}}, "composition_failed", "oneOf", ""),
    ({"ref": "toolong"}, "composition_failed", "anyOf", ""),
    ({"nothing": 1}, "schema_violation", "not", ""),
]


@pytest.mark.parametrize(
    ("extra", "code", "keyword", "inner"), CASES, ids=[f"{c[1]}-{c[2]}" for c in CASES]
)
def test_each_code_in_both_shapes(
    compiled: CompiledSchema, extra: dict[str, Any], code: str, keyword: str, inner: str
) -> None:
    params = {**BASE, **extra}
    name = next(iter(extra))
    index = list(params).index(name)
    for shape, prefix in ((as_list(params), f"/params/{index}/value"), (params, f"/params/{name}")):
        found = errors(run(compiled, shape))
        assert [(v.code, v.keyword, v.path, v.param) for v in found] == [
            (code, keyword, prefix + inner, name)
        ]
        assert name in found[0].message
        assert found[0].schema_path
        assert found[0].schema_path.startswith(f"/properties/{name}")


def test_valid_in_both_shapes(compiled: CompiledSchema) -> None:
    params = {
        **BASE,
        "items": [{"sku": "a", "quantity": 2, "price": 1.5}],
        "email": "a@example.org",
        "payment": {"card": "1234"},
        "ref": 7,
        "guid": "d59c6e6d-0000-4b0e-8c32-15f0656a8c60",
    }
    assert run(compiled, as_list(params), options=ValidationOptions(mode="strict")) == []
    assert run(compiled, params, options=ValidationOptions(mode="strict")) == []


def test_required_missing_points_at_params(compiled: CompiledSchema) -> None:
    found = errors(run(compiled, [{"name": "orderId", "value": "SO-1"}]))
    assert [(v.code, v.path, v.param, v.message) for v in found] == [
        ("required_missing", "/params", "total", "required param 'total' is missing"),
    ]


def test_type_message_names_the_param(compiled: CompiledSchema) -> None:
    found = errors(run(compiled, as_list({**BASE, "total": "abc"})))[0]
    assert found.message == "param 'total' must be a number, got string \"abc\""
    assert (found.expected, found.actual) == ("number", "abc")


def test_enum_has_allowed_and_suggestion(compiled: CompiledSchema) -> None:
    found = errors(run(compiled, {**BASE, "status": "INITIALISED"}))[0]
    assert found.allowed == ["INITIALIZED", "DELIVERED"]
    assert found.suggestion == "INITIALIZED"


def test_out_of_range_says_which_bound(compiled: CompiledSchema) -> None:
    found = errors(run(compiled, {**BASE, "total": -1}))[0]
    assert found.keyword == "minimum"
    assert found.expected == 0
    assert "greater than or equal to 0" in found.message


def test_composition_names_the_closest_branch(compiled: CompiledSchema) -> None:
    found = errors(run(compiled, as_list({**BASE, "payment": {"card": "12"}})))[0]
    assert found.branch == 0
    assert found.errors is not None
    assert [(e.code, e.path) for e in found.errors] == [
        ("pattern_mismatch", "/params/2/value/card")
    ]
    assert "closest is alternative 0" in found.message


def test_nested_paths_in_list_form(compiled: CompiledSchema) -> None:
    items = [{"sku": "a", "quantity": 1}, {"sku": 5, "quantity": 0}]
    found = errors(run(compiled, as_list({**BASE, "items": items})))
    assert [(v.code, v.path) for v in found] == [
        ("out_of_range", "/params/2/value/1/quantity"),
        ("type_mismatch", "/params/2/value/1/sku"),
    ]
    assert all(v.param == "items" for v in found)
    assert found[1].message.startswith("param 'items' at /1/sku ")


def test_unknown_param_lenient_warning_strict_error(compiled: CompiledSchema) -> None:
    params = as_list({**BASE, "totl": 1, "email": "a@example.org"})
    lenient = run(compiled, params)
    assert [(v.code, v.severity, v.path, v.suggestion) for v in lenient] == [
        ("unknown_param", "warning", "/params/2/name", "total")
    ]
    strict = run(compiled, params, options=ValidationOptions(mode="strict"))
    assert [(v.code, v.severity) for v in strict] == [("unknown_param", "error")]


def test_contact_identifiers_are_never_unknown() -> None:
    compiled = compile_schema({"type": "object", "properties": {"a": {}}})
    assert (
        run(
            compiled,
            {"a": 1, "ExternalCustomerId": "c", "phone": "1"},
            options=ValidationOptions(mode="strict"),
        )
        == []
    )


def test_closed_schema_rejects_unknown_in_both_modes() -> None:
    compiled = compile_schema(
        {"type": "object", "properties": {"email": {}, "amount": {}}, "additionalProperties": False}
    )
    for mode in ("strict", "lenient"):
        found = run(
            compiled, as_list({"email": "x@y.z", "amout": 1}), options=ValidationOptions(mode=mode)
        )  # type: ignore[arg-type]
        assert [(v.code, v.severity, v.path, v.suggestion) for v in found] == [
            ("unknown_param", "error", "/params/1/name", "amount"),
        ]


def test_additional_properties_schema_allows_extras() -> None:
    compiled = compile_schema(
        {"type": "object", "properties": {"a": {}}, "additionalProperties": {"type": "integer"}}
    )
    assert run(compiled, {"a": 1, "b": 2}, options=ValidationOptions(mode="strict")) == []
    assert [v.code for v in run(compiled, {"a": 1, "b": "x"})] == ["type_mismatch"]


def test_declared_names_follow_root_ref_and_all_of() -> None:
    schema = {
        "$ref": "#/$defs/order",
        "allOf": [{"properties": {"b": {}}}],
        "$defs": {"order": {"type": "object", "properties": {"a": {}}}},
        "patternProperties": {"^x_": {}},
    }
    compiled = compile_schema(schema)
    assert run(compiled, {"a": 1, "b": 2, "x_1": 3}, options=ValidationOptions(mode="strict")) == []
    assert [v.param for v in run(compiled, {"c": 1})] == ["c"]


def test_boolean_schemas() -> None:
    assert (
        run(compile_schema(True), {"anything": 1}, options=ValidationOptions(mode="strict")) == []
    )
    found = run(compile_schema(False), {"a": 1})
    assert [v.code for v in found if v.severity == "error"] == ["schema_violation"]


def test_json_string_is_parsed_when_object_or_array_expected(compiled: CompiledSchema) -> None:
    items = '[{"sku":"a","quantity":1,"price":"x"}]'
    found = run(compiled, as_list({**BASE, "items": items}))
    assert [(v.code, v.severity, v.path) for v in found] == [
        ("json_string_parsed", "warning", "/params/2/value"),
        ("type_mismatch", "error", "/params/2/value/0/price"),
    ]


def test_valid_json_string_gives_only_the_warning(compiled: CompiledSchema) -> None:
    found = run(compiled, as_list({**BASE, "meta": '{"a": "x"}'}))
    assert [(v.code, v.severity, v.param) for v in found] == [
        ("json_string_parsed", "warning", "meta")
    ]


def test_broken_json_string_is_a_type_mismatch(compiled: CompiledSchema) -> None:
    found = run(compiled, as_list({**BASE, "meta": '{"a": '}))
    assert [(v.code, v.severity) for v in found] == [("type_mismatch", "error")]
    assert found[0].coercible is not True


@pytest.mark.parametrize(
    ("text", "value"), [("120.5", 120.5), ("7", 7), ("-0.25", -0.25), ("1e2", 100.0)]
)
def test_numeric_string_without_coerce_is_a_coercible_error(
    compiled: CompiledSchema, text: str, value: Any
) -> None:
    found = run(compiled, as_list({**BASE, "total": text}))
    assert [(v.code, v.severity, v.coercible, v.coerced_value) for v in found] == [
        ("type_mismatch", "error", True, value)
    ]


def test_numeric_string_with_coerce_is_a_warning_and_validated(compiled: CompiledSchema) -> None:
    coerce = ValidationOptions(coerce=True)
    ok = run(
        compiled, as_list({**BASE, "total": "120.5", "paid": "true", "count": "3"}), options=coerce
    )
    assert [(v.code, v.severity, v.coerced_value) for v in ok] == [
        ("type_mismatch", "warning", 120.5),
        ("type_mismatch", "warning", True),
        ("type_mismatch", "warning", 3),
    ]
    out_of_range = run(compiled, as_list({**BASE, "total": "2000"}), options=coerce)
    assert [(v.code, v.severity) for v in out_of_range] == [
        ("out_of_range", "error"),
        ("type_mismatch", "warning"),
    ]


def test_coercion_inside_parsed_json(compiled: CompiledSchema) -> None:
    found = run(
        compiled,
        as_list({**BASE, "items": '[{"sku":"a","quantity":"2"}]'}),
        options=ValidationOptions(coerce=True),
    )
    assert [(v.code, v.severity, v.path) for v in found] == [
        ("json_string_parsed", "warning", "/params/2/value"),
        ("type_mismatch", "warning", "/params/2/value/0/quantity"),
    ]


def test_the_event_is_not_mutated(compiled: CompiledSchema) -> None:
    params = as_list({**BASE, "items": '[{"sku":"a","quantity":"2"}]'})
    snapshot = repr(params)
    run(compiled, params, options=ValidationOptions(coerce=True))
    assert repr(params) == snapshot


def test_escaped_names_in_object_form() -> None:
    compiled = compile_schema({"type": "object", "properties": {"a/b": {"type": "integer"}}})
    found = run(compiled, {"a/b": "x"})
    assert found[0].path == "/params/a~1b"


def test_base_path_prefixes_schema_violations(compiled: CompiledSchema) -> None:
    event = {"eventTypeKey": "order", "keyValue": "k", "params": as_list({**BASE, "total": "abc"})}
    found = validate_event(event, schema=compiled, base_path="/events/3")
    assert found[0].path == "/events/3/params/1/value"


def test_envelope_and_schema_errors_together(compiled: CompiledSchema) -> None:
    event = {
        "eventTypeKey": "bad?",
        "params": [{"name": "orderId", "value": "SO-1"}, {"name": "orderId", "value": "x"}],
    }
    found = validate_event(event, schema=compiled)
    assert [v.code for v in found] == [
        "missing_contact_identifier",
        "invalid_event_type_key",
        "required_missing",
        "duplicate_param",
    ]


def test_catastrophic_pattern_in_event_is_fast() -> None:
    compiled = compile_schema(
        {"type": "object", "properties": {"a": {"type": "string", "pattern": "^(a+)+$"}}}
    )
    started = time.perf_counter()
    found = run(compiled, {"a": "a" * 50 + "!"})
    assert [v.code for v in found] == ["pattern_mismatch"]
    assert time.perf_counter() - started < 0.5


def test_draft7_schema_validates_events() -> None:
    schema = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "properties": {"n": {"type": "integer"}},
        "required": ["n"],
    }
    check_schema(schema, limits=LIMITS)
    assert [v.code for v in run(compile_schema(schema), {"n": "x"})] == ["type_mismatch"]


def test_actual_is_omitted_for_objects_and_kept_for_null(compiled: CompiledSchema) -> None:
    on_object = errors(run(compiled, {**BASE, "payment": {"card": "12"}}))[0]
    assert on_object.actual is UNSET
    assert "actual" not in msgspec.to_builtins(on_object)
    on_null = errors(run(compiled, {**BASE, "paid": None}))[0]
    assert on_null.actual is None
    assert msgspec.to_builtins(on_null)["actual"] is None


PAYMENT = {
    "oneOf": [
        {"type": "object", "required": ["card"], "properties": {"card": {"type": "string"}}},
        {"$ref": "#/$defs/bank"},
    ]
}
BANK = {"type": "object", "required": ["iban", "bic"], "properties": {"iban": {"type": "string"}}}


@pytest.mark.parametrize(
    ("value", "branch", "codes"),
    [
        ({"iban": 7}, 1, ["required_missing", "type_mismatch"]),  # declares iban: more errors
        ({"iban": "UA21"}, 1, ["required_missing"]),  # tie on errors: the one naming iban
        ({"card": 12}, 0, ["type_mismatch"]),
        ({}, 0, ["required_missing"]),  # nothing to go by: fewest errors, then first
    ],
    ids=["overlap-beats-error-count", "overlap-breaks-tie", "card", "empty"],
)
def test_closest_alternative_is_the_one_the_value_names(
    value: dict[str, Any], branch: int, codes: list[str]
) -> None:
    for schema in (
        {"type": "object", "properties": {"p": PAYMENT}, "$defs": {"bank": BANK}},
        {"$ref": "#/$defs/order", "$defs": {"order": {"properties": {"p": PAYMENT}}, "bank": BANK}},
    ):
        found = errors(run(compile_schema(schema), {"p": value}))
        assert [(v.code, v.branch) for v in found] == [("composition_failed", branch)]
        assert found[0].errors is not UNSET
        assert [e.code for e in found[0].errors] == codes


def test_closest_alternative_prefers_the_matching_type() -> None:
    compiled = compile_schema(
        {
            "properties": {
                "ref": {"anyOf": [{"type": "integer"}, {"type": "string", "maxLength": 3}]}
            }
        }
    )
    [found] = errors(run(compiled, {"ref": "toolong"}))
    assert (found.branch, [e.code for e in found.errors or []]) == (1, ["too_long"])
    assert (
        "closest is alternative 1: param 'ref' must be at most 3 characters long" in found.message
    )


def test_not_and_false_schema_messages_are_worded(compiled: CompiledSchema) -> None:
    [on_not] = errors(run(compiled, {**BASE, "nothing": 1}))
    assert (
        on_not.message == "param 'nothing' must not match the schema {} under 'not', got integer 1"
    )
    [on_false] = errors(run(compile_schema({"properties": {"gone": False}}), {"gone": "x"}))
    assert on_false.message == (
        "param 'gone' is not allowed here (its schema is false), got string \"x\""
    )
