"""Schema evolution over HTTP: enforcement on registration, levels, policies, dry-run, diff.

Every test goes through the HTTP API. Histories that would themselves break the level are
registered under NONE first (``api.registered``), then the level under test is set.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.support import LEVELS, POLICIES, Api, assert_problem, obj

STR = {"type": "string"}
INT = {"type": "integer"}
V1 = obj({"orderId": STR})

DRY_RUN_MEMBERS = {
    "compatible",
    "level",
    "policy",
    "findings",
    "checkedVersions",
    "conflictsWith",
    "examples",
}


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


# Each change old -> new, and which levels accept it (non-transitive; one previous version).
B, F = "BACKWARD", "FORWARD"
CHANGES = [
    # (id, old, new, breaks)  where breaks is the set of directions the change breaks
    ("required_param_added", V1, obj({"orderId": STR}, required=["orderId"]), {B}),
    ("required_param_dropped", obj({"orderId": STR}, required=["orderId"]), V1, {F}),
    ("integer_widened_to_number", obj({"n": INT}), obj({"n": {"type": "number"}}), {F}),
    ("number_narrowed_to_integer", obj({"n": {"type": "number"}}), obj({"n": INT}), {B}),
    ("string_became_integer", obj({"n": STR}), obj({"n": INT}), {B, F}),
    ("enum_value_added", obj({"s": {"enum": ["A"]}}), obj({"s": {"enum": ["A", "B"]}}), {F}),
    ("enum_value_removed", obj({"s": {"enum": ["A", "B"]}}), obj({"s": {"enum": ["A"]}}), {B}),
    (
        "max_length_lowered",
        obj({"s": {**STR, "maxLength": 9}}),
        obj({"s": {**STR, "maxLength": 3}}),
        {B},
    ),
    (
        "description_changed",
        obj({"s": STR}, description="a"),
        obj({"s": STR}, description="b"),
        set(),
    ),
]
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

# v1 had orderId as an integer; v2 made it a string (registered under NONE); v3 only retitled.
HISTORY = (obj({"orderId": INT}), obj({"orderId": STR}), obj({"orderId": STR}, title="v3"))
CANDIDATE = obj({"orderId": STR}, title="v4")
"""Compatible with v3 (and v2) in both directions; incompatible with v1 in both."""


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

OPTIONAL_ADDED = obj({"orderId": STR, "coupon": STR})
CLOSED = obj({"orderId": STR}, additionalProperties=False)
CLOSED_OPTIONAL_ADDED = obj({"orderId": STR, "coupon": STR}, additionalProperties=False)
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


# -- dry-run ------------------------------------------------------------------------------------


def test_dry_run_answers_the_documented_shape(api: Api, order: str) -> None:
    api.register(order, V1)
    r = api.dry_run(order, obj({"orderId": INT}))
    assert r.status_code == 200
    body = r.json()
    assert set(body) == DRY_RUN_MEMBERS
    assert body["compatible"] is False
    assert (body["level"], body["policy"]) == ("BACKWARD", "STRICT")
    assert (body["checkedVersions"], body["conflictsWith"]) == ([1], 1)
    assert codes(body["findings"]) == ["type_changed"]
    assert body["examples"] == []


@pytest.mark.parametrize("candidate", [obj({"orderId": INT}), obj({"orderId": STR}, title="x")])
def test_dry_run_stores_nothing(api: Api, order: str, candidate: Any) -> None:
    api.register(order, V1)
    before = api.versions(order)
    assert api.dry_run(order, candidate).status_code == 200
    assert api.versions(order) == before
    assert api.client.get(f"/event-types/{order}/versions/latest").json()["version"] == 1


def test_dry_run_accepts_the_param_list_form(api: Api, order: str) -> None:
    api.register(order, params=[{"name": "orderId", "type": "string"}])
    r = api.client.post(
        f"/event-types/{order}/compatibility",
        json={"params": [{"name": "orderId", "type": "integer"}]},
    )
    assert r.json()["compatible"] is False
    assert codes(r.json()["findings"]) == ["type_changed"]


def test_dry_run_on_a_type_without_versions_is_compatible(api: Api, order: str) -> None:
    body = api.dry_run(order, V1).json()
    assert (body["compatible"], body["checkedVersions"], body["conflictsWith"]) == (True, [], None)


def test_dry_run_of_the_latest_schema_is_compatible_at_every_level(api: Api, history: str) -> None:
    latest = HISTORY[-1]
    for level in LEVELS:
        api.configure(history, compatibility=level)
        body = api.dry_run(history, latest, version="latest").json()
        assert (body["compatible"], body["findings"]) == (True, []), level


def test_dry_run_against_one_version_checks_only_that_version(api: Api, history: str) -> None:
    against_v1 = api.dry_run(history, CANDIDATE, version=1).json()
    assert (against_v1["compatible"], against_v1["checkedVersions"]) == (False, [1])
    assert against_v1["conflictsWith"] == 1
    against_v3 = api.dry_run(history, CANDIDATE, version=3).json()
    assert (against_v3["compatible"], against_v3["checkedVersions"]) == (True, [3])


def test_dry_run_against_one_version_uses_the_non_transitive_form_of_the_level(
    api: Api, history: str
) -> None:
    api.configure(history, compatibility="FULL_TRANSITIVE")
    body = api.dry_run(history, CANDIDATE, version=3).json()
    assert (body["compatible"], body["level"], body["checkedVersions"]) == (True, "FULL", [3])


def test_dry_run_against_latest_resolves_the_newest_version(api: Api, history: str) -> None:
    assert api.dry_run(history, CANDIDATE, version="latest").json()["checkedVersions"] == [3]


def test_dry_run_against_a_disabled_version_is_still_possible(api: Api, history: str) -> None:
    api.set_state(history, 1, state="disabled")
    assert api.dry_run(history, CANDIDATE, version=1).json()["checkedVersions"] == [1]


@pytest.mark.parametrize(
    ("version", "status", "code"),
    [
        (9, 404, "version_not_found"),
        (0, 422, "invalid_request"),
        ("first", 422, "invalid_request"),
    ],
)
def test_dry_run_against_a_missing_or_bad_version(
    api: Api, history: str, version: Any, status: int, code: str
) -> None:
    assert_problem(api.dry_run(history, CANDIDATE, version=version), status, code)


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({}, 422, "invalid_request"),
        ({"schema": V1, "params": []}, 422, "invalid_request"),
        ({"schema": {"type": "strin"}}, 422, "schema_invalid"),
        ({"schema": V1, "dryRun": True}, 422, "invalid_request"),
    ],
)
def test_dry_run_with_a_bad_candidate_is_a_problem(
    api: Api, order: str, body: Any, status: int, code: str
) -> None:
    api.register(order, V1)
    r = api.client.post(f"/event-types/{order}/compatibility", json=body)
    assert_problem(r, status, code)


def test_dry_run_on_an_unknown_type_is_not_found(api: Api) -> None:
    assert_problem(api.dry_run("ghost", V1), 404, "event_type_not_found")
    assert_problem(api.dry_run("ghost", V1, version=1), 404, "event_type_not_found")


# -- diff ---------------------------------------------------------------------------------------


def diff(api: Api, key: str, a: Any, b: Any) -> Any:
    return api.client.get(f"/event-types/{key}/versions/{a}/diff/{b}")


@pytest.mark.parametrize(
    ("old", "new", "breaks"), [pytest.param(*c[1:], id=c[0]) for c in CHANGES if c[3]]
)
def test_diff_classifies_each_change_per_direction_both_ways(
    api: Api, order: str, old: Any, new: Any, breaks: set[str]
) -> None:
    api.registered(order, old, new)
    forward = diff(api, order, 1, 2).json()
    assert (forward["eventTypeKey"], forward["from"], forward["to"]) == (order, 1, 2)
    [change] = forward["changes"]
    assert (change["breaksBackward"], change["breaksForward"]) == (B in breaks, F in breaks)
    [reverse] = diff(api, order, 2, 1).json()["changes"]
    assert (reverse["breaksBackward"], reverse["breaksForward"]) == (F in breaks, B in breaks)


def test_diff_names_the_change_where_it_happened(api: Api, order: str) -> None:
    api.registered(order, V1, obj({"orderId": STR}, required=["orderId"]))
    assert diff(api, order, 1, 2).json()["changes"] == [
        {
            "code": "required_added",
            "path": "/required",
            "message": "'orderId' is now required: old payloads without it are rejected",
            "breaksBackward": True,
            "breaksForward": False,
            "newValue": "orderId",
        }
    ]
    assert [c["code"] for c in diff(api, order, 2, 1).json()["changes"]] == ["required_removed"]


def test_diff_ignores_annotation_changes(api: Api, order: str) -> None:
    annotated = obj({"orderId": {**STR, "title": "Order"}}, description="an order", title="o")
    api.registered(order, V1, annotated)
    assert diff(api, order, 1, 2).json()["changes"] == []


def test_diff_follows_the_type_policy(api: Api, order: str) -> None:
    api.registered(order, V1, OPTIONAL_ADDED)
    [strict] = diff(api, order, 1, 2).json()["changes"]
    api.configure(order, policy="LENIENT")
    [lenient] = diff(api, order, 1, 2).json()["changes"]
    assert strict["code"] == lenient["code"] == "property_added_to_open_model"
    assert (strict["breaksBackward"], lenient["breaksBackward"]) == (True, False)


def test_diff_of_a_version_with_itself_and_with_latest(api: Api, history: str) -> None:
    assert diff(api, history, 2, 2).json()["changes"] == []
    latest = diff(api, history, 1, "latest").json()
    assert (latest["from"], latest["to"]) == (1, 3)
    assert [c["code"] for c in latest["changes"]] == ["type_changed"]


def test_diff_can_read_disabled_versions(api: Api, history: str) -> None:
    api.set_state(history, 1, state="disabled")
    assert diff(api, history, 1, 2).status_code == 200


@pytest.mark.parametrize(
    ("key", "a", "b", "status", "code"),
    [
        (None, 1, 9, 404, "version_not_found"),
        (None, 9, 1, 404, "version_not_found"),
        ("ghost", 1, 2, 404, "event_type_not_found"),
        (None, 0, 1, 422, "invalid_request"),
        (None, 1, "newest", 422, "invalid_request"),
    ],
)
def test_diff_of_missing_versions_is_a_problem(
    api: Api, history: str, key: str | None, a: Any, b: Any, status: int, code: str
) -> None:
    assert_problem(diff(api, key or history, a, b), status, code)
