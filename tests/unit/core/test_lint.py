"""Every lint rule in both directions, the rule table, and the catalog passing the defaults."""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

import msgspec
import pytest

from registry.core import lint

ROOT = Path(__file__).resolve().parents[3] / "schemas"


def obj(properties: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties, **extra}


D = "documented"


class Case(NamedTuple):
    rule: str
    bad: Any
    good: Any
    paths: list[str]
    """Where the bad schema is flagged (JSON Pointers)."""


CASES = [
    Case(
        "missing_description",
        obj({"a": {"type": "integer"}, "b": obj({"c": {"description": " "}}, description=D)}),
        obj({"a": {"type": "integer", "description": D}}),
        ["/properties/a", "/properties/b/properties/c"],
    ),
    Case(
        "unbounded_string",
        obj({"a": {"type": "string"}, "b": {"type": ["string", "null"]}, "n": {"type": "integer"}}),
        obj(
            {
                "a": {"type": "string", "maxLength": 10},
                "b": {"type": "string", "format": "email"},
                "c": {"enum": ["x"]},
                "d": {"type": "string", "pattern": "^[A-Z]{3}$"},
            }
        ),
        ["/properties/a", "/properties/b"],
    ),
    Case(
        "additional_properties_unstated",
        obj({"o": obj({"x": {}}), "l": {"type": "array", "items": obj({"y": {}})}}),
        obj(
            {
                "o": obj({"x": {}}, additionalProperties=False),
                "l": {"type": "array", "items": obj({"y": {}}, additionalProperties=True)},
            }
        ),
        ["/properties/o", "/properties/l/items"],
    ),
    Case(
        "param_not_camel_case",
        obj({"order_id": {}, "OrderTotal": {}, "items": {"items": obj({"Sku": {}})}}),
        obj({"orderId": {}, "total2": {}, "EmailAddress": {}, "Contact_id": {}}),
        [
            "/properties/order_id",
            "/properties/OrderTotal",
            "/properties/items/items/properties/Sku",
        ],
    ),
    Case(
        "enum_casing_mixed",
        obj({"s": {"enum": ["PAID", "inProgress"]}, "t": {"enum": ["Paid", "refund_pending"]}}),
        obj(
            {
                "s": {"enum": ["PAID", "IN_PROGRESS", "X1"]},
                "t": {"enum": ["online", "offline"]},
                "u": {"enum": ["online", "inStore"]},
                "v": {"enum": [1, 2, "a b"]},
            }
        ),
        ["/properties/s", "/properties/t"],
    ),
    Case(
        "optional_without_default",
        obj({"a": {"type": "integer"}, "b": {"type": "integer"}}, required=["b"]),
        obj(
            {"a": {"type": "integer", "default": 0}, "b": {}, "c": {"description": D}},
            required=["b"],
        ),
        ["/properties/a"],
    ),
    Case(
        "deprecated_without_sunset",
        obj({"old": {"deprecated": True}}),
        obj({"old": {"deprecated": True, "x-sunset": "2027-01-01"}, "new": {"deprecated": False}}),
        ["/properties/old"],
    ),
]


def _run(rule: str, schema: Any, others: list[lint.Subject] = ()) -> list[lint.LintFinding]:  # type: ignore[assignment]
    subject = lint.Subject("t", schema)
    return lint.lint([subject, *others], lint.select([rule]))


@pytest.mark.parametrize("case", CASES, ids=[c.rule for c in CASES])
def test_the_rule_flags_the_bad_schema(case: Case) -> None:
    found = _run(case.rule, case.bad)
    assert [f.path for f in found] == case.paths
    assert {f.rule for f in found} == {case.rule}
    assert all(f.key == "t" and f.message for f in found)


@pytest.mark.parametrize("case", CASES, ids=[c.rule for c in CASES])
def test_the_rule_accepts_the_good_schema(case: Case) -> None:
    assert _run(case.rule, case.good) == []


def test_casing_across_types_flags_a_name_spelled_two_ways() -> None:
    a = lint.Subject("a", obj({"orderId": {}, "email": {}}))
    b = lint.Subject("b", obj({"OrderID": {}, "EMAIL": {}}))
    found = lint.lint([a, b], lint.select(["param_casing_inconsistent"]))
    assert [(f.key, f.param) for f in found] == [("a", "orderId"), ("b", "OrderID")]
    assert "OrderID" in found[0].message


def test_casing_across_types_accepts_one_spelling() -> None:
    a = lint.Subject("a", obj({"orderId": {}}))
    b = lint.Subject("b", obj({"orderId": {}, "total": {}}))
    assert lint.lint([a, b], lint.select(["param_casing_inconsistent"])) == []


def test_every_rule_has_a_case_both_ways() -> None:
    covered = {c.rule for c in CASES} | {"param_casing_inconsistent"}
    assert covered == set(lint.RULE_CODES)
    assert tuple(r.code for r in lint.RULES) == lint.RULE_CODES


def test_select_defaults_all_and_unknown() -> None:
    assert [r.code for r in lint.select()] == list(lint.DEFAULT_RULES)
    assert [r.code for r in lint.select(["all"])] == list(lint.RULE_CODES)
    chosen = lint.select(["all"], disabled=["unbounded_string"])
    assert "unbounded_string" not in [r.code for r in chosen]
    with pytest.raises(KeyError, match="nope"):
        lint.select(["nope"])


def test_blocking_runs_only_the_named_rules() -> None:
    schema = obj({"a_b": {"type": "string"}})
    assert lint.blocking("t", schema, []) == []
    found = lint.blocking("t", schema, ["param_not_camel_case"])
    assert [f.rule for f in found] == ["param_not_camel_case"]


def test_the_default_rules_accept_the_built_in_catalog() -> None:
    files = sorted(ROOT.glob("*/*.json"))
    assert len(files) >= 30
    documents = [msgspec.json.decode(p.read_bytes()) for p in files]
    subjects = [lint.Subject(d["key"], d["schema"]) for d in documents]
    assert lint.lint(subjects) == []
    assert any(k[0].isupper() for k, _ in subjects)  # PascalCase type keys are fine
