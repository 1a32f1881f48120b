"""Named examples over HTTP: CRUD, and their replay on registration and on the dry-run."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.support import Api, assert_problem, obj

STR = {"type": "string"}
NUM = {"type": "number"}
V1 = obj({"orderId": STR, "total": NUM})
TOTAL_BECOMES_INTEGER = obj({"orderId": STR, "total": {"type": "integer"}})
VERDICT_MEMBERS = {"name", "expectValid", "before", "after", "changed", "asExpected", "errors"}


@pytest.fixture
def api(shared_api: Api) -> Api:
    """One app for the module: no test here touches the registry-wide config."""
    return shared_api


@pytest.fixture
def order(api: Api) -> str:
    return api.new_type()


def event(key: str, **params: Any) -> dict[str, Any]:
    """A whole event as a client sends it: examples are events, not bare params."""
    return {"eventTypeKey": key, "keyValue": "buyer@example.org", "params": params}


def examples(api: Api, key: str) -> list[dict[str, Any]]:
    r = api.client.get(f"/event-types/{key}/examples")
    assert r.status_code == 200
    assert r.json()["eventTypeKey"] == key
    return r.json()["examples"]


def verdicts(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {v["name"]: v for v in body["examples"]}


# -- CRUD ---------------------------------------------------------------------------------------


def test_put_creates_an_example_and_get_lists_it(api: Api, order: str) -> None:
    payload = event(order, orderId="SO-1", total=9.5)
    r = api.put_example(order, "paid", payload, valid=True, description="a paid order")
    assert r.status_code == 200
    created = r.json()
    assert created["name"] == "paid"
    assert created["payload"] == payload
    assert (created["expectValid"], created["description"]) == (True, "a paid order")
    assert created["createdAt"]
    assert examples(api, order) == [created]


def test_put_replaces_an_example_of_the_same_name(api: Api, order: str) -> None:
    api.put_example(order, "paid", event(order, orderId="SO-1"), valid=True)
    api.put_example(order, "paid", event(order, orderId=1), valid=False)
    [only] = examples(api, order)
    assert (only["payload"]["params"], only["expectValid"]) == ({"orderId": 1}, False)


def test_examples_are_listed_by_name(api: Api, order: str) -> None:
    for name in ("zeta", "alpha", "mid"):
        api.put_example(order, name, event(order), valid=True)
    assert [e["name"] for e in examples(api, order)] == ["alpha", "mid", "zeta"]


def test_delete_removes_an_example(api: Api, order: str) -> None:
    api.put_example(order, "paid", event(order), valid=True)
    assert api.client.delete(f"/event-types/{order}/examples/paid").status_code == 204
    assert examples(api, order) == []
    r = api.client.delete(f"/event-types/{order}/examples/paid")
    assert "paid" in assert_problem(r, 404, "example_not_found")["detail"]


def test_a_new_type_has_no_examples(api: Api, order: str) -> None:
    assert examples(api, order) == []


@pytest.mark.parametrize(
    "body",
    [
        {"payload": {}},
        {"expectValid": True},
        {"payload": {}, "expectValid": "yes"},
        {"payload": {}, "expectValid": True, "tags": ["x"]},
        {"payload": {}, "expectValid": True, "description": "d" * 2001},
    ],
    ids=["no-expectValid", "no-payload", "expectValid-not-boolean", "unknown-member", "long-text"],
)
def test_malformed_example_is_refused(api: Api, order: str, body: Any) -> None:
    r = api.client.put(f"/event-types/{order}/examples/x", json=body)
    assert_problem(r, 422, "invalid_request")
    assert examples(api, order) == []


def test_example_name_longer_than_200_characters_is_refused(api: Api, order: str) -> None:
    r = api.put_example(order, "x" * 201, event(order), valid=True)
    assert_problem(r, 422, "invalid_request")


def test_example_of_another_event_type_is_refused(api: Api, order: str) -> None:
    r = api.put_example(order, "stray", event("somethingElse"), valid=False)
    body = assert_problem(r, 422, "invalid_request")
    assert body["pointer"] == "/payload/eventTypeKey"


def test_examples_of_an_unknown_type_are_not_found(api: Api) -> None:
    assert_problem(api.client.get("/event-types/ghost/examples"), 404, "event_type_not_found")
    r = api.put_example("ghost", "x", event("ghost"), valid=True)
    assert_problem(r, 404, "event_type_not_found")
    r = api.client.delete("/event-types/ghost/examples/x")
    assert_problem(r, 404, "event_type_not_found")


def test_examples_of_a_soft_deleted_type_are_readable_not_writable(api: Api, order: str) -> None:
    api.put_example(order, "paid", event(order), valid=True)
    api.client.delete(f"/event-types/{order}")
    assert [e["name"] for e in examples(api, order)] == ["paid"]
    r = api.put_example(order, "other", event(order), valid=True)
    assert_problem(r, 409, "event_type_deleted")


# -- replay -------------------------------------------------------------------------------------


@pytest.fixture
def with_examples(api: Api, order: str) -> str:
    """v1 (total: number) and three examples; under NONE so any candidate is registrable."""
    api.registered(order, V1)
    api.configure(order, compatibility="NONE")
    api.put_example(order, "fractional", event(order, orderId="SO-1", total=9.5), valid=True)
    api.put_example(order, "whole", event(order, orderId="SO-2", total=10), valid=True)
    api.put_example(order, "no-order-id", event(order, orderId=7, total=1), valid=False)
    return order


def test_registration_reports_an_example_that_flips_from_valid_to_invalid(
    api: Api, with_examples: str
) -> None:
    r = api.register(with_examples, TOTAL_BECOMES_INTEGER)
    assert r.status_code == 201
    flipped = verdicts(r.json())["fractional"]
    assert set(flipped) == VERDICT_MEMBERS
    assert flipped["expectValid"] is True
    assert (flipped["before"], flipped["after"]) == (True, False)
    assert (flipped["changed"], flipped["asExpected"]) == (True, False)
    [error] = flipped["errors"]
    assert (error["code"], error["path"], error["param"]) == (
        "type_mismatch",
        "/params/total",
        "total",
    )


def test_registration_reports_unchanged_examples_as_unchanged(api: Api, with_examples: str) -> None:
    found = verdicts(api.register(with_examples, TOTAL_BECOMES_INTEGER).json())
    assert found["whole"] == {
        "name": "whole",
        "expectValid": True,
        "before": True,
        "after": True,
        "changed": False,
        "asExpected": True,
        "errors": [],
    }
    invalid = found["no-order-id"]
    assert (invalid["before"], invalid["after"], invalid["changed"]) == (False, False, False)
    assert invalid["asExpected"] is True
    assert [e["code"] for e in invalid["errors"]] == ["type_mismatch"]


def test_registration_reports_an_example_that_becomes_valid(api: Api, with_examples: str) -> None:
    any_order_id = obj({"orderId": {"type": ["string", "integer"]}, "total": NUM})
    fixed = verdicts(api.register(with_examples, any_order_id).json())["no-order-id"]
    assert (fixed["before"], fixed["after"], fixed["changed"]) == (False, True, True)
    assert fixed["asExpected"] is False


def test_dry_run_replays_the_examples_and_stores_nothing(api: Api, with_examples: str) -> None:
    before = api.versions(with_examples)
    body = api.dry_run(with_examples, TOTAL_BECOMES_INTEGER).json()
    assert [v["name"] for v in body["examples"] if v["changed"]] == ["fractional"]
    assert api.versions(with_examples) == before
    assert len(examples(api, with_examples)) == 3


def test_dry_run_against_one_version_replays_too(api: Api, with_examples: str) -> None:
    body = api.dry_run(with_examples, TOTAL_BECOMES_INTEGER, version=1).json()
    assert verdicts(body)["fractional"]["changed"] is True


def test_replay_is_reported_even_when_the_dry_run_is_incompatible(
    api: Api, with_examples: str
) -> None:
    api.configure(with_examples, compatibility="BACKWARD")
    body = api.dry_run(with_examples, TOTAL_BECOMES_INTEGER).json()
    assert body["compatible"] is False
    assert verdicts(body)["fractional"]["after"] is False


def test_first_version_has_no_before_verdict(api: Api, order: str) -> None:
    api.put_example(order, "paid", event(order, orderId="SO-1"), valid=True)
    [verdict] = api.register(order, V1).json()["examples"]
    assert (verdict["before"], verdict["after"], verdict["changed"]) == (None, True, False)


def test_replay_compares_with_the_newest_version_that_is_not_disabled(
    api: Api, with_examples: str
) -> None:
    api.registered(with_examples, TOTAL_BECOMES_INTEGER)
    api.set_state(with_examples, 2, state="disabled")
    body = api.dry_run(with_examples, TOTAL_BECOMES_INTEGER).json()
    assert verdicts(body)["fractional"]["before"] is True


def test_identical_content_registers_nothing_and_replays_nothing(
    api: Api, with_examples: str
) -> None:
    r = api.register(with_examples, V1)
    assert (r.status_code, r.json()["version"]) == (200, 1)
    assert "examples" not in r.json()


def test_registration_omits_examples_when_there_is_nothing_to_replay(api: Api, order: str) -> None:
    api.register(order, V1)
    body = api.register(order, obj({"orderId": STR, "total": NUM}, title="t")).json()
    assert body["version"] == 2
    assert "examples" not in body
