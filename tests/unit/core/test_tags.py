"""Data-contract tags: where they are found, that they never break compatibility, masking."""

from __future__ import annotations

import pytest

from registry.core.compatibility import Level, check, diff
from registry.core.inspection import MASK, Masker
from registry.core.tags import PiiIndex, param_tags, pii_names

TAGGED = {
    "type": "object",
    "properties": {
        "email": {"type": "string", "x-pii": True, "x-owner": "crm"},
        "note": {"type": "string", "x-pii": False},
        "items": {
            "type": "array",
            "items": {"type": "object", "properties": {"buyerName": {"x-pii": True}}},
        },
        "plain": {"type": "integer"},
    },
}
UNTAGGED = {
    "type": "object",
    "properties": {
        "email": {"type": "string"},
        "note": {"type": "string"},
        "items": {"type": "array", "items": {"type": "object", "properties": {"buyerName": {}}}},
        "plain": {"type": "integer"},
    },
}


def test_pii_names_are_found_at_any_depth_and_only_when_true() -> None:
    assert pii_names(TAGGED) == {"email", "buyerName"}
    assert pii_names(UNTAGGED) == frozenset()
    assert pii_names(True) == frozenset()


def test_param_tags_list_each_tagged_member_by_path() -> None:
    assert param_tags(TAGGED) == {
        "email": {"x-pii": True, "x-owner": "crm"},
        "note": {"x-pii": False},
        "items[].buyerName": {"x-pii": True},
    }
    assert param_tags(UNTAGGED) == {}


@pytest.mark.parametrize("level", list(Level), ids=lambda level: level.name)
def test_tag_only_changes_are_compatible_at_every_level(level: Level) -> None:
    assert check(UNTAGGED, TAGGED, level=level) == []
    assert check(TAGGED, UNTAGGED, level=level) == []


def test_the_diff_says_tags_changed_and_that_nothing_breaks() -> None:
    changes = diff(UNTAGGED, TAGGED)
    assert [(c.code, c.path) for c in changes] == [
        ("tags_changed", "/properties/email"),
        ("tags_changed", "/properties/note"),
        ("tags_changed", "/properties/items/items/properties/buyerName"),
    ]
    assert not any(c.breaks_backward or c.breaks_forward for c in changes)
    assert changes[0].new_value == {"x-pii": True, "x-owner": "crm"}


def test_a_tag_change_next_to_a_breaking_change_keeps_the_breaking_one() -> None:
    narrowed = {"type": "object", "properties": {"plain": {"type": "string", "x-pii": True}}}
    old = {"type": "object", "properties": {"plain": {"type": "integer"}}}
    codes = {f.code for f in check(old, narrowed, level=Level.BACKWARD)}
    assert codes == {"type_changed"}


def test_no_tag_change_no_tags_changed() -> None:
    assert diff(TAGGED, TAGGED) == []


def test_a_masker_also_masks_the_schemas_pii_params() -> None:
    base = Masker(["keyValue"])
    payload = {"keyValue": "k", "params": [{"name": "email", "value": "a@b.c"}], "x": "a@b.c"}
    assert base.mask(payload)[0]["params"][0]["value"] == "a@b.c"
    masked, hidden = base.also(frozenset({"Email"})).mask(payload)
    assert masked["params"][0]["value"] == MASK
    assert masked["keyValue"] == MASK
    assert hidden == {"k", "a@b.c"}
    assert base.also(frozenset({"keyvalue"})) is base


def test_the_pii_index_loads_each_schema_once() -> None:
    loads: list[int] = []

    def load(schema_id: int) -> object:
        loads.append(schema_id)
        return TAGGED

    index = PiiIndex(load)
    assert index.names(7) == {"email", "buyerName"}
    assert index.names(7) == {"email", "buyerName"}
    assert index.names(None) == frozenset()
    assert loads == [7]
