"""Version lifecycle over HTTP: active, deprecated (sunset, note, successor), disabled."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.support import Api, assert_problem, obj

STR = {"type": "string"}
V1 = obj({"orderId": STR})
V2 = obj({"orderId": STR, "total": {"type": "number"}})
V3 = obj({"orderId": STR, "total": {"type": "number"}}, title="v3")


@pytest.fixture
def api(shared_api: Api) -> Api:
    """One app for the module: no test here touches the registry-wide config."""
    return shared_api


@pytest.fixture
def order(api: Api) -> str:
    """An event type with three active versions."""
    key = api.new_type()
    api.registered(key, V1, V2, V3)
    return key


def state(api: Api, key: str, version: int | str) -> dict[str, Any]:
    return api.client.get(f"/event-types/{key}/versions/{version}").json()


def event(key: str, version: int | None = None, **params: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"eventTypeKey": key, "keyValue": "buyer@example.org"}
    body["params"] = params or {"orderId": "SO-1"}
    if version is not None:
        body["version"] = version
    return body


def test_new_versions_are_active(api: Api, order: str) -> None:
    assert [v["state"] for v in api.versions(order)] == ["active"] * 3


@pytest.mark.parametrize(
    "path",
    [
        ["deprecated", "active"],
        ["deprecated", "disabled", "active"],
        ["disabled", "deprecated"],
        ["disabled", "active", "disabled"],
        ["active"],
        ["deprecated", "deprecated"],
    ],
    ids="->".join,
)
def test_any_state_can_follow_any_other(api: Api, order: str, path: list[str]) -> None:
    for target in path:
        r = api.set_state(order, 1, state=target)
        assert (r.status_code, r.json()["state"]) == (200, target), r.text
        assert state(api, order, 1)["state"] == target
    assert state(api, order, 1)["schema"] == V1


def test_deprecation_keeps_its_sunset_and_note_visible(api: Api, order: str) -> None:
    r = api.set_state(order, 1, state="deprecated", sunset="2030-06-30", note="use v3")
    assert r.status_code == 200
    assert (r.json()["sunset"], r.json()["note"]) == ("2030-06-30", "use v3")
    assert state(api, order, 1) == r.json()
    listed = api.versions(order)[0]
    assert (listed["sunset"], listed["note"]) == ("2030-06-30", "use v3")


def test_reactivating_drops_the_sunset(api: Api, order: str) -> None:
    api.set_state(order, 1, state="deprecated", sunset="2030-06-30", note="use v3")
    body = api.set_state(order, 1, state="active").json()
    assert "sunset" not in body
    assert "note" not in body


def test_patch_latest_changes_the_newest_usable_version(api: Api, order: str) -> None:
    assert api.set_state(order, "latest", state="deprecated").json()["version"] == 3


@pytest.mark.parametrize(
    "sunset",
    ["2030-13-01", "2030-02-30", "20300101", "2030-W01-1", "2030-1-1", "tomorrow", "", 20300101],
)
def test_sunset_that_is_not_a_calendar_date_is_refused(api: Api, order: str, sunset: Any) -> None:
    r = api.set_state(order, 1, state="deprecated", sunset=sunset)
    assert_problem(r, 422, "invalid_request")
    assert state(api, order, 1)["state"] == "active"


@pytest.mark.parametrize("target", ["active", "disabled"])
def test_sunset_is_only_for_deprecated_versions(api: Api, order: str, target: str) -> None:
    r = api.set_state(order, 1, state=target, sunset="2030-06-30")
    body = assert_problem(r, 422, "invalid_request")
    assert body["pointer"] == "/sunset"


@pytest.mark.parametrize(
    "body",
    [
        {"state": "retired"},
        {"state": "DEPRECATED"},
        {},
        {"state": "deprecated", "reason": "old"},
        {"state": "deprecated", "note": "x" * 2001},
    ],
    ids=["unknown-state", "state-is-lower-case", "no-state", "unknown-member", "note-too-long"],
)
def test_malformed_state_change_is_refused(api: Api, order: str, body: Any) -> None:
    assert_problem(api.set_state(order, 1, **body), 422, "invalid_request")


@pytest.mark.parametrize(
    ("key", "version", "status", "code"),
    [
        (None, 9, 404, "version_not_found"),
        (None, 0, 422, "invalid_request"),
        (None, "first", 422, "invalid_request"),
        ("ghost", 1, 404, "event_type_not_found"),
    ],
)
def test_state_change_of_a_missing_version_is_a_problem(
    api: Api, order: str, key: str | None, version: Any, status: int, code: str
) -> None:
    assert_problem(api.set_state(key or order, version, state="deprecated"), status, code)


def test_state_of_a_soft_deleted_type_cannot_change(api: Api, order: str) -> None:
    api.client.delete(f"/event-types/{order}")
    assert_problem(api.set_state(order, 1, state="disabled"), 409, "event_type_deleted")


# -- deprecated ---------------------------------------------------------------------------------


def test_validating_against_a_deprecated_version_warns_and_names_the_successor(
    api: Api, order: str
) -> None:
    api.set_state(order, 1, state="deprecated", sunset="2030-06-30", note="totals arrive in v2")
    report = api.validate(event(order, version=1))
    assert (report["valid"], report["version"], report["errors"]) == (True, 1, [])
    [warning] = report["warnings"]
    assert warning["code"] == "deprecated_version"
    assert warning["path"] == "/version"
    assert warning["suggestion"] == "2"
    assert warning["message"] == (
        f"version 1 of {order!r} is deprecated; sunset 2030-06-30; move to version 2; "
        "totals arrive in v2"
    )


def test_successor_skips_versions_that_are_not_active(api: Api, order: str) -> None:
    api.set_state(order, 1, state="deprecated")
    api.set_state(order, 2, state="deprecated")
    [warning] = api.validate(event(order, version=1))["warnings"]
    assert warning["suggestion"] == "3"
    assert "move to version 3" in warning["message"]


def test_deprecated_latest_is_still_used_and_says_there_is_no_successor(
    api: Api, order: str
) -> None:
    api.set_state(order, 3, state="deprecated")
    report = api.validate(event(order))
    assert report["version"] == 3
    [warning] = report["warnings"]
    assert warning["code"] == "deprecated_version"
    assert "no successor yet" in warning["message"]
    assert "suggestion" not in warning


def test_a_deprecated_version_still_validates_with_its_own_schema(api: Api, order: str) -> None:
    api.set_state(order, 1, state="deprecated")
    report = api.validate(event(order, version=1, orderId=5))
    assert report["valid"] is False
    assert [e["code"] for e in report["errors"]] == ["type_mismatch"]


# -- disabled -----------------------------------------------------------------------------------


def test_disabled_version_is_not_latest(api: Api, order: str) -> None:
    api.set_state(order, 3, state="disabled")
    assert state(api, order, "latest")["version"] == 2
    assert api.validate(event(order))["version"] == 2
    api.set_state(order, 3, state="active")
    assert state(api, order, "latest")["version"] == 3


def test_disabled_version_stays_readable(api: Api, order: str) -> None:
    api.set_state(order, 2, state="disabled")
    assert state(api, order, 2)["state"] == "disabled"
    assert api.client.get(f"/event-types/{order}/versions/2/schema").json() == V2
    assert [v["version"] for v in api.versions(order)] == [1, 2, 3]


def test_disabled_version_cannot_be_chosen_for_validation(api: Api, order: str) -> None:
    api.set_state(order, 2, state="disabled")
    report = api.validate(event(order, version=2))
    assert (report["valid"], report["version"]) == (False, None)
    [error] = report["errors"]
    assert (error["code"], error["path"], error["actual"]) == ("version_disabled", "/version", 2)
    assert "disabled" in error["message"]


def test_disabling_the_last_usable_version_is_refused(api: Api, order: str) -> None:
    api.set_state(order, 1, state="disabled")
    api.set_state(order, 2, state="disabled")
    body = assert_problem(api.set_state(order, 3, state="disabled"), 409, "version_state_conflict")
    assert "3" in body["detail"]
    assert state(api, order, 3)["state"] == "active"
    assert api.validate(event(order))["version"] == 3


def test_the_last_usable_version_may_be_deprecated(api: Api, order: str) -> None:
    api.set_state(order, 1, state="disabled")
    api.set_state(order, 2, state="disabled")
    assert api.set_state(order, 3, state="deprecated").status_code == 200
    assert api.set_state(order, 3, state="disabled").status_code == 409


def test_a_disabled_version_may_be_disabled_again(api: Api, order: str) -> None:
    api.set_state(order, 1, state="disabled")
    api.set_state(order, 2, state="disabled")
    assert api.set_state(order, 1, state="disabled").status_code == 200
