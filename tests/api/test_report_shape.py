"""The report shape is a published contract: openapi.yaml's components pin it, tests pin those.

Real /validate responses (valid, several errors, a composition failure with nested errors) are
validated against the ``Report`` component with the ``jsonschema`` library, and the member sets
of ``Report`` and ``Violation`` are pinned in Python and in the document.
"""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from jsonschema import Draft202012Validator

from registry.core.report import Report
from registry.core.validation import Violation
from tests.api.reports import Validate, component_validator, create_type, openapi_components

VIOLATION_MEMBERS = {
    "code",
    "severity",
    "path",
    "message",
    "param",
    "keyword",
    "schemaPath",
    "expected",
    "actual",
    "allowed",
    "suggestion",
    "coercible",
    "coercedValue",
    "position",
    "branch",
    "errors",
}
VIOLATION_REQUIRED = {"code", "severity", "path", "message"}
REPORT_MEMBERS = {"valid", "eventTypeKey", "version", "schemaId", "errors", "warnings"}

SCHEMA = {
    "type": "object",
    "required": ["orderId"],
    "properties": {
        "orderId": {"type": "string"},
        "total": {"type": "number", "minimum": 0},
        "status": {"enum": ["INITIALIZED", "DELIVERED"]},
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
    },
}


@pytest.fixture
def order(client: Any) -> str:
    create_type(client, "orderCreated", schema=SCHEMA)
    return "orderCreated"


def test_violation_members_are_pinned() -> None:
    assert set(Violation.__struct_encode_fields__) == VIOLATION_MEMBERS
    assert set(openapi_components()["Violation"]["properties"]) == VIOLATION_MEMBERS
    assert set(openapi_components()["Violation"]["required"]) == VIOLATION_REQUIRED


def test_report_members_are_pinned() -> None:
    assert set(Report.__struct_encode_fields__) == {*REPORT_MEMBERS, "violationsCapped"}
    assert set(openapi_components()["Report"]["properties"]) == {
        *REPORT_MEMBERS,
        "violationsCapped",
    }
    assert set(openapi_components()["Report"]["required"]) == REPORT_MEMBERS
    assert openapi_components()["Report"]["properties"]["violationsCapped"]["type"] == "boolean"


def test_component_schemas_are_precise() -> None:
    violation = openapi_components()["Violation"]["properties"]
    assert violation["severity"]["enum"] == ["error", "warning"]
    for member in ("code", "path", "message", "param", "keyword", "schemaPath", "suggestion"):
        assert violation[member]["type"] == "string", member
    for member in ("position", "branch"):
        assert (violation[member]["type"], violation[member]["minimum"]) == ("integer", 0)
    assert violation["coercible"]["type"] == "boolean"
    assert violation["allowed"]["type"] == "array"
    assert all(p.get("description") for p in violation.values())
    report = openapi_components()["Report"]["properties"]
    assert report["valid"]["type"] == "boolean"
    assert report["errors"]["items"] == {"$ref": "#/components/schemas/Violation"}


def test_a_minimal_violation_encodes_exactly_the_required_members() -> None:
    v = Violation(code="no_schema", severity="warning", path="/eventTypeKey", message="m")
    assert set(msgspec.to_builtins(v)) == VIOLATION_REQUIRED


def test_valid_report_conforms(validate: Validate, order: str) -> None:
    report = validate({"eventTypeKey": order, "keyValue": "k", "params": {"orderId": "SO-1"}})
    assert report == {
        "valid": True,
        "eventTypeKey": order,
        "version": 1,
        "schemaId": report["schemaId"],
        "errors": [],
        "warnings": [],
    }
    assert isinstance(report["schemaId"], int)


def test_multi_error_report_conforms(validate: Validate, order: str) -> None:
    event = {
        "eventTypeKey": order,
        "params": [
            {"name": "total", "value": "12.5"},
            {"name": "status", "value": "DELIVERD"},
            {"name": "totl", "value": 1},
            {"name": "total", "value": 3},
        ],
    }
    report = validate(event)
    assert report["valid"] is False
    assert [v["code"] for v in report["errors"]] == [
        "missing_contact_identifier",
        "required_missing",
        "type_mismatch",
        "not_in_enum",
        "duplicate_param",
    ]
    assert [v["code"] for v in report["warnings"]] == ["unknown_param"]
    for violation in report["errors"] + report["warnings"]:
        assert VIOLATION_REQUIRED <= set(violation) <= VIOLATION_MEMBERS


def test_composition_failed_with_nested_errors_conforms(validate: Validate, order: str) -> None:
    report = validate(
        {"eventTypeKey": order, "keyValue": "k", "params": {"orderId": "A", "payment": {"card": 1}}}
    )
    [failed] = report["errors"]
    assert (failed["code"], failed["branch"]) == ("composition_failed", 0)
    assert [(e["code"], e["path"]) for e in failed["errors"]] == [
        ("type_mismatch", "/params/payment/card")
    ]
    component_validator("Violation").validate(failed["errors"][0])


@pytest.mark.parametrize(
    "broken",
    [
        {"valid": True, "eventTypeKey": None, "version": None, "schemaId": None, "errors": []},
        {
            "valid": "yes",
            "eventTypeKey": None,
            "version": None,
            "schemaId": None,
            "errors": [],
            "warnings": [],
        },
    ],
    ids=["missing-warnings", "valid-not-boolean"],
)
def test_the_component_schema_rejects_broken_reports(broken: dict[str, Any]) -> None:
    assert not component_validator("Report").is_valid(broken)


@pytest.mark.parametrize(
    "broken",
    [
        {"code": "x", "severity": "fatal", "path": "", "message": "m"},
        {"code": "x", "severity": "error", "path": ""},
        {"code": "x", "severity": "error", "path": "", "message": "m", "param": None},
        {"code": "x", "severity": "error", "path": "", "message": "m", "position": -1},
        {"code": "Bad Code", "severity": "error", "path": "", "message": "m"},
    ],
    ids=["unknown-severity", "no-message", "null-param", "negative-position", "code-not-snake"],
)
def test_the_component_schema_rejects_broken_violations(broken: dict[str, Any]) -> None:
    validator: Draft202012Validator = component_validator("Violation")
    assert not validator.is_valid(broken)
