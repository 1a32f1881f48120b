"""Schema evolution over HTTP: registration enforces the level and the policy.

Every test goes through the HTTP API. Histories that would themselves break the level are
registered under NONE first (``api.registered``), then the level under test is set.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.schemas import (
    CANDIDATE,
    CHANGES,
    CLOSED,
    CLOSED_OPTIONAL_ADDED,
    HISTORY,
    INT,
    OPTIONAL_ADDED,
    STR,
    V1,
    B,
    F,
)
from tests.api.support import LEVELS, POLICIES, Api, assert_problem, obj


@pytest.fixture
def api(shared_api: Api) -> Api:
    """One app for the module: no test here touches the registry-wide config."""
    return shared_api


@pytest.fixture
def order(api: Api) -> str:
    return api.new_type()


def codes(findings: list[dict[str, Any]]) -> list[str]:
    return [f["code"] for f in findings]


# -- registration enforces the level ------------------------------------------------------------


def test_required_param_added_is_refused_under_backward(api: Api, order: str) -> None:
    api.register(order, V1)
    r = api.register(order, obj({"orderId": STR}, required=["orderId"]))
    body = assert_problem(r, 409, "schema_incompatible")
    assert body["conflictsWithVersion"] == 1
    assert body["findings"] == [
        {
            "code": "required_added",
            "path": "/required",
            "direction": "BACKWARD",
            "message": "'orderId' is now required: old payloads without it are rejected",
            "newValue": "orderId",
            "version": 1,
        }
    ]
    assert "BACKWARD" in body["detail"]
    assert "version 1" in body["detail"]
    assert body["type"].endswith("#error-schema-incompatible")
    assert body["title"] == "Schema is incompatible"


def test_refusal_lists_every_finding_not_only_the_first(api: Api, order: str) -> None:
    api.register(order, obj({"orderId": STR, "total": {"type": "number"}}))
    new = obj({"orderId": {"type": "string", "maxLength": 10}, "total": INT}, required=["total"])
    body = assert_problem(api.register(order, new), 409, "schema_incompatible")
    assert sorted(codes(body["findings"])) == [
        "max_length_added",
        "required_added",
        "type_narrowed",
    ]
    by_code = {f["code"]: f for f in body["findings"]}
    assert by_code["max_length_added"]["path"] == "/properties/orderId/maxLength"
    assert by_code["max_length_added"]["newValue"] == 10
    assert by_code["type_narrowed"]["path"] == "/properties/total/type"
    assert by_code["type_narrowed"]["oldValue"] == "number"
    assert by_code["type_narrowed"]["newValue"] == "integer"
    assert all(f["direction"] == "BACKWARD" and f["version"] == 1 for f in body["findings"])


def test_refused_schema_stores_nothing(api: Api, order: str) -> None:
    api.register(order, V1)
    api.register(order, obj({"orderId": INT}))
    assert [v["version"] for v in api.versions(order)] == [1]
    assert_problem(api.client.get(f"/event-types/{order}/versions/2"), 404, "version_not_found")


def test_param_list_form_is_checked_like_a_schema(api: Api, order: str) -> None:
    api.register(order, params=[{"name": "orderId", "type": "string"}])
    r = api.register(order, params=[{"name": "orderId", "type": "string", "required": True}])
    assert codes(assert_problem(r, 409, "schema_incompatible")["findings"]) == ["required_added"]


def test_first_version_is_never_refused(api: Api, order: str) -> None:
    api.configure(order, compatibility="FULL_TRANSITIVE")
    assert api.register(order, obj({"x": INT}, required=["x"])).status_code == 201


ACCEPTS = {
    "NONE": lambda breaks: True,
    "BACKWARD": lambda breaks: B not in breaks,
    "FORWARD": lambda breaks: F not in breaks,
    "FULL": lambda breaks: not breaks,
}


@pytest.mark.parametrize("level", list(ACCEPTS))
@pytest.mark.parametrize(("old", "new", "breaks"), [pytest.param(*c[1:], id=c[0]) for c in CHANGES])
def test_each_level_accepts_exactly_the_changes_that_do_not_break_its_directions(
    api: Api, order: str, level: str, old: Any, new: Any, breaks: set[str]
) -> None:
    api.configure(order, compatibility=level)
    api.register(order, old)
    r = api.register(order, new)
    if ACCEPTS[level](breaks):
        assert r.status_code == 201, r.text
        assert r.json()["version"] == 2
    else:
        body = assert_problem(r, 409, "schema_incompatible")
        wanted = {B, F} & breaks if level == "FULL" else {level}
        assert {f["direction"] for f in body["findings"]} == wanted


# -- transitive levels on a three-version history ----------------------------------------------


@pytest.fixture
def history(api: Api, order: str) -> str:
    api.registered(order, *HISTORY)
    return order


@pytest.mark.parametrize("level", LEVELS)
def test_only_transitive_levels_catch_a_conflict_with_an_older_version(
    api: Api, history: str, level: str
) -> None:
    api.configure(history, compatibility=level)
    result = api.dry_run(history, CANDIDATE).json()
    transitive = level.endswith("_TRANSITIVE")
    assert result["level"] == level
    assert result["compatible"] is not transitive
    assert result["checkedVersions"] == (
        [] if level == "NONE" else [1, 2, 3] if transitive else [3]
    )
    assert result["conflictsWith"] == (1 if transitive else None)
    assert {f["version"] for f in result["findings"]} == ({1} if transitive else set())


@pytest.mark.parametrize("level", LEVELS)
def test_registration_agrees_with_the_dry_run_on_the_history(
    api: Api, history: str, level: str
) -> None:
    api.configure(history, compatibility=level)
    r = api.register(history, CANDIDATE)
    if level.endswith("_TRANSITIVE"):
        body = assert_problem(r, 409, "schema_incompatible")
        assert body["conflictsWithVersion"] == 1
        assert codes(body["findings"])[0] == "type_changed"
    else:
        assert (r.status_code, r.json()["version"]) == (201, 4)


def test_full_transitive_reports_both_directions_of_the_old_conflict(
    api: Api, history: str
) -> None:
    api.configure(history, compatibility="FULL_TRANSITIVE")
    findings = api.dry_run(history, CANDIDATE).json()["findings"]
    assert [(f["code"], f["direction"], f["version"]) for f in findings] == [
        ("type_changed", "BACKWARD", 1),
        ("type_changed", "FORWARD", 1),
    ]
    assert findings[0]["path"] == "/properties/orderId/type"


@pytest.mark.parametrize("level", ["BACKWARD_TRANSITIVE", "FORWARD_TRANSITIVE", "FULL_TRANSITIVE"])
def test_disabled_versions_are_skipped_by_transitive_checks(
    api: Api, history: str, level: str
) -> None:
    api.configure(history, compatibility=level)
    assert api.set_state(history, 1, state="disabled").status_code == 200
    result = api.dry_run(history, CANDIDATE).json()
    assert (result["compatible"], result["checkedVersions"]) == (True, [2, 3])
    assert api.register(history, CANDIDATE).status_code == 201


def test_deprecated_versions_still_take_part_in_transitive_checks(api: Api, history: str) -> None:
    api.configure(history, compatibility="BACKWARD_TRANSITIVE")
    api.set_state(history, 1, state="deprecated")
    assert api.dry_run(history, CANDIDATE).json()["conflictsWith"] == 1


def test_non_transitive_level_checks_the_newest_version_that_is_not_disabled(
    api: Api, order: str
) -> None:
    api.registered(order, obj({"orderId": STR}), obj({"orderId": INT}))
    api.configure(order, compatibility="BACKWARD")
    back_to_string = obj({"orderId": STR}, title="again")
    assert api.dry_run(order, back_to_string).json()["conflictsWith"] == 2
    api.set_state(order, 2, state="disabled")
    result = api.dry_run(order, back_to_string).json()
    assert (result["compatible"], result["checkedVersions"]) == (True, [1])


# -- policies -----------------------------------------------------------------------------------

POLICY_CASES = [
    # (id, level, old, new, {policy: compatible?})
    ("optional_added_to_open_backward", B, V1, OPTIONAL_ADDED, {"STRICT": False, "LENIENT": True}),
    (
        "optional_removed_from_open_forward",
        F,
        OPTIONAL_ADDED,
        V1,
        {"STRICT": False, "LENIENT": True},
    ),
    (
        "optional_removed_from_open_backward",
        B,
        OPTIONAL_ADDED,
        V1,
        {"STRICT": True, "LENIENT": True},
    ),
    (
        "optional_added_to_closed_backward",
        B,
        CLOSED,
        CLOSED_OPTIONAL_ADDED,
        {"STRICT": True, "LENIENT": True},
    ),
    ("open_model_closed_backward", B, V1, CLOSED, {"STRICT": False, "LENIENT": True}),
    (
        "required_added_backward",
        B,
        V1,
        obj({"orderId": STR}, required=["orderId"]),
        {"STRICT": False, "LENIENT": False},
    ),
]


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize(
    ("level", "old", "new", "verdicts"), [pytest.param(*c[1:], id=c[0]) for c in POLICY_CASES]
)
def test_policy_decides_undeclared_property_changes(
    api: Api, order: str, policy: str, level: str, old: Any, new: Any, verdicts: dict[str, bool]
) -> None:
    api.configure(order, compatibility=level, policy=policy)
    api.register(order, old)
    r = api.register(order, new)
    assert r.status_code == (201 if verdicts[policy] else 409), r.text


def test_optional_param_added_to_open_schema_is_refused_under_strict(api: Api, order: str) -> None:
    api.register(order, V1)
    body = assert_problem(api.register(order, OPTIONAL_ADDED), 409, "schema_incompatible")
    [finding] = body["findings"]
    assert finding["code"] == "property_added_to_open_model"
    assert finding["path"] == "/properties/coupon"
    assert finding["newValue"] == STR
    assert "open content model" in finding["message"]


def test_optional_param_added_to_open_schema_is_accepted_under_lenient(
    api: Api, order: str
) -> None:
    api.configure(order, policy="LENIENT")
    api.register(order, V1)
    r = api.register(order, OPTIONAL_ADDED)
    assert (r.status_code, r.json()["version"]) == (201, 2)
