"""The evaluation-cost budget: fan-out on one value is refused, recursion that descends is not."""

from __future__ import annotations

from typing import Any

import pytest

from registry.core.errors import SchemaTooComplex
from registry.core.schema_check import SchemaLimits, check_schema
from registry.core.validation.cost import INFINITE, evaluation_cost

DRAFT7 = "http://json-schema.org/draft-07/schema#"


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
        check_schema(fan_out(levels, keyword))
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
    check_schema(schema, limits=SchemaLimits(max_cost=62))
    with pytest.raises(SchemaTooComplex):
        check_schema(schema, limits=SchemaLimits(max_cost=61))


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
        check_schema(schema)
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
    check_schema(schema)


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
