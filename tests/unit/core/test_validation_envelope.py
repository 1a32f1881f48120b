"""Envelope rules (no schema): eventTypeKey, keyValue, params shape, contact, size, samples."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import msgspec
import pytest

from registry.core.validation import (
    EnvelopeRules,
    ValidationOptions,
    Violation,
    event_type_key_of,
    validate_event,
)

EVENTS = Path(__file__).resolve().parents[2] / "data" / "events"
NO_CONTACT = ValidationOptions(envelope=EnvelopeRules(contact=False))


def run(event: Any, **kwargs: Any) -> list[Violation]:
    return validate_event(event, schema=None, **kwargs)


def codes(violations: list[Violation], severity: str | None = "error") -> list[str]:
    return sorted(v.code for v in violations if severity is None or v.severity == severity)


def one(violations: list[Violation], code: str) -> Violation:
    found = [v for v in violations if v.code == code]
    assert len(found) == 1, violations
    return found[0]


@pytest.mark.parametrize("path", sorted((EVENTS / "valid").glob("*.json")), ids=lambda p: p.stem)
def test_sample_events_have_no_errors(path: Path) -> None:
    event = json.loads(path.read_text())
    options = NO_CONTACT if path.stem.startswith("ex9-sdk") else ValidationOptions()
    assert codes(run(event, options=options)) == []


def test_sdk_items_without_batch_identity_miss_a_contact() -> None:
    event = json.loads((EVENTS / "valid" / "ex9-sdk-screen-view.json").read_text())
    assert codes(run(event)) == ["missing_contact_identifier"]


@pytest.mark.parametrize("path", sorted((EVENTS / "invalid").glob("*.json")), ids=lambda p: p.stem)
def test_should_fail_set(path: Path) -> None:
    case = json.loads(path.read_text())
    assert codes(run(case["event"])) == case["expect"]


def test_valid_event_returns_empty_list() -> None:
    event = {
        "eventTypeKey": "E",
        "keyValue": "k",
        "params": [{"name": "a", "value": 1}],
        "version": 2,
        "sampleId": "s",
    }
    assert run(event) == []


@pytest.mark.parametrize(
    ("key", "fragment", "position"),
    [
        ("bad?key", "'?' at index 3", 3),
        ("a<b", "'<' at index 1", 1),
        ("it\u2019s", "index 2", 2),
        ("x/y", "'/' at index 1", 1),
        ("semi;", "';' at index 4", 4),
        ("back`tick", "'`' at index 4", 4),
    ],
)
def test_event_type_key_forbidden_characters(key: str, fragment: str, position: int) -> None:
    found = one(run({"eventTypeKey": key, "keyValue": "k"}), "invalid_event_type_key")
    assert found.path == "/eventTypeKey"
    assert fragment in found.message
    assert found.position == position


@pytest.mark.parametrize(
    ("event", "fragment"),
    [
        ({"keyValue": "k"}, "required"),
        ({"eventTypeKey": 5, "keyValue": "k"}, "must be a string"),
        ({"eventTypeKey": None, "keyValue": "k"}, "must be a string"),
        ({"eventTypeKey": "", "keyValue": "k"}, "must not be empty"),
        ({"eventTypeKey": "x" * 101, "keyValue": "k"}, "101 characters"),
    ],
)
def test_event_type_key_shape(event: dict[str, Any], fragment: str) -> None:
    found = one(run(event), "invalid_event_type_key")
    assert fragment in found.message
    assert found.severity == "error"


def test_event_type_key_of_100_chars_and_spaces_is_fine() -> None:
    assert run({"eventTypeKey": "x" * 100, "keyValue": "k"}) == []
    assert run({"eventTypeKey": "Registration form", "keyValue": "k"}) == []


def test_event_type_key_rule_can_be_switched_off() -> None:
    options = ValidationOptions(envelope=EnvelopeRules(event_type_key=False))
    assert run({"eventTypeKey": "bad?", "keyValue": "k"}, options=options) == []


def test_numeric_key_value_is_a_warning() -> None:
    found = run({"eventTypeKey": "E", "keyValue": 1730538000})
    assert codes(found) == []
    assert codes(found, "warning") == ["invalid_key_value"]


@pytest.mark.parametrize(
    ("value", "fragment"),
    [("k" * 301, "301 characters"), ("a,b", "','"), (True, "string"), ([], "string")],
)
def test_bad_key_value_is_an_error(value: object, fragment: str) -> None:
    found = one(
        run(
            {
                "eventTypeKey": "E",
                "keyValue": value,
                "params": [{"name": "email", "value": "a@b.c"}],
            }
        ),
        "invalid_key_value",
    )
    assert found.severity == "error"
    assert found.path == "/keyValue"
    assert fragment in found.message


def test_key_value_rule_can_be_switched_off() -> None:
    options = ValidationOptions(envelope=EnvelopeRules(key_value=False))
    assert run({"eventTypeKey": "E", "keyValue": "a,b"}, options=options) == []


@pytest.mark.parametrize(
    "params",
    [
        [{"name": "contactId", "value": "123"}],
        [{"name": "Contact_id", "value": 123}],
        [{"name": "externalCustomerId", "value": "c-1"}],
        [{"name": "EXTERNALCUSTOMERID", "value": "c-1"}],
        [{"name": "Email", "value": "a@example.org"}],
        [{"name": "EmailAddress", "value": "a@example.org"}],
        [{"name": "UserEmail", "value": "a@example.org"}],
        [{"name": "ContactEmail", "value": "a@example.org"}],
        [{"name": "phone", "value": "+380501234567"}],
        [{"name": "SMS", "value": "+380501234567"}],
        [{"name": "PhoneNumber", "value": "+380501234567"}],
        [{"name": "pushToken", "value": "tok"}],
        [
            {"name": "externalCustomerId", "value": "null"},
            {"name": "email", "value": "a@example.org"},
        ],
    ],
)
def test_contact_identifier_params(params: list[dict[str, Any]]) -> None:
    assert run({"eventTypeKey": "E", "params": params}) == []
    assert run({"eventTypeKey": "E", "params": {p["name"]: p["value"] for p in params}}) == []


@pytest.mark.parametrize("value", ["", " ", "null", None])
def test_null_like_external_customer_id_does_not_count(value: object) -> None:
    found = one(
        run({"eventTypeKey": "E", "params": [{"name": "externalCustomerId", "value": value}]}),
        "missing_contact_identifier",
    )
    assert found.path == ""
    assert "externalCustomerId" in found.message


@pytest.mark.parametrize(
    "event",
    [
        {"eventTypeKey": "E"},
        {"eventTypeKey": "E", "params": []},
        {"eventTypeKey": "E", "keyValue": " "},
        {"eventTypeKey": "E", "params": [{"name": "contactKey", "value": "k"}]},
    ],
)
def test_missing_contact(event: dict[str, Any]) -> None:
    assert codes(run(event)) == ["missing_contact_identifier"]


def test_contact_rule_can_be_switched_off_and_base_path_prefixes() -> None:
    assert run({"eventTypeKey": "E"}, options=NO_CONTACT) == []
    assert (
        one(run({"eventTypeKey": "E"}, base_path="/events/3"), "missing_contact_identifier").path
        == "/events/3"
    )


def test_param_entry_rules() -> None:
    event = {
        "eventTypeKey": "E",
        "keyValue": "k",
        "params": [
            {"name": "a", "value": 1},
            {"name": "a", "value": 2},
            {"name": "b"},
            {"name": "n" * 101, "value": 1},
            "junk",
            {"value": 1},
            {"name": 5, "value": 1},
        ],
    }
    found = run(event)
    assert [(v.code, v.path) for v in found] == [
        ("duplicate_param", "/params/1/name"),
        ("missing_param_value", "/params/2"),
        ("param_name_too_long", "/params/3/name"),
        ("invalid_params", "/params/4"),
        ("invalid_params", "/params/5/name"),
        ("invalid_params", "/params/6/name"),
    ]
    assert [v.param for v in found[:3]] == ["a", "b", "n" * 101]


def test_param_name_rules_can_be_switched_off() -> None:
    options = ValidationOptions(envelope=EnvelopeRules(param_names=False))
    event = {
        "eventTypeKey": "E",
        "keyValue": "k",
        "params": [{"name": "a", "value": 1}, {"name": "a", "value": 2}, {"name": "b"}],
    }
    assert run(event, options=options) == []


def test_object_params_long_name() -> None:
    found = one(
        run({"eventTypeKey": "E", "keyValue": "k", "params": {"n" * 101: 1}}), "param_name_too_long"
    )
    assert found.path == "/params/" + "n" * 101


def test_object_params_empty_name_is_invalid_as_in_the_list_form() -> None:
    for params, path in (
        ({"": 1, "email": "a@b.c"}, "/params/"),
        ([{"name": "", "value": 1}], "/params/0/name"),
    ):
        found = one(run({"eventTypeKey": "E", "params": params}), "invalid_params")
        assert found.path == path


@pytest.mark.parametrize("params", ["x", 5, True])
def test_params_of_wrong_shape(params: object) -> None:
    assert (
        one(run({"eventTypeKey": "E", "keyValue": "k", "params": params}), "invalid_params").path
        == "/params"
    )


def test_unknown_top_level_member_is_a_warning_with_suggestion() -> None:
    found = one(run({"eventTypeKey": "E", "keyValue": "k", "parameters": []}), "unknown_member")
    assert found.severity == "warning"
    assert found.suggestion == "params"
    assert found.path == "/parameters"


@pytest.mark.parametrize(
    "occurred",
    ["2023-03-22T14:30", "2023-01-05", "2024-11-02T09:15:00.123Z", "2024-11-02T09:15:00+02:00"],
)
def test_occurred_formats(occurred: str) -> None:
    assert run({"eventTypeKey": "E", "keyValue": "k", "occurred": occurred}) == []


@pytest.mark.parametrize("occurred", ["22.03.2023", 1730538000, "2023-03-22T14"])
def test_bad_occurred(occurred: object) -> None:
    assert codes(run({"eventTypeKey": "E", "keyValue": "k", "occurred": occurred})) == [
        "invalid_occurred"
    ]


def test_payload_too_large() -> None:
    event = {"eventTypeKey": "E", "keyValue": "k"}
    found = one(run(event, body_size=20_481), "payload_too_large")
    assert (found.expected, found.actual, found.path) == (20_480, 20_481, "")
    assert run(event, body_size=20_480) == []
    assert (
        run(
            event,
            body_size=10**6,
            options=ValidationOptions(envelope=EnvelopeRules(body_size=False)),
        )
        == []
    )
    assert run(event, body_size=101, options=ValidationOptions(max_body_bytes=100)) != []


@pytest.mark.parametrize("event", [None, [], "x", 5])
def test_not_an_object(event: object) -> None:
    assert codes(run(event, base_path="/events/0")) == ["malformed_event"]


def test_event_type_key_of() -> None:
    assert event_type_key_of({"eventTypeKey": "E"}) == "E"
    assert event_type_key_of({"eventTypeKey": 5}) is None
    assert event_type_key_of([]) is None


def test_violations_are_sorted_and_encode_camel_case() -> None:
    found = run({"eventTypeKey": "bad?", "params": [{"name": "x"}] * 12})
    paths = [v.path for v in found]
    assert paths.index("/params/2") < paths.index("/params/10")
    body = msgspec.json.decode(msgspec.json.encode(found[0]))
    assert set(body) <= {
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
