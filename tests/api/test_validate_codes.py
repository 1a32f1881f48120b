"""Every schema-rule code through POST /validate, in both param shapes, with paths as sent.

One event type, ``orderCreated``, carries a schema that exercises every keyword family. Each row
adds one param to a valid base event and expects exactly one error. The same row runs with
``params`` as a ``[{name, value}]`` list (path ``/params/3/value…``) and as an object (path
``/params/<name>…``). Envelope and service-level codes are in ``test_validate_envelope.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.api.reports import Validate, codes, create_type, only, poster, set_config
from tests.api.support import assert_problem

ITEM = {
    "type": "object",
    "required": ["sku"],
    "properties": {"sku": {"type": "string"}, "price": {"type": "number", "minimum": 0}},
    "additionalProperties": False,
}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["orderId"],
    "properties": {
        "orderId": {"type": "string", "minLength": 2, "maxLength": 10},
        "total": {"type": "number", "minimum": 0, "maximum": 1000},
        "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
        "count": {"type": "integer", "exclusiveMaximum": 100},
        "paid": {"type": "boolean"},
        "status": {"enum": ["INITIALIZED", "IN_PROGRESS", "DELIVERED", "CANCELLED"]},
        "email": {"type": "string", "format": "email"},
        "day": {"type": "string", "format": "date"},
        "at": {"type": "string", "format": "date-time"},
        "link": {"type": "string", "format": "uri"},
        "guid": {"type": "string", "format": "uuid"},
        "ip": {"type": "string", "format": "ipv4"},
        "ip6": {"type": "string", "format": "ipv6"},
        "tags": {
            "type": "array",
            "items": {"type": "string"},
            "minItems": 1,
            "maxItems": 3,
            "uniqueItems": True,
        },
        "cart": {"type": "object", "properties": {"items": {"type": "array", "items": ITEM}}},
        "payment": {
            "oneOf": [
                {
                    "type": "object",
                    "required": ["card"],
                    "properties": {"card": {"type": "string", "pattern": "^[0-9]{4}$"}},
                },
                {
                    "type": "object",
                    "required": ["iban", "bic"],
                    "properties": {"iban": {"type": "string"}, "bic": {"type": "string"}},
                },
            ]
        },
        "ref": {"anyOf": [{"type": "integer"}, {"type": "string", "maxLength": 3}]},
        "legacy": {"not": {}},
    },
}
KEY = "orderCreated"
BASE = {"orderId": "SO-1", "total": 10.5, "currency": "USD"}
"""Three valid params, so the param under test sits at index 3 in the list form."""


def as_list(params: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"name": k, "value": v} for k, v in params.items()]


def event(params: Any, **extra: Any) -> dict[str, Any]:
    return {"eventTypeKey": KEY, "keyValue": "c-7f3a91", "params": params, **extra}


SHAPES = ["list", "object"]


def shaped(params: dict[str, Any], shape: str) -> Any:
    return as_list(params) if shape == "list" else params


def value_path(shape: str, name: str, params: dict[str, Any]) -> str:
    """Where the value of ``name`` is in the payload as sent."""
    return f"/params/{list(params).index(name)}/value" if shape == "list" else f"/params/{name}"


@pytest.fixture(scope="module")
def check(shared_client: Any) -> Validate:
    create_type(shared_client, KEY, schema=SCHEMA)
    return poster(shared_client)


@dataclass
class Row:
    id: str
    param: str
    value: Any
    code: str
    keyword: str
    inner: str = ""
    """Pointer inside the param's value."""
    members: dict[str, Any] = field(default_factory=dict)
    """Members the violation must carry, with their values."""
    message: str = ""
    """A fragment the message must contain."""


ROWS = [
    Row(
        "type_mismatch-number",
        "total",
        "abc",
        "type_mismatch",
        "type",
        members={"expected": "number", "actual": "abc"},
        message="param 'total' must be a number, got string \"abc\"",
    ),
    Row(
        "type_mismatch-coercible",
        "total",
        "12.5",
        "type_mismatch",
        "type",
        members={"coercible": True, "coercedValue": 12.5, "expected": "number", "actual": "12.5"},
    ),
    Row("type_mismatch-boolean", "paid", "yes", "type_mismatch", "type"),
    Row("type_mismatch-integer", "count", 2.5, "type_mismatch", "type"),
    Row(
        "not_in_enum",
        "status",
        "DELIVERD",
        "not_in_enum",
        "enum",
        members={
            "allowed": ["INITIALIZED", "IN_PROGRESS", "DELIVERED", "CANCELLED"],
            "suggestion": "DELIVERED",
            "actual": "DELIVERD",
        },
        message="must be one of",
    ),
    Row(
        "pattern_mismatch",
        "currency",
        "usd",
        "pattern_mismatch",
        "pattern",
        members={"expected": "^[A-Z]{3}$"},
        message="must match the pattern '^[A-Z]{3}$'",
    ),
    Row("pattern_mismatch-trailing-newline", "currency", "USD\n", "pattern_mismatch", "pattern"),
    Row(
        "too_long",
        "orderId",
        "SO-12345678",
        "too_long",
        "maxLength",
        members={"expected": 10},
        message="at most 10 characters long, got 11",
    ),
    Row("too_short", "orderId", "S", "too_short", "minLength", members={"expected": 2}),
    Row(
        "out_of_range-minimum",
        "total",
        -1,
        "out_of_range",
        "minimum",
        members={"expected": 0, "actual": -1},
        message="greater than or equal to 0",
    ),
    Row("out_of_range-maximum", "total", 1000.5, "out_of_range", "maximum"),
    Row("out_of_range-exclusiveMaximum", "count", 100, "out_of_range", "exclusiveMaximum"),
    Row(
        "out_of_range-nested",
        "cart",
        {"items": [{"sku": "a", "price": -5}]},
        "out_of_range",
        "minimum",
        inner="/items/0/price",
    ),
    Row("too_many_items", "tags", ["a", "b", "c", "d"], "too_many_items", "maxItems"),
    Row("too_few_items", "tags", [], "too_few_items", "minItems"),
    Row("duplicate_items", "tags", ["a", "a"], "duplicate_items", "uniqueItems"),
    Row(
        "required_missing-nested",
        "cart",
        {"items": [{"price": 1}]},
        "required_missing",
        "required",
        inner="/items/0",
        members={"expected": "sku"},
        message="required property 'sku' is missing",
    ),
    Row(
        "unknown_property",
        "cart",
        {"items": [{"sku": "a", "colour": "red"}]},
        "unknown_property",
        "additionalProperties",
        inner="/items/0/colour",
        message="property 'colour' is not allowed",
    ),
    Row(
        "composition_failed-oneOf-none",
        "payment",
        {"card": "12"},
        "composition_failed",
        "oneOf",
        members={"branch": 0},
        message="closest is alternative 0",
    ),
    Row(
        "composition_failed-oneOf-several",
        "payment",
        {"card": "1234", "iban": "UA21", "bic": "PBANUA2X"},
        "composition_failed",
        "oneOf",
        message="matches more than one alternative of oneOf",
    ),
    Row(
        "composition_failed-anyOf",
        "ref",
        "toolong",
        "composition_failed",
        "anyOf",
        message="matches none of the 2 alternatives of anyOf",
    ),
    Row("schema_violation-not", "legacy", 1, "schema_violation", "not"),
]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
def test_each_schema_code_in_both_shapes(check: Validate, row: Row, shape: str) -> None:
    params = {**BASE, row.param: row.value}
    report = check(event(shaped(params, shape)))
    assert report["valid"] is False
    assert [v["code"] for v in report["errors"]] == [row.code]
    [violation] = report["errors"]
    assert violation["path"] == value_path(shape, row.param, params) + row.inner
    assert violation["param"] == row.param
    assert violation["keyword"] == row.keyword
    assert violation["schemaPath"].startswith(f"/properties/{row.param}/")
    assert {k: violation.get(k) for k in row.members} == row.members
    assert row.message in violation["message"]
    assert f"param {row.param!r}" in violation["message"]


FORMATS = [
    # (param, format, valid value, invalid value)
    ("email", "email", "buyer@example.org", "buyer.example.org"),
    ("day", "date", "2024-11-02", "2024-02-30"),
    ("at", "date-time", "2024-11-02T09:15:00+02:00", "2024-11-02T09:15:00"),
    ("link", "uri", "https://shop.example/sku-1?ref=mail", "shop.example/sku-1"),
    ("guid", "uuid", "d59c6e6d-0000-4b0e-8c32-15f0656a8c60", "d59c6e6d-0000-4b0e-8c32"),
    ("ip", "ipv4", "192.0.2.10", "192.0.2.300"),
    ("ip6", "ipv6", "2001:db8::10", "2001:db8::g"),
]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("case", FORMATS, ids=[f"format_invalid-{f[1]}" for f in FORMATS])
def test_each_format_is_checked(check: Validate, case: tuple[str, ...], shape: str) -> None:
    param, fmt, good, bad = case
    valid = check(event(shaped({**BASE, param: good}, shape)), mode="strict")
    assert (valid["valid"], codes(valid)) == (True, [])
    params = {**BASE, param: bad}
    violation = only(check(event(shaped(params, shape))), "format_invalid")
    assert (violation["path"], violation["param"], violation["expected"]) == (
        value_path(shape, param, params),
        param,
        fmt,
    )
    assert violation["message"] == f'param {param!r} must be a valid {fmt}, got string "{bad}"'


@pytest.mark.parametrize("shape", SHAPES)
def test_required_missing_points_at_params_and_names_the_param(check: Validate, shape: str) -> None:
    params = {"total": 1}
    violation = only(check(event(shaped(params, shape))), "required_missing")
    assert violation == {
        "code": "required_missing",
        "severity": "error",
        "path": "/params",
        "param": "orderId",
        "keyword": "required",
        "schemaPath": "/required",
        "expected": "orderId",
        "message": "required param 'orderId' is missing",
    }


@pytest.mark.parametrize("shape", SHAPES)
def test_composition_failed_carries_the_closest_branch_errors(check: Validate, shape: str) -> None:
    params = {**BASE, "payment": {"iban": 7}}
    violation = only(check(event(shaped(params, shape))), "composition_failed")
    at = value_path(shape, "payment", params)
    assert violation["branch"] == 1
    assert [(e["code"], e["path"], e["param"]) for e in violation["errors"]] == [
        ("required_missing", at, "payment"),
        ("type_mismatch", f"{at}/iban", "payment"),
    ]
    assert "closest is alternative 1" in violation["message"]


@pytest.mark.parametrize("shape", SHAPES)
def test_json_string_is_parsed_and_paths_continue_inside(check: Validate, shape: str) -> None:
    cart = '{"items": [{"sku": "P1", "price": "45.5"}]}'
    params = {**BASE, "cart": cart}
    report = check(event(shaped(params, shape)))
    at = value_path(shape, "cart", params)
    assert at == ("/params/3/value" if shape == "list" else "/params/cart")
    parsed = only(report, "json_string_parsed")
    assert (parsed["severity"], parsed["path"], parsed["param"], parsed["expected"]) == (
        "warning",
        at,
        "cart",
        "object",
    )
    [error] = report["errors"]
    assert (error["code"], error["path"], error["param"]) == (
        "type_mismatch",
        f"{at}/items/0/price",
        "cart",
    )
    assert error["coercible"] is True


def test_valid_json_string_only_warns(check: Validate) -> None:
    report = check(event(as_list({**BASE, "cart": '{"items": []}'})))
    assert (report["valid"], codes(report)) == (True, [("json_string_parsed", "warning")])


def test_broken_json_string_is_a_type_mismatch(check: Validate) -> None:
    report = check(event(as_list({**BASE, "cart": '{"items": ['})))
    assert codes(report) == [("type_mismatch", "error")]


# -- coercion -----------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", SHAPES)
def test_coercible_string_is_an_error_by_default(check: Validate, shape: str) -> None:
    params = {**BASE, "total": "12.5"}
    report = check(event(shaped(params, shape)))
    violation = only(report, "type_mismatch")
    assert (violation["severity"], violation["coercible"], violation["coercedValue"]) == (
        "error",
        True,
        12.5,
    )
    assert violation["path"] == value_path(shape, "total", params)


@pytest.mark.parametrize("shape", SHAPES)
def test_coerce_query_turns_it_into_a_warning_and_the_event_is_valid(
    check: Validate, shape: str
) -> None:
    params = {**BASE, "total": "12.5", "paid": "true", "count": "3"}
    report = check(event(shaped(params, shape)), coerce=True)
    assert report["valid"] is True
    assert sorted((v["param"], v["code"], v["coercedValue"]) for v in report["warnings"]) == [
        ("count", "type_mismatch", 3),
        ("paid", "type_mismatch", True),
        ("total", "type_mismatch", 12.5),
    ]
    assert all(v["coercible"] is True for v in report["warnings"])


def test_coerced_value_is_still_validated(check: Validate) -> None:
    report = check(event(as_list({**BASE, "total": "2000"})), coerce=True)
    assert codes(report) == [("out_of_range", "error"), ("type_mismatch", "warning")]


def test_non_numeric_string_is_not_coercible(check: Validate) -> None:
    violation = only(check(event(as_list({**BASE, "total": "12,5"})), coerce=True), "type_mismatch")
    assert violation["severity"] == "error"
    assert "coercible" not in violation


def test_coerce_per_event_type_and_request_override(validate: Validate, client: Any) -> None:
    create_type(client, KEY, schema=SCHEMA)
    sent = event(as_list({**BASE, "total": "12.5"}))
    assert codes(validate(sent)) == [("type_mismatch", "error")]
    set_config(client, KEY, coerce=True)
    assert codes(validate(sent)) == [("type_mismatch", "warning")]
    assert codes(validate(sent, coerce=False)) == [("type_mismatch", "error")]


# -- unknown params: strict vs lenient, per request and per type --------------------------------


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize(("mode", "severity"), [("strict", "error"), ("lenient", "warning")])
def test_unknown_param_severity_follows_the_mode(
    check: Validate, shape: str, mode: str, severity: str
) -> None:
    params = {**BASE, "totl": 3}
    report = check(event(shaped(params, shape)), mode=mode)
    violation = only(report, "unknown_param")
    assert report["valid"] is (severity == "warning")
    assert violation == {
        "code": "unknown_param",
        "severity": severity,
        "path": "/params/3/name" if shape == "list" else "/params/totl",
        "param": "totl",
        "suggestion": "total",
        "message": "param 'totl' is unknown: it is not declared in the schema; "
        "did you mean 'total'?",
    }


def test_unknown_param_default_is_lenient(check: Validate) -> None:
    assert codes(check(event({**BASE, "coupon": "X"}))) == [("unknown_param", "warning")]


def test_unknown_param_without_a_close_name_has_no_suggestion(check: Validate) -> None:
    violation = only(check(event({**BASE, "zzz": 1})), "unknown_param")
    assert "suggestion" not in violation
    assert "did you mean" not in violation["message"]


def test_contact_identifiers_are_never_unknown_params(check: Validate) -> None:
    params = {**BASE, "externalCustomerId": "c-1", "PHONE": "+380", "EmailAddress": "a@b.c"}
    assert check(event(params), mode="strict")["valid"] is True


def test_unknown_param_mode_per_event_type_and_request_override(
    validate: Validate, client: Any
) -> None:
    create_type(client, KEY, schema=SCHEMA)
    sent = event(as_list({**BASE, "totl": 3}))
    assert codes(validate(sent)) == [("unknown_param", "warning")]
    set_config(client, KEY, validationMode="strict")
    assert codes(validate(sent)) == [("unknown_param", "error")]
    assert codes(validate(sent, mode="lenient")) == [("unknown_param", "warning")]
    set_config(client, None, validationMode="strict")
    set_config(client, KEY, validationMode="lenient")
    assert codes(validate(sent)) == [("unknown_param", "warning")]


def test_closed_schema_rejects_unknown_params_in_both_modes(
    validate: Validate, client: Any
) -> None:
    create_type(
        client,
        "closed",
        schema={"type": "object", "properties": {"amount": {}}, "additionalProperties": False},
    )
    sent = {"eventTypeKey": "closed", "keyValue": "k", "params": {"amout": 1}}
    for mode in ("strict", "lenient"):
        violation = only(validate(sent, mode=mode), "unknown_param")
        assert (violation["severity"], violation["suggestion"]) == ("error", "amount")
        assert "the schema allows no other params" in violation["message"]


def test_invalid_mode_query_is_a_problem(client: Any) -> None:
    r = client.post("/validate?mode=loose", json=event(BASE))
    assert_problem(r, 422, "invalid_request")
