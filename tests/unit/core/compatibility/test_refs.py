"""Local ``$ref`` resolution: definitions, $defs, anchors, siblings, cycles, non-local refs."""

from __future__ import annotations

from typing import Any

import pytest

from registry.core.compatibility import Level, check, diff


def person(name_max: int) -> dict[str, Any]:
    return {
        "$defs": {
            "person": {
                "type": "object",
                "properties": {
                    "name": {"type": "string", "maxLength": name_max},
                    "friends": {"type": "array", "items": {"$ref": "#/$defs/person"}},
                    "boss": {"$ref": "#/$defs/person"},
                },
            }
        },
        "$ref": "#/$defs/person",
    }


def test_recursive_schema_terminates_and_reports_once() -> None:
    changes = diff(person(50), person(20))
    assert [(c.code, c.path) for c in changes] == [
        ("max_length_decreased", "/$defs/person/properties/name/maxLength")
    ]


def test_recursive_schema_is_equal_to_itself() -> None:
    assert diff(person(5), person(5)) == []


def test_ref_to_root_terminates() -> None:
    old = {"type": "object", "properties": {"next": {"$ref": "#"}, "v": {"type": "integer"}}}
    new = {"type": "object", "properties": {"next": {"$ref": "#"}, "v": {"type": "number"}}}
    assert [c.code for c in diff(old, new)] == ["type_widened"]


def test_self_referencing_ref_chain_terminates() -> None:
    loop = {"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"}
    assert isinstance(diff(loop, {"type": "string"}), list)


def test_inline_and_referenced_schema_are_equal() -> None:
    inline = {"properties": {"a": {"type": "string"}}}
    referenced = {
        "definitions": {"s": {"type": "string"}},
        "properties": {"a": {"$ref": "#/definitions/s"}},
    }
    assert diff(inline, referenced) == []
    assert diff(referenced, inline) == []


def test_draft7_id_anchor_and_2019_anchor_resolve() -> None:
    draft7 = {
        "definitions": {"x": {"$id": "#x", "type": "integer"}},
        "properties": {"a": {"$ref": "#x"}},
    }
    modern = {
        "$defs": {"x": {"$anchor": "x", "type": "number"}},
        "properties": {"a": {"$ref": "#x"}},
    }
    assert [c.code for c in diff(draft7, modern)] == ["type_widened"]


def test_ref_siblings_are_applied() -> None:
    old = {"$defs": {"s": {"type": "string"}}, "$ref": "#/$defs/s"}
    new = {"$defs": {"s": {"type": "string"}}, "$ref": "#/$defs/s", "maxLength": 3}
    assert [c.code for c in diff(old, new)] == ["max_length_added"]


def test_percent_and_tilde_escapes_in_pointer() -> None:
    old = {
        "$defs": {"a/b": {"type": "string"}, "c%d": {"type": "integer"}},
        "anyOf": [{"$ref": "#/$defs/a~1b"}],
    }
    new = {
        "$defs": {"a/b": {"type": "string"}, "c%d": {"type": "integer"}},
        "anyOf": [{"$ref": "#/$defs/c%25d"}],
    }
    assert {c.code for c in diff(old, new)} == {"type_changed"}


@pytest.mark.parametrize("ref", ["https://example.com/s.json", "other.json#/x", "#/$defs/missing"])
def test_unresolvable_refs_compare_by_text(ref: str) -> None:
    assert diff({"$ref": ref}, {"$ref": ref}) == []
    assert {f.code for f in check({"$ref": ref}, {"$ref": ref + "2"}, level=Level.FULL)} == {
        "ref_changed"
    }


def test_two_properties_sharing_a_definition_are_each_reported() -> None:
    defs = {"$defs": {"X": {"type": "string"}}}
    old = {"type": "object", "properties": {}, **defs}
    new = {
        "type": "object",
        "properties": {"b": {"$ref": "#/$defs/X"}, "c": {"$ref": "#/$defs/X"}},
        **defs,
    }
    findings = check(old, new)
    assert [(f.code, f.path) for f in findings] == [
        ("property_added_to_open_model", "/properties/b"),
        ("property_added_to_open_model", "/properties/c"),
    ]
