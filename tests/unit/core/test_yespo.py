"""Pure Yespo dry-run rules (registry/core/yespo.py) and inspection values (core/inspection.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from registry.core import yespo
from registry.core.errors import InvalidRequest
from registry.core.inspection import (
    Masker,
    RetentionPolicy,
    check_run_id,
    cutoff,
    normalise_since,
    parse_cursor,
    parse_mask_fields,
)

NOW = dt.datetime(2024, 11, 2, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("occurred", "status"),
    [
        ("2023-03-22T14:30", "ACCEPTED"),
        ("2023-01-05", "ACCEPTED"),
        (None, "OCCURRED_DATE_IS_REQUIRED"),
        ("", "OCCURRED_DATE_IS_REQUIRED"),
        ("22.03.2023", "INCORRECT_OCCURRED_DATE_FORMAT"),
        ("2023-03-22T14:30:00", "INCORRECT_OCCURRED_DATE_FORMAT"),
        ("2023-02-30", "INCORRECT_OCCURRED_DATE_FORMAT"),
        (20230322, "INCORRECT_OCCURRED_DATE_FORMAT"),
        ("2024-11-03T01:59", "ACCEPTED"),  # still the past somewhere (UTC+14)
        ("2024-11-03T02:01", "OCCURRED_TIME_IN_FUTURE"),
        ("2999-01-01", "OCCURRED_TIME_IN_FUTURE"),
    ],
)
def test_occurred_status(occurred: object, status: str) -> None:
    assert yespo.occurred_status(occurred, now=NOW) == status


def test_past_event_needs_key_value() -> None:
    status, found = yespo.past_event_problems(
        {"eventTypeKey": "E", "occurred": "2023-01-05"}, 3, now=NOW
    )
    assert status == "KEY_VALUE_IS_REQUIRED"
    assert [(v.code, v.path) for v in found] == [("key_value_required", "/events/3/keyValue")]


def test_past_event_occurred_status_wins_over_missing_key_value() -> None:
    status, found = yespo.past_event_problems({"eventTypeKey": "E"}, 0, now=NOW)
    assert status == "OCCURRED_DATE_IS_REQUIRED"
    assert {v.code for v in found} == {"occurred_required", "key_value_required"}


def test_accepted_past_event_has_no_problems() -> None:
    event = {"eventTypeKey": "E", "keyValue": "k", "occurred": "2023-03-22T14:30"}
    assert yespo.past_event_problems(event, 0, now=NOW) == ("ACCEPTED", [])


@pytest.mark.parametrize(
    ("body", "fmt", "codes"),
    [
        ({"events": []}, "past_events_v2", []),
        ([], "past_events_v2", ["invalid_batch"]),
        ({"events": {}}, "past_events_v1", ["invalid_batch"]),
        ({"events": [{}] * 501}, "past_events_v2", ["too_many_events"]),
        ({"events": [{}] * 500}, "past_events_v2", []),
        ({"events": [1, {}]}, "past_events_v2", ["invalid_batch"]),
        ({"deviceId": "d", "events": [{}] * 600}, "mobile", []),
        ({"events": []}, "mobile", ["invalid_batch"]),
        ({"deviceId": " ", "events": []}, "mobile", ["invalid_batch"]),
    ],
)
def test_batch_problems(body: object, fmt: yespo.Format, codes: list[str]) -> None:
    assert [v.code for v in yespo.batch_problems(body, fmt)] == codes


def test_parameters_is_an_alias_of_params() -> None:
    event = {"eventTypeKey": "E", "parameters": [{"name": "email", "value": "a@b.c"}]}
    normalised, found = yespo.normalise_event(event, "v1")
    assert normalised == {"eventTypeKey": "E", "params": event["parameters"]}
    assert [(v.code, v.severity) for v in found] == [("params_alias", "warning")]
    assert "parameters" in event  # the input is untouched


def test_params_object_is_refused_on_yespo_paths_but_not_on_validate() -> None:
    event = {"eventTypeKey": "E", "params": {"email": "a@b.c"}}
    assert [v.code for v in yespo.normalise_event(event, "v2")[1]] == ["invalid_params"]
    assert yespo.normalise_event(event, "validate")[1] == []


def test_v1_values_should_be_strings() -> None:
    event = {
        "eventTypeKey": "E",
        "params": [{"name": "n", "value": 3}, {"name": "s", "value": "x"}],
    }
    found = yespo.normalise_event(event, "v1", "/events/0")[1]
    assert [(v.code, v.path, v.param) for v in found] == [
        ("v1_value_not_string", "/events/0/params/0/value", "n")
    ]
    assert yespo.normalise_event(event, "v2")[1] == []


def test_yespo_validation_text_is_the_documented_format() -> None:
    schema = {"properties": {"orderId": {}, "coupon": {}}, "required": ["orderId", "extra"]}
    text = yespo.validation_error_text(yespo.required_structure(schema))
    assert text == (
        "The event should have the following params: "
        '[{"name":"orderId","required":true},{"name":"coupon","required":false},'
        '{"name":"extra","required":true}]'
    )
    assert yespo.required_structure(True) == []


# -- inspection values ------------------------------------------------------------------------


def test_masker_hides_params_members_and_json_text() -> None:
    masker = Masker(parse_mask_fields("email, Phone ,contactJson"))
    payload = {
        "eventTypeKey": "E",
        "keyValue": "k",
        "params": [
            {"name": "EMAIL", "value": "a@example.org"},
            {"name": "json", "value": '{"phone": "+380501234567", "x": 1}'},
            {"name": "contactJson", "value": '{"firstname": "Ann"}'},
            {"name": "kept", "value": "visible"},
        ],
        "nested": {"user": {"Phone": 380501234567, "city": "Kyiv"}},
    }
    masked, hidden = masker.mask(payload)
    params = masked["params"]
    assert params[0] == {"name": "EMAIL", "value": "***"}
    assert params[1]["value"] == '{"phone":"***","x":1}'
    assert params[2]["value"] == "***"
    assert params[3]["value"] == "visible"
    assert masked["nested"]["user"] == {"Phone": "***", "city": "Kyiv"}
    assert payload["params"][0]["value"] == "a@example.org"  # input untouched
    assert {"a@example.org", "+380501234567", "380501234567"} <= hidden


def test_masker_scrubs_hidden_values_from_reports() -> None:
    masker = Masker({"email"})
    _, hidden = masker.mask({"email": 'bad"mail@example.org'})
    message = 'param \'email\' must match, got string "bad\\"mail@example.org"'
    report = {"errors": [{"message": message,
                          "actual": 'bad"mail@example.org', "expected": 3}]}  # fmt: skip
    scrubbed = masker.scrub(report, hidden)
    assert "example.org" not in str(scrubbed)
    assert scrubbed["errors"][0]["actual"] == "***"
    assert scrubbed["errors"][0]["expected"] == 3


def test_no_mask_fields_means_nothing_is_hidden() -> None:
    payload = {"email": "a@example.org", "p": '{"email": "x"}'}
    assert Masker(parse_mask_fields("")).mask(payload) == (payload, set())


def test_retention_cutoff_and_since() -> None:
    policy = RetentionPolicy(max_age_days=730)
    assert cutoff("2026-01-01T00:00:00.000Z", policy) == "2024-01-02T00:00:00.000Z"
    assert normalise_since("2026-01-01T02:00:00+02:00") == "2026-01-01T00:00:00.000Z"
    assert normalise_since("2026-01-01") == "2026-01-01T00:00:00.000Z"
    with pytest.raises(InvalidRequest):
        normalise_since("yesterday")


def test_cursor_and_run_id_checks() -> None:
    assert parse_cursor("42") == 42
    assert parse_cursor(None) is None
    with pytest.raises(InvalidRequest):
        parse_cursor("²")
    assert check_run_id("") is None
    assert check_run_id("ci-42") == "ci-42"
    with pytest.raises(InvalidRequest):
        check_run_id("x" * 201)
    with pytest.raises(InvalidRequest):
        check_run_id("bad\nid")
