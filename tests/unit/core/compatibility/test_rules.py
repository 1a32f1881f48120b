"""One table of spec sentences per rule, checked in both directions.

Each case is ``(name, old, new, expected BACKWARD codes, expected FORWARD codes)``; the expected
sets are exact, so every case also shows that the other direction does not fire. The last test
asserts that every code of the catalogue appears in some case (no rule goes untested).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import pytest

from registry.core.compatibility import CODES, Level, Policy, check, diff
from registry.core.compatibility.codes import EXACT_KEYWORDS, SIZE_BOUNDS


class Case(NamedTuple):
    name: str
    old: Any
    new: Any
    backward: set[str]
    forward: set[str]
    policy: Policy = Policy.STRICT


S, INT, N = {"type": "string"}, {"type": "integer"}, {"type": "number"}
B = {"type": "boolean"}


def obj(props: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "object", "properties": props, **extra}


def arr(**extra: Any) -> dict[str, Any]:
    return {"type": "array", **extra}


def _nested_any_of(leaf: dict, depth: int) -> dict:
    schema = leaf
    for _ in range(depth):
        schema = {"anyOf": [schema, schema]}
    return schema


BASICS = [
    Case("true_is_empty_schema", True, {}, set(), set()),
    Case("annotations_are_ignored", {"title": "a", "$id": "x"}, {"description": "b"}, set(), set()),
    Case("false_schema_added", S, False, {"false_schema_added"}, set()),
    Case(
        "false_property_schema_removed",
        obj({"a": False}),
        obj({"a": S}),
        set(),
        {"false_schema_removed"},
    ),
]

TYPES = [
    Case("type_narrowed_number_to_integer", N, INT, {"type_narrowed"}, set()),
    Case("type_narrowed_when_added", {}, S, {"type_narrowed"}, set()),
    Case("type_widened_integer_to_number", INT, N, set(), {"type_widened"}),
    Case("type_widened_by_union_member", S, {"type": ["string", "null"]}, set(), {"type_widened"}),
    Case("type_changed_string_to_number", S, N, {"type_changed"}, {"type_changed"}),
    Case("type_list_order_is_irrelevant", {"type": ["a", "b"]}, {"type": ["b", "a"]}, set(), set()),
]

ENUMS = [
    Case("enum_added", S, {**S, "enum": ["a"]}, {"enum_added"}, set()),
    Case("enum_removed", {**S, "enum": ["a"]}, S, set(), {"enum_removed"}),
    Case("enum_value_added", {"enum": ["a"]}, {"enum": ["a", "b"]}, set(), {"enum_value_added"}),
    Case(
        "enum_value_removed", {"enum": ["a", "b"]}, {"enum": ["a"]}, {"enum_value_removed"}, set()
    ),
    Case(
        "const_changed_breaks_both",
        {"const": "a"},
        {"const": "b"},
        {"enum_value_removed"},
        {"enum_value_added"},
    ),
    Case("const_equals_one_value_enum", {"const": [1]}, {"enum": [[1]]}, set(), set()),
    Case("enum_1_and_1_0_are_equal", {"enum": [1]}, {"enum": [1.0]}, set(), set()),
    Case(
        "enum_1_and_true_differ",
        {"enum": [1]},
        {"enum": [True]},
        {"enum_value_removed", "type_changed"},
        {"enum_value_added", "type_changed"},
    ),
    Case("enum_implies_the_type", {"enum": ["a", "b"]}, {**S, "enum": ["a", "b"]}, set(), set()),
    Case(
        "enum_narrows_a_declared_type",
        {"type": ["string", "integer"], "enum": ["a", 1]},
        {**S, "enum": ["a", 1]},
        {"type_narrowed"},
        set(),
    ),
    Case("enum_order_is_irrelevant", {"enum": ["a", "b"]}, {"enum": ["b", "a"]}, set(), set()),
]

NUMBERS = [
    Case("minimum_added", N, {**N, "minimum": 1}, {"minimum_added"}, set()),
    Case("minimum_removed", {**N, "minimum": 1}, N, set(), {"minimum_removed"}),
    Case("minimum_increased", {"minimum": 1}, {"minimum": 2}, {"minimum_increased"}, set()),
    Case("minimum_decreased", {"minimum": 2}, {"minimum": 1}, set(), {"minimum_decreased"}),
    Case(
        "minimum_became_exclusive",
        {"minimum": 1},
        {"exclusiveMinimum": 1},
        {"minimum_increased"},
        set(),
    ),
    Case(
        "minimum_became_inclusive",
        {"exclusiveMinimum": 1},
        {"minimum": 1},
        set(),
        {"minimum_decreased"},
    ),
    Case(
        "draft4_exclusive_minimum_equals_draft6",
        {"minimum": 1, "exclusiveMinimum": True},
        {"exclusiveMinimum": 1},
        set(),
        set(),
    ),
    Case("maximum_added", N, {**N, "maximum": 1}, {"maximum_added"}, set()),
    Case("maximum_removed", {"maximum": 1}, {}, set(), {"maximum_removed"}),
    Case("maximum_increased", {"maximum": 1}, {"maximum": 2}, set(), {"maximum_increased"}),
    Case("maximum_decreased", {"maximum": 2}, {"maximum": 1}, {"maximum_decreased"}, set()),
    Case(
        "draft4_exclusive_maximum_dropped",
        {"maximum": 5, "exclusiveMaximum": True},
        {"maximum": 5},
        set(),
        {"maximum_increased"},
    ),
    Case("multiple_of_added", N, {**N, "multipleOf": 2}, {"multiple_of_added"}, set()),
    Case("multiple_of_removed", {"multipleOf": 2}, {}, set(), {"multiple_of_removed"}),
    Case(
        "multiple_of_reduced_to_divisor",
        {"multipleOf": 10},
        {"multipleOf": 5},
        set(),
        {"multiple_of_reduced"},
    ),
    Case(
        "multiple_of_reduced_decimal",
        {"multipleOf": 0.1},
        {"multipleOf": 0.05},
        set(),
        {"multiple_of_reduced"},
    ),
    Case(
        "multiple_of_expanded_to_multiple",
        {"multipleOf": 5},
        {"multipleOf": 10},
        {"multiple_of_expanded"},
        set(),
    ),
    Case(
        "multiple_of_changed_unrelated",
        {"multipleOf": 7},
        {"multipleOf": 13},
        {"multiple_of_changed"},
        {"multiple_of_changed"},
    ),
]


def _exact_cases() -> list[Case]:
    cases = []
    for keyword, stem in EXACT_KEYWORDS:
        cases += [
            Case(f"{stem}_added", S, {**S, keyword: "a"}, {f"{stem}_added"}, set()),
            Case(f"{stem}_removed", {**S, keyword: "a"}, S, set(), {f"{stem}_removed"}),
            Case(
                f"{stem}_changed",
                {keyword: "a"},
                {keyword: "b"},
                {f"{stem}_changed"},
                {f"{stem}_changed"},
            ),
        ]
    return cases


def _size_cases() -> list[Case]:
    cases = []
    for bound in SIZE_BOUNDS:
        kw, stem = bound.keyword, bound.stem
        tight, loose = ("increased", "decreased") if bound.lower else ("decreased", "increased")
        small, big = {kw: 2}, {kw: 5}
        tightened, relaxed = (small, big) if bound.lower else (big, small)
        cases += [
            Case(f"{stem}_added", {}, small, {f"{stem}_added"}, set()),
            Case(f"{stem}_removed", small, {}, set(), {f"{stem}_removed"}),
            Case(f"{stem}_{tight}", tightened, relaxed, {f"{stem}_{tight}"}, set()),
            Case(f"{stem}_{loose}", relaxed, tightened, set(), {f"{stem}_{loose}"}),
        ]
    return cases


OBJECTS = [
    Case(
        "nested_property_change_recurses",
        obj({"a": {**S, "maxLength": 5}}),
        obj({"a": {**S, "maxLength": 3}}),
        {"max_length_decreased"},
        set(),
    ),
    Case(
        "property_added_to_open_model_strict",
        obj({"a": S}),
        obj({"a": S, "b": S}),
        {"property_added_to_open_model"},
        set(),
    ),
    Case(
        "property_added_to_open_model_lenient",
        obj({"a": S}),
        obj({"a": S, "b": S}),
        set(),
        set(),
        Policy.LENIENT,
    ),
    Case(
        "property_added_to_open_model_as_true",
        obj({"a": S}),
        obj({"a": S, "b": True}),
        set(),
        set(),
    ),
    Case(
        "property_added_to_closed_model",
        obj({"a": S}, additionalProperties=False),
        obj({"a": S, "b": S}, additionalProperties=False),
        set(),
        {"property_added_to_closed_model"},
    ),
    Case(
        "property_added_to_closed_model_lenient",
        obj({}, additionalProperties=False),
        obj({"b": S}, additionalProperties=False),
        set(),
        {"property_added_to_closed_model"},
        Policy.LENIENT,
    ),
    Case(
        "property_added_covered_by_partial_model",
        obj({}, additionalProperties=N),
        obj({"b": INT}, additionalProperties=N),
        {"property_added_to_partially_open_model"},
        set(),
    ),
    Case(
        "property_added_wider_than_partial_model",
        obj({}, additionalProperties=INT),
        obj({"b": N}, additionalProperties=INT),
        set(),
        {"property_added_to_partially_open_model"},
    ),
    Case(
        "property_added_matching_pattern",
        obj({}, patternProperties={"^I_": INT}),
        obj({"I_x": N}, patternProperties={"^I_": INT}),
        set(),
        {"property_added_to_partially_open_model"},
    ),
    Case(
        "property_added_matching_pattern_lenient_still_checked",
        obj({}, patternProperties={"^I_": N}),
        obj({"I_x": INT}, patternProperties={"^I_": N}),
        {"property_added_to_partially_open_model"},
        set(),
        Policy.LENIENT,
    ),
    Case(
        "property_removed_from_open_model_strict",
        obj({"a": S, "b": S}),
        obj({"a": S}),
        set(),
        {"property_removed_from_open_model"},
    ),
    Case(
        "property_removed_from_open_model_lenient",
        obj({"a": S, "b": S}),
        obj({"a": S}),
        set(),
        set(),
        Policy.LENIENT,
    ),
    Case(
        "property_removed_from_closed_model",
        obj({"b": S}, additionalProperties=False),
        obj({}, additionalProperties=False),
        {"property_removed_from_closed_model"},
        set(),
    ),
    Case(
        "property_removed_from_partial_model",
        obj({"b": INT}, additionalProperties=N),
        obj({}, additionalProperties=N),
        set(),
        {"property_removed_from_partially_open_model"},
    ),
    Case(
        "additional_properties_narrowed",
        obj({}),
        obj({}, additionalProperties=False),
        {"additional_properties_narrowed"},
        set(),
    ),
    Case(
        "additional_properties_narrowed_lenient",
        obj({}),
        obj({}, additionalProperties=False),
        set(),
        set(),
        Policy.LENIENT,
    ),
    Case(
        "additional_properties_widened",
        obj({}, additionalProperties=False),
        obj({}),
        set(),
        {"additional_properties_widened"},
    ),
    Case(
        "additional_properties_changed",
        obj({}, additionalProperties=S),
        obj({}, additionalProperties=N),
        {"additional_properties_changed"},
        {"additional_properties_changed"},
    ),
    Case(
        "unevaluated_properties_as_catch_all",
        obj({}),
        obj({}, unevaluatedProperties=False),
        {"additional_properties_narrowed"},
        set(),
    ),
    Case(
        "pattern_property_added_to_open_model",
        obj({}),
        obj({}, patternProperties={"^x_": S}),
        {"pattern_property_added"},
        set(),
    ),
    Case(
        "pattern_property_added_lenient",
        obj({}),
        obj({}, patternProperties={"^x_": S}),
        set(),
        set(),
        Policy.LENIENT,
    ),
    Case(
        "pattern_re2_cannot_compile_matches_nothing",
        obj({}, patternProperties={"^(?!x)": INT}),
        obj({"a": S}, patternProperties={"^(?!x)": INT}),
        {"property_added_to_open_model"},
        set(),
    ),
    Case(
        "pattern_property_removed_from_open_model",
        obj({}, patternProperties={"^x_": S}),
        obj({}),
        set(),
        {"pattern_property_removed"},
    ),
    Case(
        "pattern_property_schema_changed",
        obj({}, patternProperties={"^x_": S}),
        obj({}, patternProperties={"^x_": N}),
        {"type_changed"},
        {"type_changed"},
    ),
    Case("required_added", obj({"a": S}), obj({"a": S}, required=["a"]), {"required_added"}, set()),
    Case(
        "required_removed",
        obj({"a": S}, required=["a"]),
        obj({"a": S}),
        set(),
        {"required_removed"},
    ),
    Case(
        "required_order_is_irrelevant",
        {"required": ["a", "b"]},
        {"required": ["b", "a"]},
        set(),
        set(),
    ),
    Case(
        "dependent_required_added",
        {"dependentRequired": {"a": ["b"]}},
        {"dependentRequired": {"a": ["b", "c"]}},
        {"dependent_required_added"},
        set(),
    ),
    Case(
        "dependent_required_removed_draft7",
        {"dependencies": {"a": ["b", "c"]}},
        {"dependencies": {"a": ["b"]}},
        set(),
        {"dependent_required_removed"},
    ),
    Case(
        "dependencies_equal_dependent_required",
        {"dependencies": {"a": ["b"]}},
        {"dependentRequired": {"a": ["b"]}},
        set(),
        set(),
    ),
    Case(
        "dependent_schema_added",
        {},
        {"dependentSchemas": {"a": {"required": ["b"]}}},
        {"dependent_schema_added"},
        set(),
    ),
    Case(
        "dependent_schema_removed_draft7",
        {"dependencies": {"a": {"required": ["b"]}}},
        {},
        set(),
        {"dependent_schema_removed"},
    ),
    Case(
        "dependent_schema_changed_recurses",
        {"dependentSchemas": {"a": {"required": ["b"]}}},
        {"dependentSchemas": {"a": {"required": ["b", "c"]}}},
        {"required_added"},
        set(),
    ),
    Case(
        "property_names_added",
        obj({}),
        obj({}, propertyNames={"maxLength": 3}),
        {"max_length_added"},
        set(),
    ),
    Case(
        "property_names_relaxed",
        obj({}, propertyNames={"maxLength": 3}),
        obj({}, propertyNames={"maxLength": 5}),
        set(),
        {"max_length_increased"},
    ),
]

ARRAYS = [
    Case("items_schema_recurses", arr(items=INT), arr(items=N), set(), {"type_widened"}),
    Case("items_schema_added", arr(), arr(items=S), {"type_narrowed"}, set()),
    Case(
        "tuple_item_added_to_open_tuple",
        arr(items=[S]),
        arr(items=[S, N]),
        {"tuple_item_added"},
        set(),
    ),
    Case(
        "tuple_item_added_to_closed_tuple",
        arr(items=[S], additionalItems=False),
        arr(items=[S, N], additionalItems=False),
        set(),
        {"tuple_item_added"},
    ),
    Case(
        "tuple_item_removed_from_open_tuple",
        arr(items=[S, N]),
        arr(items=[S]),
        set(),
        {"tuple_item_removed"},
    ),
    Case(
        "tuple_item_removed_from_closed_tuple",
        arr(items=[S, N], additionalItems=False),
        arr(items=[S], additionalItems=False),
        {"tuple_item_removed"},
        set(),
    ),
    Case(
        "tuple_item_changed_recurses",
        arr(items=[S, N]),
        arr(items=[S, INT]),
        {"type_narrowed"},
        set(),
    ),
    Case(
        "additional_items_narrowed",
        arr(items=[S]),
        arr(items=[S], additionalItems=False),
        {"additional_items_narrowed"},
        set(),
    ),
    Case(
        "additional_items_widened",
        arr(items=[S], additionalItems=INT),
        arr(items=[S], additionalItems=N),
        set(),
        {"additional_items_widened"},
    ),
    Case(
        "additional_items_changed",
        arr(items=[S], additionalItems=INT),
        arr(items=[S], additionalItems=B),
        {"additional_items_changed"},
        {"additional_items_changed"},
    ),
    Case(
        "prefix_items_equal_draft7_tuple",
        arr(items=[S], additionalItems=False),
        arr(prefixItems=[S], items=False),
        set(),
        set(),
    ),
    Case(
        "prefix_items_rest_narrowed",
        arr(prefixItems=[S]),
        arr(prefixItems=[S], items=S),
        {"additional_items_narrowed"},
        set(),
    ),
    # unevaluatedItems is the catch-all of a tuple when nothing else evaluates items
    Case(
        "item_added_to_tuple_matching_its_unevaluated_items",
        arr(prefixItems=[S], unevaluatedItems=INT),
        arr(prefixItems=[S, INT], unevaluatedItems=INT),
        set(),
        set(),
    ),
    Case(
        "item_removed_from_tuple_into_its_unevaluated_items",
        arr(prefixItems=[S, INT], unevaluatedItems=INT),
        arr(prefixItems=[S], unevaluatedItems=INT),
        set(),
        set(),
    ),
    Case(
        "item_added_to_tuple_narrower_than_unevaluated_items",
        arr(prefixItems=[S], unevaluatedItems=N),
        arr(prefixItems=[S, INT], unevaluatedItems=N),
        {"tuple_item_added"},
        set(),
    ),
    Case(
        "item_removed_from_tuple_narrower_than_unevaluated_items",
        arr(prefixItems=[S, INT], unevaluatedItems=N),
        arr(prefixItems=[S], unevaluatedItems=N),
        set(),
        {"tuple_item_removed"},
    ),
    Case(
        "item_added_to_tuple_closed_by_unevaluated_items",
        arr(prefixItems=[S], unevaluatedItems=False),
        arr(prefixItems=[S, INT], unevaluatedItems=False),
        set(),
        {"tuple_item_added"},
    ),
    Case(
        "item_removed_from_tuple_closed_by_unevaluated_items",
        arr(prefixItems=[S, INT], unevaluatedItems=False),
        arr(prefixItems=[S], unevaluatedItems=False),
        {"tuple_item_removed"},
        set(),
    ),
    Case(
        "unevaluated_items_closes_an_open_tuple",
        arr(prefixItems=[S]),
        arr(prefixItems=[S], unevaluatedItems=False),
        {"additional_items_narrowed"},
        set(),
    ),
    Case(
        "unevaluated_items_opens_a_closed_tuple",
        arr(prefixItems=[S], unevaluatedItems=False),
        arr(prefixItems=[S]),
        set(),
        {"additional_items_widened"},
    ),
    Case(
        "unevaluated_items_false_equals_items_false",
        arr(prefixItems=[S], unevaluatedItems=False),
        arr(prefixItems=[S], items=False),
        set(),
        set(),
    ),
    Case(
        "unevaluated_items_without_tuple_equals_items",
        arr(unevaluatedItems=S),
        arr(items=S),
        set(),
        set(),
    ),
    Case(
        "unevaluated_items_beside_all_of_changed_is_unproven",
        arr(prefixItems=[S], unevaluatedItems=False, allOf=[{"minItems": 1}]),
        arr(prefixItems=[S], unevaluatedItems=INT, allOf=[{"minItems": 1}]),
        {"additional_items_changed"},
        {"additional_items_changed"},
    ),
    Case("contains_added", arr(), arr(contains=S), {"contains_added"}, set()),
    Case("contains_removed", arr(contains=S), arr(), set(), {"contains_removed"}),
    Case("contains_widened_recurses", arr(contains=INT), arr(contains=N), set(), {"type_widened"}),
    Case("unique_items_added", arr(), arr(uniqueItems=True), {"unique_items_added"}, set()),
    Case(
        "unique_items_removed",
        arr(uniqueItems=True),
        arr(uniqueItems=False),
        set(),
        {"unique_items_removed"},
    ),
]

COMBINATORS = [
    Case("any_of_branch_added", {"anyOf": [S]}, {"anyOf": [S, N]}, set(), {"any_of_branch_added"}),
    Case(
        "any_of_branch_removed", {"anyOf": [S, N]}, {"anyOf": [N]}, {"any_of_branch_removed"}, set()
    ),
    Case(
        "one_of_branch_added",
        {"oneOf": [S, N]},
        {"oneOf": [S, N, B]},
        set(),
        {"one_of_branch_added"},
    ),
    Case(
        "one_of_branch_removed", {"oneOf": [S, N]}, {"oneOf": [S]}, {"one_of_branch_removed"}, set()
    ),
    Case(
        "all_of_branch_added",
        {"allOf": [S]},
        {"allOf": [S, {"maxLength": 3}]},
        {"all_of_branch_added"},
        set(),
    ),
    Case(
        "all_of_branch_removed",
        {"allOf": [S, {"maxLength": 3}]},
        {"allOf": [S]},
        set(),
        {"all_of_branch_removed"},
    ),
    # allOf branches that add no constraint accept exactly the same documents
    Case("plain_schema_into_all_of_containing_it", S, {"allOf": [S]}, set(), set()),
    Case("all_of_of_one_branch_to_that_branch", {"allOf": [S]}, S, set(), set()),
    Case("plain_schema_into_all_of_repeating_it", S, {"allOf": [S, S]}, set(), set()),
    Case(
        "all_of_branch_repeated",
        {"allOf": [S, {"maxLength": 3}]},
        {"allOf": [S, {"maxLength": 3}, S]},
        set(),
        set(),
    ),
    Case(
        "all_of_repeat_dropped",
        {"allOf": [S, {"maxLength": 3}, S]},
        {"allOf": [S, {"maxLength": 3}]},
        set(),
        set(),
    ),
    Case("all_of_repeating_the_sibling_keywords", S, {**S, "allOf": [S]}, set(), set()),
    Case("all_of_true_branch_added", {"allOf": [S]}, {"allOf": [S, True, {}]}, set(), set()),
    Case(
        "all_of_repeat_replaced_by_a_real_branch",
        {"allOf": [S, S]},
        {"allOf": [S, {"maxLength": 3}]},
        {"all_of_branch_added"},
        set(),
    ),
    Case(
        "all_of_real_branch_replaced_by_a_repeat",
        {"allOf": [S, {"maxLength": 3}]},
        {"allOf": [S, S]},
        set(),
        {"all_of_branch_removed"},
    ),
    Case(
        "all_of_of_one_branch_narrower_than_the_plain_schema",
        S,
        {"allOf": [{**S, "maxLength": 3}]},
        {"max_length_added"},
        set(),
    ),
    Case("branch_order_is_irrelevant", {"anyOf": [S, N]}, {"anyOf": [N, S]}, set(), set()),
    Case(
        "branch_matched_by_likeness",
        {"anyOf": [{**S, "maxLength": 5}, N]},
        {"anyOf": [N, {**S, "maxLength": 3}]},
        {"max_length_decreased"},
        set(),
    ),
    Case("plain_schema_lifted_into_any_of", S, {"anyOf": [S, N]}, set(), {"any_of_branch_added"}),
    Case("one_of_lowered_to_plain_schema", {"oneOf": [S, N]}, S, {"one_of_branch_removed"}, set()),
    Case("combinator_added", S, {**S, "allOf": [{"maxLength": 3}]}, {"combinator_added"}, set()),
    Case(
        "combinator_removed",
        {**S, "anyOf": [{"maxLength": 3}, {"minLength": 5}]},
        S,
        set(),
        {"combinator_removed"},
    ),
    Case(
        "combinator_changed_all_of_to_any_of",
        {"allOf": [S, {"maxLength": 3}]},
        {"anyOf": [S, {"maxLength": 3}]},
        set(),
        {"combinator_changed"},
    ),
    Case(
        "combinator_changed_any_of_to_all_of",
        {"anyOf": [S, {"maxLength": 3}]},
        {"allOf": [S, {"maxLength": 3}]},
        {"combinator_changed"},
        set(),
    ),
    Case(
        "combinator_changed_one_of_to_all_of",
        {"oneOf": [S, N]},
        {"allOf": [S, N]},
        {"combinator_changed"},
        {"combinator_changed"},
    ),
    Case(
        "single_branch_combinator_switch_is_neutral", {"oneOf": [S]}, {"allOf": [S]}, set(), set()
    ),
    Case("not_added", {}, {"not": S}, {"not_added"}, set()),
    Case("not_removed", {"not": S}, {}, set(), {"not_removed"}),
    Case(
        "negated_schema_widened_narrows",
        {"not": INT},
        {"not": N},
        {"negated_schema_changed"},
        set(),
    ),
    Case(
        "negated_schema_narrowed_widens",
        {"not": N},
        {"not": INT},
        set(),
        {"negated_schema_changed"},
    ),
    Case(
        "condition_added",
        obj({}),
        obj({}, **{"if": {"required": ["a"]}, "then": {"required": ["b"]}}),
        {"condition_added"},
        set(),
    ),
    Case(
        "condition_removed",
        obj({}, **{"if": {"required": ["a"]}, "then": {"required": ["b"]}}),
        obj({}),
        set(),
        {"condition_removed"},
    ),
    Case(
        "condition_changed",
        {"if": {"required": ["a"]}, "then": S},
        {"if": {"required": ["c"]}, "then": S},
        {"condition_changed"},
        {"condition_changed"},
    ),
    Case(
        "then_tightened_recurses",
        {"if": {"required": ["a"]}, "then": {"maxLength": 5}},
        {"if": {"required": ["a"]}, "then": {"maxLength": 3}},
        {"max_length_decreased"},
        set(),
    ),
    Case(
        "then_sees_unchanged_parent_property",
        obj({"a": S}, **{"if": {}, "then": obj({"a": {"pattern": "x"}})}),
        obj({"a": S}, **{"if": {}, "then": obj({"a": S})}),
        set(),
        {"pattern_removed"},
    ),
    Case(
        "remote_ref_changed",
        {"$ref": "https://x/a.json"},
        {"$ref": "https://x/b.json"},
        {"ref_changed"},
        {"ref_changed"},
    ),
    Case(
        "remote_ref_unchanged",
        {"$ref": "https://x/a.json"},
        {"$ref": "https://x/a.json"},
        set(),
        set(),
    ),
]

DELIBERATE = [
    # semantic differences from Confluent's checker, kept on purpose (README, "What the checker
    # models"): the registry validates payloads, so what a validator does is what counts
    Case(
        "required_with_default_still_breaks_backward",
        obj({"a": S}, additionalProperties=False),
        obj({"a": S, "b": {**S, "default": "x"}}, required=["b"], additionalProperties=False),
        {"required_added"},
        {"property_added_to_closed_model"},
    ),
    Case(
        "required_name_not_declared_is_still_a_requirement",
        obj({"a": S}),
        obj({"a": S}, required=["ghost"]),
        {"required_added"},
        set(),
    ),
    Case(
        "required_name_not_declared_dropped_relaxes",
        obj({"a": S}, required=["ghost"]),
        obj({"a": S}),
        set(),
        {"required_removed"},
    ),
    Case(
        "additional_items_without_array_items_has_no_effect",
        arr(items=S),
        arr(items=S, additionalItems=False),
        set(),
        set(),
    ),
    Case(
        "additional_items_without_any_items_has_no_effect",
        arr(additionalItems=False),
        arr(additionalItems=INT),
        set(),
        set(),
    ),
]

ALL = (
    BASICS
    + TYPES
    + ENUMS
    + NUMBERS
    + _exact_cases()
    + _size_cases()
    + OBJECTS
    + ARRAYS
    + COMBINATORS
    + DELIBERATE
)


def _codes(case: Case, level: Level) -> set[str]:
    return {f.code for f in check(case.old, case.new, level=level, policy=case.policy)}


@pytest.mark.parametrize("case", ALL, ids=[c.name for c in ALL])
def test_rule_fires_in_expected_directions_only(case: Case) -> None:
    assert _codes(case, Level.BACKWARD) == case.backward
    assert _codes(case, Level.FORWARD) == case.forward


@pytest.mark.parametrize("case", ALL, ids=[c.name for c in ALL])
def test_full_is_the_union_of_both_directions(case: Case) -> None:
    assert _codes(case, Level.FULL) == case.backward | case.forward


@pytest.mark.parametrize("case", ALL, ids=[c.name for c in ALL])
def test_schema_is_compatible_with_itself(case: Case) -> None:
    assert diff(case.old, case.old, policy=case.policy) == []
    assert diff(case.new, case.new, policy=case.policy) == []


def test_case_names_are_unique() -> None:
    names = [c.name for c in ALL]
    assert len(names) == len(set(names))


def test_comparison_too_complex_when_the_budget_is_spent() -> None:
    old = _nested_any_of({"type": "string"}, 8)
    new = _nested_any_of({"type": "integer"}, 8)
    changes = diff(old, new, budget=100)
    assert [(c.code, c.breaks_backward, c.breaks_forward) for c in changes] == [
        ("comparison_too_complex", True, True)
    ]
    assert {c.code for c in diff(old, new)} == {"type_changed"}


@pytest.mark.parametrize("budget", [1, 500, 2_000])
def test_hostile_nesting_stops_after_the_budget_of_comparisons(
    budget: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Work is bounded by counting subschema comparisons, not by a wall-time guess."""
    import importlib

    diff_module = importlib.import_module("registry.core.compatibility.diffing")
    spent = 0
    compare = diff_module._Differ._compare

    def counting(old: Any, new: Any, at: Any, ctx: Any) -> Any:
        nonlocal spent
        spent += 1
        return compare(old, new, at, ctx)

    monkeypatch.setattr(diff_module._Differ, "_compare", staticmethod(counting))
    old = _nested_any_of({"type": "string"}, 10)
    new = _nested_any_of({"type": "integer"}, 10)
    codes = {c.code for c in diff(old, new, budget=budget)}
    assert codes == {"comparison_too_complex"}
    assert spent == budget


def test_the_default_comparison_budget_is_twenty_thousand() -> None:
    import inspect

    assert inspect.signature(diff).parameters["budget"].default == 20_000


EXERCISED_ELSEWHERE = {
    "comparison_too_complex",
    "tags_changed",  # breaks neither direction: tests/unit/core/test_tags.py
}


def test_every_code_in_the_catalogue_is_exercised() -> None:
    covered = set().union(*(c.backward | c.forward for c in ALL)) | EXERCISED_ELSEWHERE
    assert set(CODES) - covered == set()
    assert covered - set(CODES) == set()


def test_a_new_true_branch_covers_every_old_branch_of_a_sum() -> None:
    """Found by the swap law: the old branch was paired with the wrong new branch by likeness."""
    old = {"type": "array", "items": {"type": "boolean"}, "uniqueItems": True}
    new = {"anyOf": [True, {"type": "array", "prefixItems": [], "items": False}]}
    assert check(old, new, level=Level.BACKWARD) == []
    assert check(new, old, level=Level.FORWARD) == []
    assert check(old, new, level=Level.FORWARD) != []


@pytest.mark.parametrize("junk", [[["string"]], [{"a": 1}], [None], ["string", 5]])
def test_type_list_with_non_string_members_does_not_crash(junk: list[Any]) -> None:
    """Found by test_malformed_schemas_never_crash: ``n in _KINDS`` raised on a list member."""
    assert isinstance(diff({"type": junk}, {"type": "string"}), list)
    assert diff({"type": junk}, {"type": junk}) == []
