"""registry.testing: the pytest helper users call on the events their code builds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from registry.plan import OfflineRegistry, PlanError
from registry.testing import assert_valid_event, load_registry

PLAN = Path(__file__).resolve().parent / "data" / "plan"
ORDER: dict[str, Any] = {
    "eventTypeKey": "orderCreated",
    "keyValue": "buyer@example.org",
    "params": [{"name": "externalOrderId", "value": "SO-1"}, {"name": "totalCost", "value": 3}],
}


@pytest.fixture(scope="module")
def plan() -> OfflineRegistry:
    return load_registry(PLAN)


def test_a_valid_event_passes_and_returns_the_report(plan: OfflineRegistry) -> None:
    report = assert_valid_event(ORDER, schemas=plan)
    assert report.valid
    assert (report.event_type_key, report.version) == ("orderCreated", 1)


def test_schemas_may_be_the_folder_itself() -> None:
    assert assert_valid_event(ORDER, schemas=PLAN).valid
    assert assert_valid_event(ORDER, schemas=str(PLAN)).valid


def test_the_failure_names_code_param_and_path(plan: OfflineRegistry) -> None:
    bad = {**ORDER, "params": [{"name": "externalOrderId", "value": "SO-1"},
                               {"name": "totalCost", "value": "abc"}]}  # fmt: skip
    with pytest.raises(AssertionError) as caught:
        assert_valid_event(bad, schemas=plan)
    message = str(caught.value)
    assert message.splitlines()[0] == "event 'orderCreated' v1 is invalid: 1 error(s)"
    assert "type_mismatch at /params/1/value (param 'totalCost'):" in message
    assert 'must be a number, got string "abc"' in message


def test_mode_coerce_and_version(plan: OfflineRegistry) -> None:
    extra = {**ORDER, "params": [*ORDER["params"], {"name": "coupon", "value": "X"}]}
    with pytest.raises(AssertionError, match="unknown_param at /params/2/name"):
        assert_valid_event(extra, schemas=plan)  # the type's config says strict
    report = assert_valid_event(extra, schemas=plan, mode="lenient")
    assert [w.code for w in report.warnings] == ["unknown_param"]
    stringly = {**ORDER, "params": [{"name": "externalOrderId", "value": "SO-1"},
                                    {"name": "totalCost", "value": "3"}]}  # fmt: skip
    assert assert_valid_event(stringly, schemas=plan, coerce=True).valid
    assert assert_valid_event(ORDER, schemas=plan, version=1).version == 1
    with pytest.raises(AssertionError, match="version_not_found"):
        assert_valid_event(ORDER, schemas=plan, version=2)


def test_an_unknown_event_type_suggests_the_closest_key(plan: OfflineRegistry) -> None:
    with pytest.raises(AssertionError, match="did you mean 'orderCreated'"):
        assert_valid_event({**ORDER, "eventTypeKey": "orderCreatd"}, schemas=plan)


def test_every_example_in_the_plan_gets_its_expected_verdict(plan: OfflineRegistry) -> None:
    for entry in plan.entries.values():
        for example in entry.examples:
            assert plan.validate(example.payload).valid is example.expectValid, example.name


def test_a_broken_folder_raises_plan_error(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text('{"key": "x", "schema": {"type": "strin"}}', "utf-8")
    with pytest.raises(PlanError, match="schema_invalid"):
        load_registry(tmp_path)
    with pytest.raises(PlanError, match="is not a folder"):
        load_registry(tmp_path / "missing")
