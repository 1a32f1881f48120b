"""Compatibility configuration over HTTP: global and per-type settings, inheritance, bad bodies."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.api.support import LEVELS, POLICIES, Api, assert_problem, obj

OLD = obj({"a": {"type": "string"}})
REQUIRED_ADDED = obj({"a": {"type": "string"}}, required=["a"])


@pytest.fixture
def api(shared_api: Api) -> Iterator[Api]:
    """One app for the module; the registry-wide config is reset after every test."""
    yield shared_api
    assert shared_api.configure_global().status_code == 200


@pytest.fixture
def order(api: Api) -> str:
    return api.new_type()


def effective(api: Api, key: str) -> dict[str, Any]:
    return api.client.get(f"/event-types/{key}/config").json()["effective"]


def test_global_defaults_are_backward_and_strict(api: Api) -> None:
    body = api.client.get("/config").json()
    assert body["own"] == {}
    assert body["effective"]["compatibility"] == "BACKWARD"
    assert body["effective"]["policy"] == "STRICT"


def test_put_global_config_replaces_it_and_get_returns_it(api: Api) -> None:
    r = api.configure_global(compatibility="FULL", policy="LENIENT")
    assert r.status_code == 200
    assert r.json()["own"] == {"compatibility": "FULL", "policy": "LENIENT"}
    assert api.client.get("/config").json() == r.json()
    replaced = api.configure_global(compatibility="FORWARD").json()
    assert replaced["own"] == {"compatibility": "FORWARD"}
    assert replaced["effective"]["policy"] == "STRICT"


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("policy", POLICIES)
def test_every_level_and_policy_can_be_set_on_a_type(
    api: Api, order: str, level: str, policy: str
) -> None:
    r = api.configure(order, compatibility=level, policy=policy)
    assert r.status_code == 200
    assert r.json()["own"] == {"compatibility": level, "policy": policy}
    assert effective(api, order)["compatibility"] == level
    assert effective(api, order)["policy"] == policy


def test_type_without_own_setting_inherits_the_global_level(api: Api, order: str) -> None:
    api.configure_global(compatibility="FULL_TRANSITIVE")
    body = api.client.get(f"/event-types/{order}/config").json()
    assert body == {
        "eventTypeKey": order,
        "own": {},
        "effective": {**body["effective"], "compatibility": "FULL_TRANSITIVE"},
    }


def test_type_setting_wins_over_global_member_by_member(api: Api, order: str) -> None:
    api.configure_global(compatibility="FULL", policy="LENIENT")
    api.configure(order, compatibility="NONE")
    assert effective(api, order)["compatibility"] == "NONE"
    assert effective(api, order)["policy"] == "LENIENT"


def test_deleting_the_type_setting_falls_back_to_global(api: Api, order: str) -> None:
    api.configure_global(compatibility="FORWARD")
    api.configure(order, compatibility="NONE", policy="LENIENT")
    r = api.client.delete(f"/event-types/{order}/config")
    assert r.status_code == 200
    assert r.json()["own"] == {}
    assert r.json()["effective"]["compatibility"] == "FORWARD"
    assert r.json()["effective"]["policy"] == "STRICT"


def test_registration_enforces_the_inherited_then_own_then_fallback_level(
    api: Api, order: str
) -> None:
    api.register(order, OLD)
    api.configure_global(compatibility="NONE")
    assert api.dry_run(order, REQUIRED_ADDED).json()["compatible"] is True
    api.configure(order, compatibility="BACKWARD")
    assert_problem(api.register(order, REQUIRED_ADDED), 409, "schema_incompatible")
    api.client.delete(f"/event-types/{order}/config")
    assert api.register(order, REQUIRED_ADDED).status_code == 201


def test_global_change_reaches_types_that_inherit_it(api: Api, order: str) -> None:
    api.register(order, OLD)
    assert api.dry_run(order, REQUIRED_ADDED).json()["level"] == "BACKWARD"
    api.configure_global(compatibility="NONE")
    assert api.dry_run(order, REQUIRED_ADDED).json()["level"] == "NONE"


BAD_BODIES = [
    pytest.param({"compatibility": "BACKWARDS"}, id="unknown-level"),
    pytest.param({"compatibility": "backward"}, id="level-is-case-sensitive"),
    pytest.param({"policy": "LOOSE"}, id="unknown-policy"),
    pytest.param({"compatibilty": "NONE"}, id="misspelt-member"),
    pytest.param({"compatibility": "NONE", "mode": "strict"}, id="unknown-member"),
    pytest.param({"envelope": {"contact": False, "contacts": False}}, id="unknown-envelope-rule"),
    pytest.param({"validationMode": "picky"}, id="unknown-validation-mode"),
    pytest.param({"coerce": "yes"}, id="coerce-not-boolean"),
    pytest.param(["BACKWARD"], id="not-an-object"),
]


@pytest.mark.parametrize("body", BAD_BODIES)
@pytest.mark.parametrize("path", ["/config", "/event-types/{key}/config"])
def test_bad_config_body_is_an_invalid_request_problem(
    api: Api, order: str, path: str, body: Any
) -> None:
    path = path.format(key=order)
    before = api.client.get(path).json()
    assert_problem(api.client.put(path, json=body), 422, "invalid_request")
    assert api.client.get(path).json() == before


def test_config_of_an_unknown_type_is_not_found(api: Api) -> None:
    assert_problem(api.client.get("/event-types/ghost/config"), 404, "event_type_not_found")
    put = api.configure("ghost", compatibility="NONE")
    assert_problem(put, 404, "event_type_not_found")
    delete = api.client.delete("/event-types/ghost/config")
    assert_problem(delete, 404, "event_type_not_found")


def test_config_of_a_soft_deleted_type_cannot_be_changed(api: Api, order: str) -> None:
    api.client.delete(f"/event-types/{order}")
    assert_problem(api.configure(order, compatibility="NONE"), 409, "event_type_deleted")


# -- the validation members of the same config -------------------------------------------------


def validate(api: Api, key: str, **event: Any) -> dict[str, Any]:
    return api.validate({"eventTypeKey": key, "keyValue": "buyer@example.org", **event})


def codes_of(report: dict[str, Any], kind: str) -> list[str]:
    return [v["code"] for v in report[kind]]


def test_type_validation_mode_decides_whether_undeclared_params_are_errors(
    api: Api, order: str
) -> None:
    api.register(order, OLD)
    lenient = validate(api, order, params={"a": "x", "extra": 1})
    assert (lenient["valid"], codes_of(lenient, "warnings")) == (True, ["unknown_param"])
    api.configure(order, validationMode="strict")
    strict = validate(api, order, params={"a": "x", "extra": 1})
    assert (strict["valid"], codes_of(strict, "errors")) == (False, ["unknown_param"])


def test_global_coerce_applies_until_the_type_turns_it_off(api: Api, order: str) -> None:
    api.register(order, obj({"n": {"type": "number"}}))
    assert validate(api, order, params={"n": "5"})["valid"] is False
    api.configure_global(coerce=True)
    assert validate(api, order, params={"n": "5"})["valid"] is True
    api.configure(order, coerce=False)
    assert validate(api, order, params={"n": "5"})["valid"] is False


def test_envelope_overrides_merge_rule_by_rule(api: Api, order: str) -> None:
    api.configure_global(envelope={"contact": False})
    api.configure(order, envelope={"paramNames": False})
    rules = effective(api, order)["envelope"]
    assert (rules["contact"], rules["paramNames"], rules["keyValue"]) == (False, False, True)
    anonymous = {"eventTypeKey": order, "params": {}}
    assert (api.validate(anonymous)["valid"], api.validate(anonymous)["errors"]) == (True, [])
    api.configure_global()
    assert codes_of(api.validate(anonymous), "errors") == ["missing_contact_identifier"]
