"""The evaluation-cost budget: fan-out on one value is refused, recursion that descends is not."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from registry.core.errors import SchemaTooComplex
from registry.core.schema_check import check_schema
from registry.core.validation.cost import INFINITE, evaluation_cost
from registry.settings import Settings
from registry.wiring import schema_limits

DRAFT7 = "http://json-schema.org/draft-07/schema#"


LIMITS = schema_limits(Settings())


def fan_out(levels: int, keyword: str = "oneOf", width: int = 2) -> dict[str, Any]:
    """``levels`` $defs, each a ``keyword`` of ``width`` refs to the next: width**levels work."""
    defs: dict[str, Any] = {
        f"l{i}": {keyword: [{"$ref": f"#/$defs/l{i + 1}"}] * width} for i in range(levels)
    }
    defs[f"l{levels}"] = {"type": "integer"}
    return {"$defs": defs, "type": "object", "properties": {"a": {"$ref": "#/$defs/l0"}}}


@pytest.mark.parametrize(("keyword", "levels"), [("oneOf", 20), ("allOf", 28), ("anyOf", 18)])
def test_exponential_ref_fan_out_is_refused_with_a_pointer(keyword: str, levels: int) -> None:
    with pytest.raises(SchemaTooComplex) as caught:
        check_schema(fan_out(levels, keyword), limits=LIMITS)
    (problem,) = caught.value.problems
    assert problem.pointer == "/properties/a"
    assert "the budget is 1000" in problem.message


def test_cost_counts_every_in_place_evaluation_once_per_path() -> None:
    # every subschema object counts: l4 = 1, l(i) = 1 + 2 * (1 + l(i+1)) (each {"$ref"} holder
    # is one more), so l0 = 61 and /properties/a = 62
    assert evaluation_cost(fan_out(4)).worst == 62
    assert evaluation_cost(fan_out(4)).pointer == "/properties/a"


def test_cost_just_under_the_budget_is_accepted_and_just_over_is_refused() -> None:
    schema = fan_out(4)  # cost 62
    check_schema(schema, limits=msgspec.structs.replace(LIMITS, max_cost=62))
    with pytest.raises(SchemaTooComplex):
        check_schema(schema, limits=msgspec.structs.replace(LIMITS, max_cost=61))


@pytest.mark.parametrize(
    ("schema", "where"),
    [
        ({"$defs": {"a": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"}, "/$defs/a"),
        (
            {
                "$defs": {
                    "a": {"allOf": [{"$ref": "#/$defs/b"}]},
                    "b": {"anyOf": [{"type": "string"}, {"$ref": "#/$defs/a"}]},
                },
                "properties": {"x": {"$ref": "#/$defs/a"}},
            },
            "/$defs/b/anyOf/1",
        ),
        ({"not": {"$ref": "#"}}, "/not"),
        ({"$defs": {"x": {"$anchor": "x", "oneOf": [{"$ref": "#x"}]}}}, "/$defs/x/oneOf/0"),
    ],
    ids=["self", "through-combinators", "root", "anchor"],
)
def test_a_reference_cycle_on_the_same_value_is_refused(schema: Any, where: str) -> None:
    assert evaluation_cost(schema).worst == INFINITE
    with pytest.raises(SchemaTooComplex) as caught:
        check_schema(schema, limits=LIMITS)
    (problem,) = caught.value.problems
    assert problem.pointer == where
    assert "reference cycle" in problem.message


@pytest.mark.parametrize(
    "schema",
    [
        {  # a tree of items: every $ref descends one level into the value
            "$id": "https://example.com/tree.json",
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                "children": {"type": "array", "items": {"$ref": "tree.json"}},
            },
        },
        {
            "$defs": {"node": {"properties": {"next": {"$ref": "#/$defs/node"}}}},
            "$ref": "#/$defs/node",
        },
        {"$schema": DRAFT7, "definitions": {"n": {"items": {"$ref": "#/definitions/n"}}}},
        {  # $dynamicRef recursion as the 2020-12 meta-schema does it
            "$dynamicAnchor": "meta",
            "properties": {"sub": {"$dynamicRef": "#meta"}},
            "additionalProperties": {"$dynamicRef": "#meta"},
        },
        fan_out(7, "anyOf", 2),  # 510: within the budget
    ],
    ids=["tree", "linked-list", "draft7-items", "dynamic", "fan-out-within-budget"],
)
def test_recursion_that_descends_into_the_value_is_accepted(schema: Any) -> None:
    check_schema(schema, limits=LIMITS)


def test_references_through_ids_and_dynamic_anchors_are_counted() -> None:
    schema = {
        "$id": "https://example.com/root.json",
        "$defs": {
            "leaf": {"$id": "leaf.json", "$dynamicAnchor": "leaf", "type": "string"},
            "pair": {"allOf": [{"$ref": "leaf.json"}, {"$dynamicRef": "#leaf"}]},
        },
        "$ref": "#/$defs/pair",
    }
    # root 1 + pair 1 + leaf via $id 1 + $dynamicRef: static target and the dynamic candidate
    assert evaluation_cost(schema).worst == 1 + 1 + 1 + 1 + 2


def test_the_walk_is_iterative_for_long_reference_chains() -> None:
    chain = {f"d{i}": {"$ref": f"#/$defs/d{i + 1}"} for i in range(5000)}
    chain["d5000"] = {"type": "string"}
    found = evaluation_cost({"$defs": chain})
    assert found.worst == 5001
    assert found.pointer == "/$defs/d0"


@pytest.mark.parametrize(
    "schema",
    [
        {"properties": {f"p{i}": {"type": "string"} for i in range(50)}},
        {"properties": {"allOf": {"type": "string"}}},  # a name spelt like a keyword
        {"properties": {"a": {"enum": ["$ref"]}, "b": {"const": "oneOf"}}},
        {"items": {"properties": {"x": {"not": {"type": "null"}}}}},
        fan_out(3),
    ],
    ids=["flat", "keyword-named-property", "keyword-valued-enum", "nested-not", "fan-out"],
)
def test_the_text_scan_short_cut_gives_the_walks_answer(
    schema: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from registry.core.validation import cost

    quick = evaluation_cost(schema)
    monkeypatch.setattr(cost, "_applies_in_place", lambda _schema: True)
    walked = evaluation_cost(schema)
    assert (quick.worst, quick.pointer) == (walked.worst, walked.pointer)


def test_a_flat_schema_is_costed_without_walking_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from registry.core.validation import cost

    monkeypatch.setattr(cost, "_Index", None)  # any walk would fail
    flat = {"properties": {f"p{i:04}": {"type": "string"} for i in range(7500)}}
    assert evaluation_cost(flat).worst == 1
