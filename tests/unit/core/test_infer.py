"""Inference rules, each in both directions (tests/property/test_infer_law.py has the law)."""

from __future__ import annotations

from typing import Any

import pytest

from registry.core.infer import InferOptions, infer, params_of
from registry.core.inspection import MASK
from registry.core.validation.codes import DATE_TIME_PATTERN
from tests.infer_support import errors_against


def _prop(samples: list[dict[str, Any]], name: str = "p") -> dict[str, Any]:
    node: dict[str, Any] = infer(samples).schema["properties"][name]
    return node


def _stats(samples: list[dict[str, Any]], path: str = "p") -> dict[str, Any]:
    found = [s for s in infer(samples).stats["params"] if s["path"] == path]
    assert len(found) == 1
    return found[0]


def test_integers_only_stay_integer() -> None:
    assert _prop([{"p": 1}, {"p": 2}])["type"] == "integer"


def test_a_fraction_makes_the_param_a_number() -> None:
    assert _prop([{"p": 1}, {"p": 2.5}])["type"] == "number"


def test_disagreeing_samples_give_a_union_in_a_stable_order() -> None:
    assert _prop([{"p": "a"}, {"p": 1}, {"p": None}, {"p": True}])["type"] == [
        "null",
        "boolean",
        "integer",
        "string",
    ]


def test_one_type_is_not_a_union() -> None:
    assert _prop([{"p": "a"}, {"p": "b"}])["type"] == "string"


def test_required_means_present_in_every_sample_and_stats_show_the_percentage() -> None:
    samples = [{"a": 1, "b": 1}, {"a": 2}, {"a": 3}, {"a": 4, "b": 2}]
    proposal = infer(samples)
    assert proposal.schema["required"] == ["a"]
    presence = {s["path"]: (s["present"], s["of"], s["presence"]) for s in proposal.stats["params"]}
    assert presence == {"a": (4, 4, 100.0), "b": (2, 4, 50.0)}
    assert [p.get("required", False) for p in proposal.params] == [True, False]


def test_no_samples_propose_an_empty_object() -> None:
    proposal = infer([])
    assert proposal.schema["properties"] == {}
    assert "required" not in proposal.schema
    assert proposal.params == []


LOW = ["CREATED", "PAID", "CREATED", "PAID", "CREATED"]


def test_low_cardinality_strings_become_an_enum_in_first_seen_order() -> None:
    assert _prop([{"p": v} for v in LOW]) == {"type": "string", "enum": ["CREATED", "PAID"]}
    assert _stats([{"p": v} for v in LOW])["enum"] is True


def test_too_few_samples_give_no_enum() -> None:
    node = _prop([{"p": v} for v in LOW[:4]])
    assert "enum" not in node
    assert node["maxLength"] == 16


def test_too_many_distinct_values_give_no_enum() -> None:
    values = [f"v{i % 11}" for i in range(40)]
    assert "enum" not in _prop([{"p": v} for v in values])
    values = [f"v{i % 10}" for i in range(40)]
    assert len(_prop([{"p": v} for v in values])["enum"]) == 10


def test_mostly_unique_values_give_no_enum() -> None:
    assert "enum" not in _prop([{"p": v} for v in ["a", "b", "c", "d", "a"]])


def test_enum_thresholds_are_options() -> None:
    options = InferOptions(enum_min_samples=2)
    proposal = infer([{"p": "x"}, {"p": "x"}], options=options)
    assert proposal.schema["properties"]["p"]["enum"] == ["x"]
    assert proposal.stats["thresholds"]["enumMinSamples"] == 2


def test_mixed_types_give_no_enum() -> None:
    samples = [{"p": v} for v in [*LOW, 1]]
    assert "enum" not in _prop(samples)


FORMATS = [
    ("uuid", ["0b5f2b4e-1c3a-4d5e-9f00-7a8b9c0d1e2f"], {"format": "uuid"}),
    ("email", ["buyer@example.org", "b@shop.example"], {"format": "email", "maxLength": 64}),
    ("date", ["2024-11-02", "2023-01-31"], {"format": "date"}),
    ("date-time", ["2024-11-02T09:15:00Z", "2024-11-02T09:15:00.5+03:00"], {"format": "date-time"}),
    ("yespo datetime", ["2024-11-02T09:15:00", "2024-11-02T09:15"], {"pattern": DATE_TIME_PATTERN}),
    ("uri", ["https://shop.example/a", "https://shop.example/b?x=1"], {"format": "uri"}),
]


@pytest.mark.parametrize(
    ("values", "expected"), [c[1:] for c in FORMATS], ids=[c[0] for c in FORMATS]
)
def test_a_format_every_value_satisfies_is_proposed(
    values: list[str], expected: dict[str, Any]
) -> None:
    node = _prop([{"p": v} for v in values])
    assert {k: v for k, v in node.items() if k not in ("type", "maxLength")} == {
        k: v for k, v in expected.items() if k != "maxLength"
    }


@pytest.mark.parametrize(
    ("values", "expected"), [c[1:] for c in FORMATS], ids=[c[0] for c in FORMATS]
)
def test_one_value_outside_the_format_drops_it(values: list[str], expected: dict[str, Any]) -> None:
    node = _prop([{"p": v} for v in [*values, "plain words"]])
    assert "format" not in node
    assert "pattern" not in node


def test_formats_are_preferred_to_enums() -> None:
    node = _prop([{"p": "2024-11-02"}] * 6)
    assert node == {"type": "string", "format": "date"}


def test_max_length_is_twice_the_longest_rounded_up_to_a_power_of_two() -> None:
    assert _prop([{"p": "x" * 20}, {"p": "y"}])["maxLength"] == 64
    assert _prop([{"p": "x" * 32}])["maxLength"] == 64
    assert _prop([{"p": "x"}])["maxLength"] == 16


def test_strings_longer_than_the_cap_get_no_max_length() -> None:
    assert "maxLength" not in _prop([{"p": "x" * 4097}])
    assert _prop([{"p": "x" * 4096}])["maxLength"] == 4096


def test_fixed_width_formats_get_no_max_length() -> None:
    assert "maxLength" not in _prop([{"p": "2024-11-02"}])


def test_masked_values_teach_no_format_enum_or_length_and_are_flagged() -> None:
    samples = [{"p": "buyer@example.org"}] * 6 + [{"p": MASK}]
    assert _prop(samples) == {"type": "string"}
    stats = _stats(samples)
    assert stats["masked"] == 1
    assert "format" not in stats


def test_unmasked_values_do_teach() -> None:
    assert _prop([{"p": "buyer@example.org"}] * 2)["format"] == "email"


def test_nested_objects_get_properties_and_required() -> None:
    samples = [{"p": {"color": "red", "size": 1}}, {"p": {"color": "blue"}}]
    node = _prop(samples)
    assert node["type"] == "object"
    assert list(node["properties"]) == ["color", "size"]
    assert node["required"] == ["color"]
    assert _stats(samples, "p.size")["presence"] == 50.0


def test_arrays_of_objects_get_one_merged_items_schema() -> None:
    samples = [{"p": [{"sku": "A", "qty": 1}, {"sku": "B"}]}, {"p": []}]
    node = _prop(samples)
    assert node["type"] == "array"
    assert node["items"]["required"] == ["sku"]
    assert node["items"]["properties"]["qty"] == {"type": "integer"}
    assert _stats(samples, "p[].qty")["of"] == 2


def test_empty_arrays_only_say_array() -> None:
    assert _prop([{"p": []}]) == {"type": "array"}


def test_json_text_params_are_inferred_from_what_they_decode_to() -> None:
    samples = [{"p": '[{"sku": "A", "cost": 1.5}]'}, {"p": [{"sku": "B", "cost": 2}]}]
    node = _prop(samples)
    assert node["type"] == "array"
    assert node["items"]["properties"]["cost"] == {"type": "number"}
    assert _stats(samples)["jsonInString"] == 1
    assert errors_against(infer(samples).schema, samples) == []


def test_a_plain_string_among_json_texts_keeps_them_strings() -> None:
    samples = [{"p": '[{"sku": "A"}]'}, {"p": "not json"}]
    assert _prop(samples)["type"] == "string"
    assert "jsonInString" not in _stats(samples)


def test_json_text_inside_nested_values_stays_a_string() -> None:
    assert _prop([{"p": {"q": "[1]"}}])["properties"]["q"]["type"] == "string"


def test_params_of_reads_the_list_form_and_the_parameters_alias() -> None:
    listed = {"eventTypeKey": "k", "params": [{"name": "a", "value": 1}]}
    aliased = {"eventTypeKey": "k", "parameters": {"a": 1}}
    assert params_of(listed) == params_of(aliased) == {"a": 1}
    assert params_of("nope") is None
    assert params_of({"eventTypeKey": "k"}) == {}


def test_the_param_list_form_says_what_it_can() -> None:
    samples = [
        {
            "id": "0b5f2b4e-1c3a-4d5e-9f00-7a8b9c0d1e2f",
            "at": "2024-11-02T09:15:00",
            "n": 1,
            "mixed": 1,
            "items": [{"sku": "A"}],
            "tags": ["x"],
        },
        {
            "id": "1b5f2b4e-1c3a-4d5e-9f00-7a8b9c0d1e2f",
            "at": "2024-11-02T09:15:00Z",
            "n": 2,
            "mixed": "one",
            "items": [],
            "tags": [],
        },
    ]
    params = infer(samples).params
    assert params == [
        {"name": "id", "type": "uuid", "required": True},
        {"name": "at", "type": "datetime", "required": True},
        {"name": "n", "type": "integer", "required": True},
        {"name": "mixed", "description": "observed types: integer, string", "required": True},
        {
            "name": "items",
            "type": "array",
            "items": [{"name": "sku", "type": "string", "maxLength": 16, "required": True}],
            "required": True,
        },
        {
            "name": "tags",
            "type": "array",
            "items": {"type": "string", "maxLength": 16},
            "required": True,
        },
    ]
