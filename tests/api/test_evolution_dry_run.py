"""Dry-run compatibility checks and typed diffs over HTTP; neither stores anything."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.schemas import CANDIDATE, CHANGES, HISTORY, INT, OPTIONAL_ADDED, STR, V1, B, F
from tests.api.support import LEVELS, Api, assert_problem, obj

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


@pytest.fixture
def history(api: Api, order: str) -> str:
    api.registered(order, *HISTORY)
    return order


def codes(findings: list[dict[str, Any]]) -> list[str]:
    return [f["code"] for f in findings]


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
