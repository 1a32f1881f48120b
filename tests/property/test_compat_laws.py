"""Laws of the checker over generated, realistic event schemas."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from registry.core.compatibility import Level, Policy, check, check_against, diff

NAMES = st.sampled_from(["id", "name", "amount", "currency", "items", "user", "tags", "ts"])


def _bounded(low: str, high: str, base: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    bounds = st.fixed_dictionaries({}, optional={low: st.integers(0, 5), high: st.integers(5, 50)})
    return bounds.map(lambda b: {**base, **b})


LEAVES: st.SearchStrategy[Any] = st.one_of(
    _bounded("minLength", "maxLength", {"type": "string"}),
    st.builds(
        lambda values: {"type": "string", "enum": values},
        st.lists(st.text(max_size=4), min_size=1, max_size=4, unique=True),
    ),
    _bounded("minimum", "maximum", {"type": "number"}),
    st.builds(lambda m: {"type": "integer", "multipleOf": m}, st.integers(1, 10)),
    st.just({"type": "boolean"}),
    st.sampled_from(
        [True, {}, {"type": ["string", "null"]}, {"const": "x"}, {"format": "date-time"}]
    ),
)


def _object(children: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    props = st.dictionaries(NAMES, children, max_size=4)
    extra = st.fixed_dictionaries(
        {},
        optional={
            "additionalProperties": st.sampled_from([True, False, {"type": "string"}]),
            "patternProperties": st.just({"^x_": {"type": "integer"}}),
            "minProperties": st.integers(0, 3),
        },
    )
    return st.builds(_with_required, props, extra, st.data())


def _with_required(
    props: dict[str, Any], extra: dict[str, Any], data: st.DataObject
) -> dict[str, Any]:
    required = data.draw(st.lists(st.sampled_from(sorted(props)), unique=True)) if props else []
    return {"type": "object", "properties": props, "required": required, **extra}


def _array(children: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.one_of(
        st.builds(lambda items: {"type": "array", "items": items, "uniqueItems": True}, children),
        st.builds(
            lambda items: {"type": "array", "prefixItems": items, "items": False},
            st.lists(children, max_size=3),
        ),
        st.builds(
            lambda items, rest: {"type": "array", "prefixItems": items, "unevaluatedItems": rest},
            st.lists(children, max_size=3),
            st.one_of(st.just(False), children),
        ),
        st.builds(lambda items: {"anyOf": items}, st.lists(children, min_size=1, max_size=3)),
        st.builds(lambda item, n: {"allOf": [item] * n}, children, st.integers(1, 2)),
    )


SCHEMAS = st.recursive(LEAVES, lambda c: st.one_of(_object(c), _array(c)), max_leaves=8)
ROOTS = _object(SCHEMAS)


@settings(max_examples=60, deadline=None)
@given(ROOTS)
def test_diff_of_a_schema_with_itself_is_empty(schema: dict[str, Any]) -> None:
    assert diff(schema, schema, policy=Policy.STRICT) == []
    assert diff(schema, schema, policy=Policy.LENIENT) == []


@settings(max_examples=50, deadline=None)
@given(ROOTS, st.sampled_from(list(Level)), st.sampled_from(list(Policy)))
def test_every_schema_is_compatible_with_itself(
    schema: dict[str, Any], level: Level, policy: Policy
) -> None:
    assert check(schema, copy.deepcopy(schema), level=level, policy=policy) == []
    assert check_against(schema, [(1, schema), (2, schema)], level=level, policy=policy).compatible


@settings(max_examples=50, deadline=None)
@given(ROOTS, ROOTS, st.sampled_from(list(Policy)))
@example(  # found by this law: an old `true` branch accepts what any new branch accepts
    {"type": "object", "properties": {"id": {"anyOf": [{"type": "string"}, True]}}},
    {"type": "object", "properties": {"id": {"type": "boolean"}}},
    Policy.STRICT,
)
def test_swapping_the_schemas_swaps_the_directions(
    old: dict[str, Any], new: dict[str, Any], policy: Policy
) -> None:
    """BACKWARD(old -> new) is, by definition, FORWARD(new -> old)."""
    backward = bool(check(old, new, level=Level.BACKWARD, policy=policy))
    assert backward == bool(check(new, old, level=Level.FORWARD, policy=policy))


@settings(max_examples=60, deadline=None)
@given(ROOTS, ROOTS)
def test_full_is_backward_and_forward(old: dict[str, Any], new: dict[str, Any]) -> None:
    full = not check(old, new, level=Level.FULL)
    assert full == (
        not check(old, new, level=Level.BACKWARD) and not check(old, new, level=Level.FORWARD)
    )


# Not constraints but permissions: without them a closed model rejects the names/positions
# they allowed (``{"patternProperties": {"^x_": {}}, "additionalProperties": false}``).
PERMISSIONS = {"properties", "patternProperties", "prefixItems"}


def _relax(schema: Any, data: st.DataObject) -> Any:
    """Drop one constraint keyword from ``schema`` or from one of its property schemas."""
    keys = sorted(schema) if isinstance(schema, dict) else []
    if not keys:
        return schema
    key = data.draw(st.sampled_from(keys))
    inner = schema[key]
    if key == "properties" and isinstance(inner, dict) and inner and data.draw(st.booleans()):
        name = data.draw(st.sampled_from(sorted(inner)))
        return {**schema, key: {**inner, name: _relax(inner[name], data)}}
    if key in PERMISSIONS:
        return schema
    return {k: v for k, v in schema.items() if k != key}


@settings(max_examples=50, deadline=None)
@given(ROOTS, st.sampled_from(list(Policy)), st.data())
def test_dropping_a_keyword_never_breaks_backward(
    schema: dict[str, Any], policy: Policy, data: st.DataObject
) -> None:
    """Removing a constraint only widens: every old payload is still accepted."""
    relaxed = _relax(schema, data)
    assert check(schema, relaxed, level=Level.BACKWARD, policy=policy) == []
    assert check(relaxed, schema, level=Level.FORWARD, policy=policy) == []


KEYWORDS = st.sampled_from(
    [
        "type",
        "enum",
        "const",
        "minimum",
        "exclusiveMaximum",
        "multipleOf",
        "maxLength",
        "pattern",
        "items",
        "prefixItems",
        "additionalItems",
        "contains",
        "properties",
        "required",
        "additionalProperties",
        "patternProperties",
        "dependencies",
        "dependentSchemas",
        "propertyNames",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
        "if",
        "then",
        "$ref",
        "$defs",
        "uniqueItems",
    ]
)
JUNK = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(["string", "#", "#/$defs/a", "^a", "(", "a"]),
    lambda c: (
        st.lists(c, max_size=3)
        | st.dictionaries(KEYWORDS | st.sampled_from(["a", "b"]), c, max_size=4)
    ),
    max_leaves=15,
)


@settings(max_examples=100, deadline=None)
@given(JUNK, JUNK, st.sampled_from(list(Policy)))
def test_malformed_schemas_never_crash(old: Any, new: Any, policy: Policy) -> None:
    assert isinstance(diff(old, new, policy=policy), list)
    assert diff(old, old, policy=policy) == []


@settings(max_examples=60, deadline=None)
@given(ROOTS, st.integers(1, 3), st.sampled_from(list(Policy)))
def test_an_all_of_of_the_schema_itself_changes_nothing(
    schema: dict[str, Any], copies: int, policy: Policy
) -> None:
    """``S``, ``{"allOf": [S]}`` and ``{"allOf": [S, S, ...]}`` accept the same documents."""
    wrapped = {"allOf": [copy.deepcopy(schema) for _ in range(copies)]}
    assert check(schema, wrapped, level=Level.FULL, policy=policy) == []
    assert check(wrapped, schema, level=Level.FULL, policy=policy) == []
    assert check({"allOf": [schema]}, wrapped, level=Level.FULL, policy=policy) == []
