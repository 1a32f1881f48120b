"""Levels, directions, findings on the wire, and ``check_against`` over a version history."""

from __future__ import annotations

import msgspec
import pytest

from registry.core.compatibility import (
    Change,
    CompatibilityResult,
    Direction,
    Finding,
    Level,
    Policy,
    check,
    check_against,
)

B, F = Direction.BACKWARD, Direction.FORWARD


@pytest.mark.parametrize(
    ("level", "directions", "transitive"),
    [
        (Level.NONE, set(), False),
        (Level.BACKWARD, {B}, False),
        (Level.BACKWARD_TRANSITIVE, {B}, True),
        (Level.FORWARD, {F}, False),
        (Level.FORWARD_TRANSITIVE, {F}, True),
        (Level.FULL, {B, F}, False),
        (Level.FULL_TRANSITIVE, {B, F}, True),
    ],
)
def test_level_directions_and_transitivity(
    level: Level, directions: set[Direction], transitive: bool
) -> None:
    assert level.directions == directions
    assert level.transitive is transitive


def test_enum_values_are_confluent_names() -> None:
    assert [lv.value for lv in Level] == [
        "NONE",
        "BACKWARD",
        "BACKWARD_TRANSITIVE",
        "FORWARD",
        "FORWARD_TRANSITIVE",
        "FULL",
        "FULL_TRANSITIVE",
    ]
    assert Level("FULL") is Level.FULL
    assert Policy("LENIENT") is Policy.LENIENT


def test_change_breaking_both_ways_gives_one_finding_per_direction_at_full() -> None:
    findings = check({"type": "string"}, {"type": "number"}, level=Level.FULL)
    assert [(f.code, f.direction) for f in findings] == [("type_changed", B), ("type_changed", F)]


def test_none_checks_nothing() -> None:
    assert check({"type": "string"}, {"type": "number"}, level=Level.NONE) == []
    result = check_against(
        {"type": "number"}, [(1, {"type": "string"})], level=Level.NONE, policy=Policy.STRICT
    )
    assert result == CompatibilityResult(True, Level.NONE, Policy.STRICT, [], [], None)


HISTORY = [(1, {"maxLength": 10}), (2, {"maxLength": 5}), (3, {"maxLength": 8})]


def test_non_transitive_checks_only_the_latest_version() -> None:
    result = check_against({"maxLength": 7}, HISTORY, level=Level.BACKWARD, policy=Policy.STRICT)
    assert result.checked_versions == [3]
    assert result.conflicts_with == 3
    assert [(f.code, f.version) for f in result.findings] == [("max_length_decreased", 3)]


def test_transitive_checks_every_version_and_names_the_first_conflict() -> None:
    result = check_against(
        {"maxLength": 7}, HISTORY, level=Level.BACKWARD_TRANSITIVE, policy=Policy.STRICT
    )
    assert not result.compatible
    assert result.checked_versions == [1, 2, 3]
    assert result.conflicts_with == 1
    assert [f.version for f in result.findings] == [1, 3]


def test_transitive_compatible_history() -> None:
    result = check_against(
        {"maxLength": 20}, HISTORY, level=Level.BACKWARD_TRANSITIVE, policy=Policy.STRICT
    )
    assert result.compatible
    assert result.findings == []
    assert result.conflicts_with is None


def test_no_previous_versions_is_compatible() -> None:
    result = check_against(
        {"type": "string"}, [], level=Level.FULL_TRANSITIVE, policy=Policy.STRICT
    )
    assert result.compatible
    assert result.checked_versions == []


def test_wire_shape_is_camel_case_and_omits_defaults() -> None:
    result = check_against(
        {"maxLength": 3}, [(4, {"maxLength": 5})], level=Level.BACKWARD, policy=Policy.STRICT
    )
    wire = msgspec.json.decode(msgspec.json.encode(result))
    assert wire == {
        "compatible": False,
        "level": "BACKWARD",
        "policy": "STRICT",
        "findings": [
            {
                "code": "max_length_decreased",
                "path": "/maxLength",
                "direction": "BACKWARD",
                "message": wire["findings"][0]["message"],
                "oldValue": 5,
                "newValue": 3,
                "version": 4,
            }
        ],
        "checkedVersions": [4],
        "conflictsWith": 4,
    }
    assert msgspec.json.decode(msgspec.json.encode(result), type=CompatibilityResult) == result


def test_change_and_finding_round_trip() -> None:
    change = Change("required_added", "/required", "m", True, False, new_value="a")
    assert msgspec.json.decode(msgspec.json.encode(change), type=Change) == change
    assert b"breaksBackward" in msgspec.json.encode(change)
    finding = Finding("required_added", "/required", B, "m")
    assert (
        msgspec.json.encode(finding)
        == b'{"code":"required_added","path":"/required","direction":"BACKWARD","message":"m"}'
    )


def test_diff_of_non_schema_values_is_treated_as_empty_schema() -> None:
    assert check(None, {"type": "string"}) != []
    assert check({"type": "string"}, None) == []
