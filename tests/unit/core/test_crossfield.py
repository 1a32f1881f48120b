"""Each cross-field rule, both ways: the order it flags and the nearest order it lets through."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from registry.core import crossfield
from registry.core.crossfield import (
    RULES,
    object_subject,
    order_contact_missing,
    order_id_not_string,
    order_ignored,
    order_total_mismatch,
    params_subject,
)

ORDER: dict[str, Any] = {
    "externalOrderId": "SO-1", "totalCost": "120.0", "status": "INITIALIZED",
    "date": "2024-11-02T09:15:00", "email": "a@example.org",
    "items": [{"externalItemId": "A", "quantity": 2, "cost": 50},
              {"externalItemId": "B", "quantity": "1", "cost": "20.00"}],
}  # fmt: skip


def codes(rule: crossfield.Rule, order: dict[str, Any]) -> list[tuple[str, str]]:
    return [(v.code, v.path) for v in rule(object_subject(order, "/orders/0"))]


CASES = [
    # rule, flagged order, passing order, expected (code, path)
    (order_total_mismatch, {**ORDER, "totalCost": 121}, ORDER,
     ("order_total_mismatch", "/orders/0/totalCost")),
    (order_total_mismatch, {**ORDER, "shipping": 5, "totalCost": 130},
     {**ORDER, "shipping": 5, "taxes": "3", "discount": 8, "totalCost": 120},
     ("order_total_mismatch", "/orders/0/totalCost")),
    (order_ignored, {k: v for k, v in ORDER.items() if k != "date"}, ORDER,
     ("order_ignored", "/orders/0")),
    (order_ignored, {**ORDER, "email": "null"}, {**ORDER, "email": "null", "phone": "+380"},
     ("order_ignored", "/orders/0")),
    (order_contact_missing, {**ORDER, "email": ""}, {**ORDER, "email": "", "externalCustomerId": 7},
     ("order_contact_missing", "/orders/0")),
    (order_id_not_string, {**ORDER, "externalOrderId": 57}, ORDER,
     ("order_id_not_string", "/orders/0/externalOrderId")),
    (order_id_not_string, {**ORDER, "items": [{"externalItemId": 42, "quantity": 1}]},
     {**ORDER, "items": [{"externalItemId": "42", "quantity": 1}]},
     ("order_id_not_string", "/orders/0/items/0/externalItemId")),
]  # fmt: skip


@pytest.mark.parametrize(("rule", "flagged", "passing", "expected"), CASES,
                         ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(CASES)])  # fmt: skip
def test_rule_both_ways(
    rule: crossfield.Rule, flagged: dict[str, Any], passing: dict[str, Any], expected: Any
) -> None:
    assert codes(rule, flagged) == [expected]
    assert codes(rule, passing) == []


def test_totals_are_not_judged_without_numbers() -> None:
    assert codes(order_total_mismatch, {**ORDER, "items": [{"quantity": 1}]}) == []
    assert codes(order_total_mismatch, {**ORDER, "totalCost": "n/a"}) == []
    assert codes(order_total_mismatch, {**ORDER, "items": "not json"}) == []


def test_v1_items_as_json_text_and_list_params_point_into_the_payload() -> None:
    event = {"eventTypeKey": "orderCreated", "params": [
        {"name": "totalCost", "value": "99"},
        {"name": "items", "value": '[{"externalItemId":"A","quantity":2,"cost":50}]'}]}  # fmt: skip
    subject = params_subject(event, "/events/3")
    assert subject is not None
    found = [(v.code, v.path) for v in crossfield.check("order_event", subject)]
    assert ("order_total_mismatch", "/events/3/params/0/value") in found
    assert ("order_ignored", "/events/3") in found


def test_every_rule_has_a_stable_code_and_a_context() -> None:
    assert set(RULES) == {"order_event", "orders_api"}
    assert all(callable(rule) for rules in RULES.values() for rule in rules)


@given(
    st.lists(st.tuples(st.integers(0, 10_000), st.integers(1, 20)), min_size=1, max_size=8).map(
        lambda xs: [{"externalItemId": "x", "cost": c / 100, "quantity": q} for c, q in xs]
    )
)
def test_an_exact_total_never_mismatches(items: list[dict[str, Any]]) -> None:
    total = sum(round(i["cost"] * 100) * i["quantity"] for i in items) / 100
    assert codes(order_total_mismatch, {**ORDER, "items": items, "totalCost": total}) == []
    assert codes(order_total_mismatch, {**ORDER, "items": items, "totalCost": total + 1}) == [
        ("order_total_mismatch", "/orders/0/totalCost")
    ]
