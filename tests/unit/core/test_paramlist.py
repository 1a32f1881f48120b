"""compile_param_list: the Yespo-style short form compiles to a deterministic 2020-12 schema."""

from __future__ import annotations

from typing import Any

import pytest

from registry.core.errors import SchemaInvalid
from registry.core.paramlist import compile_param_list
from registry.core.schema_check import check_schema
from registry.core.suggest import did_you_mean
from registry.core.validation import ValidationOptions, compile_schema, validate_event
from registry.core.validation.codes import DATE_TIME_PATTERN
from registry.settings import Settings
from registry.wiring import schema_limits

LIMITS = schema_limits(Settings())
"""The limits a server with default settings applies."""


ORDER = [
    {"name": "orderId", "type": "string", "required": True, "description": "shop order id"},
    {"name": "total", "type": "number", "minimum": 0, "maximum": 1_000_000},
    {"name": "count", "type": "integer", "minimum": 1},
    {"name": "status", "type": "string", "enum": ["INITIALIZED", "DELIVERED"]},
    {"name": "paid", "type": "boolean"},
    {"name": "when", "type": "date"},
    {"name": "at", "type": "datetime"},
    {"name": "email", "type": "email", "required": True},
    {"name": "link", "type": "url"},
    {"name": "guid", "type": "uuid"},
    {"name": "currency", "type": "string", "pattern": "^[A-Z]{3}$", "minLength": 3, "maxLength": 3},
    {"name": "meta", "type": "object", "properties": [{"name": "source", "type": "string"}]},
    {"name": "tags", "type": "array", "items": "string"},
    {"name": "scores", "type": "array", "items": {"type": "integer", "minimum": 0}},
    {
        "name": "items",
        "type": "array",
        "items": [
            {"name": "sku", "type": "string", "required": True},
            {"name": "qty", "type": "integer"},
        ],
    },
    {"name": "anything"},
]


def test_compiles_every_type() -> None:
    schema = compile_param_list(ORDER)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["type"] == "object"
    assert "additionalProperties" not in schema
    assert schema["required"] == ["orderId", "email"]
    props = schema["properties"]
    assert list(props) == [p["name"] for p in ORDER]
    assert props["orderId"] == {"type": "string", "description": "shop order id"}
    assert props["total"] == {"type": "number", "minimum": 0, "maximum": 1_000_000}
    assert props["when"] == {"type": "string", "format": "date"}
    assert props["at"] == {"type": "string", "pattern": DATE_TIME_PATTERN}
    assert props["email"] == {"type": "string", "format": "email"}
    assert props["link"] == {"type": "string", "format": "uri"}
    assert props["guid"] == {"type": "string", "format": "uuid"}
    assert props["tags"] == {"type": "array", "items": {"type": "string"}}
    assert props["scores"] == {"type": "array", "items": {"type": "integer", "minimum": 0}}
    assert props["items"]["items"] == {
        "type": "object",
        "properties": {"sku": {"type": "string"}, "qty": {"type": "integer"}},
        "required": ["sku"],
    }
    assert props["meta"] == {"type": "object", "properties": {"source": {"type": "string"}}}
    assert props["anything"] == {}


def test_output_is_deterministic_and_registrable() -> None:
    first, second = compile_param_list(ORDER), compile_param_list([dict(p) for p in ORDER])
    assert first == second
    assert list(first["properties"]) == list(second["properties"])
    check_schema(first, limits=LIMITS)
    compiled = compile_schema(first)
    assert compiled.is_valid({"orderId": "A1", "email": "a@example.org", "currency": "USD"})
    assert not compiled.is_valid({"orderId": "A1", "email": "a@example.org", "currency": "usd"})


YESPO_DATE_TIMES = [
    "2020-05-14T10:11:00",  # order date as documented (ORDEV): no offset
    "2023-03-22T14:30",  # past events: minutes only
    "2024-11-02T09:15:00.123Z",  # Android SDK
    "2024-11-02T09:15:00Z",  # OpenCart orders
    "2022-05-14T10:11:10.7022176+03:00",  # Add orders API example
    "2024-01-01T00:00:00+0300",
    "2016-12-31T23:59:60Z",  # leap second
    "2024-11-02t09:15:00z",  # RFC 3339 allows lower case
]
NOT_DATE_TIMES = [
    "2024-11-02",  # a date: use the type ``date``
    "2024-11-02 09:15",  # space instead of T
    "2024-13-01T00:00",
    "2024-11-02T24:00",
    "2024-11-02T09:15.5",  # fraction without seconds
    "2024-11-02T09:15:00+3",
    "22.03.2023 14:30",
    "2024-11-02T09:15:00\n",
    "\u0662\u0660\u0662\u0664-11-02T09:15",  # Arabic-Indic digits
    "",
]


def datetime_violations(value: object) -> list[Any]:
    compiled = compile_schema(compile_param_list([{"name": "date", "type": "datetime"}]))
    event = {"eventTypeKey": "o", "keyValue": "k", "params": [{"name": "date", "value": value}]}
    return validate_event(event, schema=compiled, options=ValidationOptions(mode="strict"))


@pytest.mark.parametrize("value", YESPO_DATE_TIMES)
def test_datetime_accepts_iso_local_and_zoned_date_times(value: str) -> None:
    assert datetime_violations(value) == []


@pytest.mark.parametrize("value", NOT_DATE_TIMES)
def test_datetime_refuses_other_strings_with_a_readable_message(value: str) -> None:
    found = datetime_violations(value)
    assert [(v.code, v.path, v.expected) for v in found] == [
        ("pattern_mismatch", "/params/0/value", DATE_TIME_PATTERN)
    ]
    assert found[0].message.startswith(
        "param 'date' must be an ISO 8601 date-time YYYY-MM-DDTHH:mm[:ss[.fraction]][Z|±hh:mm], "
        "got string"
    )


RFC3339_SAMPLES = [
    "2024-11-02T09:15:00Z",
    "2024-11-02t09:15:00z",
    "2024-11-02T09:15:00.5+03:00",
    "2024-11-02T09:15:00-00:00",
    "2016-12-31T23:59:60Z",
    "2024-11-02T09:15:00,5Z",
    "2024-11-02 09:15:00Z",
    "2024-11-02T09:15:00+24:00",
]


@pytest.mark.parametrize("value", RFC3339_SAMPLES)
def test_datetime_accepts_whatever_format_date_time_accepts(value: str) -> None:
    """So a param list re-registered after the change refuses nothing it used to accept."""
    strict = compile_schema({"properties": {"at": {"format": "date-time"}}})
    if strict.is_valid({"at": value}):
        assert datetime_violations(value) == []


def test_full_json_schema_date_time_stays_rfc3339() -> None:
    compiled = compile_schema({"type": "object", "properties": {"at": {"format": "date-time"}}})
    assert compiled.is_valid({"at": "2024-11-02T09:15:00Z"})
    assert not compiled.is_valid({"at": "2020-05-14T10:11:00"})
    assert not compiled.is_valid({"at": "2023-03-22T14:30"})


def test_datetime_with_its_own_pattern_checks_both() -> None:
    schema = compile_param_list([{"name": "at", "type": "datetime", "pattern": "^2024-"}])
    assert schema["properties"]["at"] == {
        "type": "string",
        "pattern": DATE_TIME_PATTERN,
        "allOf": [{"pattern": "^2024-"}],
    }
    check_schema(schema, limits=LIMITS)
    compiled = compile_schema(schema)
    assert compiled.is_valid({"at": "2024-11-02T09:15"})
    assert not compiled.is_valid({"at": "2023-11-02T09:15"})
    assert not compiled.is_valid({"at": "2024-11-02"})


def test_datetime_items() -> None:
    compiled = compile_schema(
        compile_param_list([{"name": "at", "type": "array", "items": "datetime"}])
    )
    assert compiled.is_valid({"at": ["2024-11-02T09:15", "2024-11-02T09:15:00Z"]})
    assert not compiled.is_valid({"at": ["2024-11-02"]})


def test_empty_list_is_an_open_object() -> None:
    assert compile_param_list([]) == {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {},
    }


def _problems(params: Any) -> list[tuple[str, str]]:
    with pytest.raises(SchemaInvalid) as caught:
        compile_param_list(params)
    return [(p.pointer, p.message) for p in caught.value.problems]


@pytest.mark.parametrize("params", [None, {"params": []}, "orderId", 3])
def test_not_a_list(params: Any) -> None:
    assert [p for p, _ in _problems(params)] == ["/params"]


@pytest.mark.parametrize(
    ("params", "pointer", "fragment"),
    [
        ([{"name": "a"}, {"name": "a"}], "/params/1/name", "duplicate"),
        ([{"type": "string"}], "/params/0/name", "name is required"),
        ([{"name": ""}], "/params/0/name", "non-empty"),
        ([{"name": "x" * 101}], "/params/0/name", "longer than 100"),
        (
            [{"name": "a"}, {"name": "b", "type": "strng"}],
            "/params/1/type",
            "did you mean 'string'",
        ),
        ([{"name": "a", "requird": True}], "/params/0/requird", "did you mean 'required'"),
        ([{"name": "a", "required": "yes"}], "/params/0/required", "boolean"),
        (
            [{"name": "a", "type": "number", "minimum": 5, "maximum": 1}],
            "/params/0/minimum",
            "greater than",
        ),
        (
            [{"name": "a", "type": "string", "minLength": 5, "maxLength": 1}],
            "/params/0/minLength",
            "greater than",
        ),
        ([{"name": "a", "type": "string", "minLength": -1}], "/params/0/minLength", "non-negative"),
        ([{"name": "a", "type": "string", "minimum": 1}], "/params/0/minimum", "applies only"),
        ([{"name": "a", "type": "string", "pattern": "[x"}], "/params/0/pattern", "not a valid"),
        (
            [{"name": "a", "type": "string", "pattern": "(?=x)"}],
            "/params/0/pattern",
            "backtracking",
        ),
        (
            [{"name": "a", "type": "number", "enum": [1, "two"]}],
            "/params/0/enum/1",
            "not of type number",
        ),
        (
            [{"name": "a", "type": "integer", "enum": [1, 1.5]}],
            "/params/0/enum/1",
            "not of type integer",
        ),
        (
            [{"name": "a", "type": "boolean", "enum": [True, 1]}],
            "/params/0/enum/1",
            "not of type boolean",
        ),
        ([{"name": "a", "type": "string", "enum": []}], "/params/0/enum", "non-empty"),
        ([{"name": "a", "type": "string", "enum": ["x", "x"]}], "/params/0/enum/1", "repeated"),
        ([{"name": "a", "type": "object", "enum": [{}]}], "/params/0/enum", "applies only"),
        ([{"name": "a", "type": "string", "items": "string"}], "/params/0/items", "applies only"),
        ([{"name": "a", "type": "array", "items": "strin"}], "/params/0/items", "did you mean"),
        (
            [{"name": "a", "type": "array", "items": [{"name": "b", "type": "nope"}]}],
            "/params/0/items/0/type",
            "unknown type",
        ),
        ([{"name": "a", "type": "array", "items": 5}], "/params/0/items", "items must be"),
        (
            [{"name": "a", "type": "object", "properties": [{"name": "b"}, {"name": "b"}]}],
            "/params/0/properties/1/name",
            "duplicate",
        ),
        ([{"name": "a", "description": 5}], "/params/0/description", "string"),
        (["a"], "/params/0", "must be an object"),
    ],
)
def test_problems_point_into_the_submission(params: Any, pointer: str, fragment: str) -> None:
    problems = _problems(params)
    assert any(p == pointer and fragment in m for p, m in problems), problems


def test_all_problems_are_reported() -> None:
    problems = _problems(
        [
            {"name": "a", "type": "strin"},
            {"name": "a"},
            {"name": "c", "type": "number", "enum": ["x"]},
        ]
    )
    assert [p for p, _ in problems] == ["/params/0/type", "/params/1/name", "/params/2/enum/0"]


@pytest.mark.parametrize(
    ("word", "candidates", "expected"),
    [
        ("emial", ["email", "phone"], ["email"]),
        ("EMAIL", ["email"], ["email"]),
        ("orderid", ["orderId", "order"], ["orderId"]),
        ("zzz", ["email", "phone"], []),
        ("email", ["email"], []),
        ("", ["email"], []),
    ],
)
def test_did_you_mean(word: str, candidates: list[str], expected: list[str]) -> None:
    assert did_you_mean(word, candidates) == expected


def test_did_you_mean_limit() -> None:
    assert did_you_mean("totl", ["total", "totals", "xyz"], limit=2) == ["total", "totals"]
    assert did_you_mean("totl", ["total"], limit=0) == []
