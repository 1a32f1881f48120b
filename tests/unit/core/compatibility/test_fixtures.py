"""Realistic named schemas (tests/data/compat) read as spec sentences."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from registry.core.compatibility import Level, Policy, check, diff

DATA = Path(__file__).resolve().parents[3] / "data" / "compat"


def load(name: str) -> Any:
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


# (old, new, level, policy, expected finding codes)
SENTENCES = [
    (
        "purchase.v1",
        "purchase.v2.optional-added",
        Level.BACKWARD,
        Policy.STRICT,
        {"property_added_to_open_model"},
    ),
    ("purchase.v1", "purchase.v2.optional-added", Level.FULL, Policy.LENIENT, set()),
    ("purchase.v2.optional-added", "purchase.v1", Level.FULL, Policy.LENIENT, set()),
    ("purchase.v2.optional-added", "purchase.v1", Level.BACKWARD, Policy.STRICT, set()),
    (
        "purchase.v2.optional-added",
        "purchase.v1",
        Level.FORWARD,
        Policy.STRICT,
        {"property_removed_from_open_model"},
    ),
    (
        "purchase.v1",
        "purchase.v2.required-added",
        Level.BACKWARD,
        Policy.LENIENT,
        {"required_added"},
    ),
    ("purchase.v1", "purchase.v2.required-added", Level.FORWARD, Policy.STRICT, set()),
    ("purchase.v1", "purchase.v2.enum-extended", Level.BACKWARD, Policy.STRICT, set()),
    (
        "purchase.v1",
        "purchase.v2.enum-extended",
        Level.FORWARD,
        Policy.STRICT,
        {"enum_value_added"},
    ),
    ("purchase.v1", "purchase.v2.amount-integer", Level.BACKWARD, Policy.STRICT, {"type_narrowed"}),
    ("purchase.v1", "purchase.v2.amount-integer", Level.FORWARD, Policy.STRICT, set()),
    (
        "purchase.v1",
        "purchase.v2.closed",
        Level.BACKWARD,
        Policy.STRICT,
        {"additional_properties_narrowed"},
    ),
    ("purchase.v1", "purchase.v2.closed", Level.FULL, Policy.LENIENT, set()),
    ("purchase.v1", "purchase.v2.refs", Level.FULL, Policy.STRICT, set()),
    ("tree.v1", "tree.v2.name-shorter", Level.BACKWARD, Policy.STRICT, {"max_length_decreased"}),
    ("tree.v1", "tree.v2.name-shorter", Level.FORWARD, Policy.STRICT, set()),
]


@pytest.mark.parametrize(
    ("old", "new", "level", "policy", "codes"),
    SENTENCES,
    ids=[f"{o}->{n}@{lv}/{p}" for o, n, lv, p, _ in SENTENCES],
)
def test_named_schema_pairs(
    old: str, new: str, level: Level, policy: Policy, codes: set[str]
) -> None:
    assert {f.code for f in check(load(old), load(new), level=level, policy=policy)} == codes


def test_required_added_points_at_the_new_required_keyword() -> None:
    (finding,) = check(load("purchase.v1"), load("purchase.v2.required-added"))
    assert finding.path == "/required"
    assert finding.new_value == "currency"
    assert "without it" in finding.message


def test_path_into_a_definition_is_a_real_pointer() -> None:
    (finding,) = check(load("tree.v1"), load("tree.v2.name-shorter"))
    assert finding.path == "/definitions/node/properties/name/maxLength"
    assert (finding.old_value, finding.new_value) == (50, 20)


def test_removed_property_points_into_the_old_schema() -> None:
    changes = diff(load("purchase.v2.optional-added"), load("purchase.v1"))
    assert [(c.code, c.path) for c in changes] == [
        ("property_removed_from_open_model", "/properties/coupon")
    ]
    assert "old schema" in changes[0].message
