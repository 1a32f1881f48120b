"""The valid-event shortcut of the hot path never changes a verdict.

``EventValidator`` keeps, per event type whose events took the common case (latest active
version, configured options), a specialised quick check; a later valid event of that type skips
resolution. The law: a validator that has seen the type answers every event exactly as one that
has never seen it (whose first answer always takes the full path). Events are generated around
a real order (the benchmark's workload): every envelope rule, param shape and schema constraint
the quick check reads is varied, valid and not.
"""

from __future__ import annotations

import contextlib
import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from registry.core.compatibility import Level
from registry.core.config import TypeConfig
from registry.core.keys import FORBIDDEN_KEY_CHARS
from registry.core.ports import SchemaStore
from registry.core.validation import EnvelopeRules, ValidationOptions, compile_schema
from registry.core.validation.event import _all_violations, passes_quickly
from registry.core.validator import EventValidator
from registry.settings import Settings
from registry.store.memory import InMemoryStore
from registry.wiring import build_service

ITEM = {
    "type": "object",
    "required": ["externalItemId", "quantity"],
    "properties": {
        "externalItemId": {"type": "string", "maxLength": 100},
        "quantity": {"type": "integer", "minimum": 1},
        "url": {"type": "string", "format": "uri"},
    },
}
SCHEMA = {
    "type": "object",
    "required": ["externalOrderId", "totalCost", "status"],
    "properties": {
        "email": {"type": "string", "format": "email"},
        "externalOrderId": {"type": "string"},
        "totalCost": {"type": "number", "minimum": 0},
        "status": {"enum": ["INITIALIZED", "DELIVERED"]},
        "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
        "items": {"type": "array", "items": ITEM, "maxItems": 3},
    },
}
PARAMS: dict[str, Any] = {
    "email": "buyer@example.org",
    "externalOrderId": "SO-1",
    "totalCost": 12.5,
    "status": "INITIALIZED",
    "currency": "USD",
    "items": [{"externalItemId": "SKU-1", "quantity": 2, "url": "https://shop.example/1"}],
}
VALID = {
    "eventTypeKey": "orderCreated",
    "keyValue": "buyer@example.org",
    "params": [{"name": k, "value": v} for k, v in PARAMS.items()],
}


def _store() -> SchemaStore:
    store = InMemoryStore()
    service = build_service(Settings(seed_catalog=False), store)
    service.create_event_type(key="orderCreated")
    service.register_version(key="orderCreated", schema=SCHEMA)
    return store


STORE = _store()


def _warm() -> EventValidator:
    validator = EventValidator(STORE)
    assert validator.validate(copy.deepcopy(VALID), body_size=400).valid
    return validator


WARM = _warm()

odd_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["", " ", "null", "a|b", "x" * 301, "USD", "usd", "DELIVERED", "2024-01-02"]),
    st.lists(st.integers(0, 2), max_size=2),
    st.dictionaries(st.sampled_from(["name", "value", "x"]), st.integers(0, 1), max_size=2),
)
param_names = st.sampled_from(
    [*PARAMS, "", "n" * 101, "coupon", "phone", "contactId", "Email", "items"]
)


TOP_FIELDS = ["keyValue", "eventTypeKey", "occurred", "version", "sampleId", "x"]
TOP_VALUES = ["latest", 1, 2, "orderCreated", "2024-05-01T10:00:00Z"]


@st.composite
def events(draw: st.DrawFn) -> Any:
    event: dict[str, Any] = copy.deepcopy(VALID)
    params = event["params"]
    for _ in range(draw(st.integers(0, 3))):
        change = draw(st.sampled_from(["set", "drop", "add", "dup", "entry", "top", "drop_top"]))
        entries = [p for p in params if isinstance(p, dict)]
        if change == "set" and entries:
            draw(st.sampled_from(entries))["value"] = draw(odd_values)
        elif change == "drop" and params:
            params.remove(draw(st.sampled_from(params)))
        elif change == "add":
            params.append({"name": draw(param_names), "value": draw(odd_values)})
        elif change == "dup" and params:
            params.append(copy.deepcopy(draw(st.sampled_from(params))))
        elif change == "entry":
            params.append(draw(st.one_of(odd_values, st.just({"name": "x"}), st.just({"v": 1}))))
        elif change == "top":
            field = draw(st.sampled_from(TOP_FIELDS))
            event[field] = draw(st.one_of(odd_values, st.sampled_from(TOP_VALUES)))
        elif change == "drop_top":
            event.pop(draw(st.sampled_from(["keyValue", "params", "eventTypeKey"])), None)
    if draw(st.booleans()) and isinstance(event.get("params"), list):
        with contextlib.suppress(KeyError, TypeError):  # the object form, as JSON has it
            event["params"] = {str(p["name"]): p["value"] for p in event["params"]}
    return draw(st.one_of(st.just(event), st.just(event), odd_values))


@settings(max_examples=400, deadline=None)
@given(event=events(), body_size=st.sampled_from([None, 400, 20_480, 20_481]))
def test_a_validator_that_has_seen_the_type_answers_as_one_that_has_not(
    event: Any, body_size: int | None
) -> None:
    cold = EventValidator(STORE).validate(copy.deepcopy(event), body_size=body_size)
    assert WARM.validate(copy.deepcopy(event), body_size=body_size) == cold


@settings(max_examples=100, deadline=None)
@given(event=events())
def test_the_inline_answer_is_the_full_answer_when_given(event: Any) -> None:
    inline = WARM.validate_inline(copy.deepcopy(event), body_size=400, mode=None, coerce=None)
    if inline is not None:
        assert inline == EventValidator(STORE).validate(copy.deepcopy(event), body_size=400)


def test_an_override_is_not_answered_by_the_configured_shortcut() -> None:
    event = copy.deepcopy(VALID)
    event["params"].append({"name": "coupon", "value": "X"})
    assert WARM.validate(copy.deepcopy(event)).valid  # lenient by default: a warning
    strict = WARM.validate(copy.deepcopy(event), mode="strict")
    assert [e.code for e in strict.errors] == ["unknown_param"]


def test_a_new_version_is_used_at_once_after_the_shortcut_was_made() -> None:
    store = _store()
    validator = EventValidator(store)
    assert validator.validate(copy.deepcopy(VALID)).version == 1
    service = build_service(Settings(seed_catalog=False), store)
    service.set_type_config(key="orderCreated", config=TypeConfig(compatibility=Level.NONE))
    stricter = copy.deepcopy(SCHEMA)
    stricter["properties"]["totalCost"] = {"type": "number", "minimum": 100}
    service.register_version(key="orderCreated", schema=stricter)
    report = validator.validate(copy.deepcopy(VALID))
    assert (report.version, report.valid) == (2, False)
    assert [e.path for e in report.errors] == ["/params/2/value"]


COMPILED = compile_schema(SCHEMA)


@settings(max_examples=400, deadline=None)
@given(
    event=events(),
    body_size=st.sampled_from([None, 400, 20_481]),
    options=st.sampled_from(
        [
            ValidationOptions(),
            ValidationOptions(mode="strict"),
            ValidationOptions(envelope=EnvelopeRules(key_value=False, contact=False)),
            ValidationOptions(envelope=EnvelopeRules(param_names=False, body_size=False)),
            ValidationOptions(envelope=EnvelopeRules(event_type_key=False)),
        ]
    ),
    with_schema=st.booleans(),
)
def test_the_quick_check_passes_only_events_the_full_check_finds_nothing_in(
    event: Any, body_size: int | None, options: ValidationOptions, with_schema: bool
) -> None:
    schema = COMPILED if with_schema else None
    if passes_quickly(event, schema=schema, options=options, body_size=body_size):
        found, _ = _all_violations(event, schema, options, body_size, "")
        assert found == []


def _object_form(event: dict[str, Any]) -> dict[str, Any]:
    return {**event, "params": {p["name"]: p["value"] for p in event["params"]}}


def _with(event: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {**copy.deepcopy(event), **fields}


def _param(event: dict[str, Any], name: str, value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(event)
    changed["params"].append({"name": name, "value": value})
    return changed


TAKEN = {  # the common shapes real clients send: answered by the quick check alone
    "params as a list": VALID,
    "params as an object": _object_form(VALID),
    "a contact param instead of keyValue": {k: v for k, v in VALID.items() if k != "keyValue"},
    "an undeclared contact param": _param(VALID, "phone", "+380501234567"),
    "occurred and version latest": _with(VALID, occurred="2024-05-01T10:00:00Z", version="latest"),
}
DECLINED = {  # each rule the quick check reads, broken once: the full path must report it
    "a forbidden character in keyValue": _with(VALID, keyValue="a|b"),
    "a keyValue too long": _with(VALID, keyValue="x" * 301),
    "an eventTypeKey that is not a string": _with(VALID, eventTypeKey=7),
    "an unknown top-level field": _with(VALID, extra=1),
    "a bad occurred": _with(VALID, occurred="yesterday"),
    "a duplicate param": _param(VALID, "email", "other@example.org"),
    "an empty param name": _param(VALID, "", 1),
    "a param name too long": _param(VALID, "n" * 101, 1),
    "a param name that is not a string": _param(VALID, 5, 1),  # the engine refuses int keys
    "a param entry without value": {**VALID, "params": [*VALID["params"], {"name": "x"}]},
    "an undeclared param": _param(VALID, "coupon", "X"),
    "a schema violation": _param(VALID, "status", "LOST"),
    "no contact at all": {
        "eventTypeKey": "orderCreated",
        "params": [p for p in VALID["params"] if p["name"] != "email"],
    },
}


@pytest.mark.parametrize("name", TAKEN)
def test_the_quick_check_takes_the_common_shapes(name: str) -> None:
    event = TAKEN[name]
    assert passes_quickly(event, schema=COMPILED, options=ValidationOptions(), body_size=400)
    assert _all_violations(event, COMPILED, ValidationOptions(), 400, "")[0] == []


@pytest.mark.parametrize("name", DECLINED)
def test_the_quick_check_declines_each_broken_rule(name: str) -> None:
    event = DECLINED[name]
    assert not passes_quickly(event, schema=COMPILED, options=ValidationOptions(), body_size=400)
    assert _all_violations(event, COMPILED, ValidationOptions(), 400, "")[0] != []
    assert WARM.validate(copy.deepcopy(event), body_size=400) == EventValidator(STORE).validate(
        copy.deepcopy(event), body_size=400
    )


@pytest.mark.parametrize("char", sorted(FORBIDDEN_KEY_CHARS))
def test_every_forbidden_character_in_a_keyvalue_is_declined(char: str) -> None:
    # the quick check tests the characters as a set, the full path by FORBIDDEN_PATTERN
    event = _with(VALID, keyValue=f"buyer{char}@example.org")
    assert not passes_quickly(event, schema=COMPILED, options=ValidationOptions(), body_size=400)
    report = WARM.validate(copy.deepcopy(event), body_size=400)
    assert [v.code for v in report.errors] == ["invalid_key_value"]


def test_an_oversized_body_is_declined() -> None:
    assert not passes_quickly(VALID, schema=COMPILED, options=ValidationOptions(), body_size=20_481)
