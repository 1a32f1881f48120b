"""Tracker REST rules: what a body is, which type judges it, and where report paths point."""

from __future__ import annotations

from typing import Any

import pytest

from registry.core import tracker
from registry.core.report import finish_report
from registry.core.validation import Violation

GENERAL = {"eventName": "PurchasedItems", "siteId": "S", "cookies": {"sc": "c"}}


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ({"GeneralInfo": GENERAL}, "event"),
        ({"GeneralInfo": None}, "event"),
        ({"externalCustomerId": None, "webId": "w", "orgId": 1}, "webcontact"),
        ({"orgId": 1, "typeCMS": "Shopify", "log_level": "INFO", "message": "m"}, "client_log"),
        ({"orgId": 1, "typeCMS": "OpenCart"}, "webcontact"),
        ({"StatusCart": {}}, "malformed"),
        ([{"GeneralInfo": GENERAL}], "malformed"),
    ],
)
def test_classify(body: Any, kind: str) -> None:
    assert tracker.classify(body) == kind


def test_the_event_name_picks_the_type_and_the_body_is_the_params() -> None:
    body = {"GeneralInfo": GENERAL, "PurchasedItems": {"Products": []}}
    event, problems = tracker.as_event(body)
    assert event == {"eventTypeKey": "PurchasedItems", "params": body}
    assert problems == []
    assert tracker.as_event({"webId": "w", "orgId": 1})[0] == {
        "eventTypeKey": "webcontact", "params": {"webId": "w", "orgId": 1},
    }  # fmt: skip


@pytest.mark.parametrize(
    ("body", "path"),
    [({"x": 1}, ""), ({"GeneralInfo": "x"}, "/GeneralInfo"),
     ({"GeneralInfo": {"eventName": 7}}, "/GeneralInfo/eventName")],
)  # fmt: skip
def test_malformed_bodies(body: Any, path: str) -> None:
    event, problems = tracker.as_event(body)
    assert event is None
    assert [(v.code, v.path) for v in problems] == [("tracker_malformed", path)]


def test_product_key_alias_both_ways() -> None:
    def alias(product: dict[str, Any]) -> list[str]:
        body = {"GeneralInfo": GENERAL, "PurchasedItems": {"Products": [product]}}
        return [v.path for v in tracker.as_event(body)[1]]

    assert alias({"productKey": "P", "unit_price": "1", "quantity": 1}) == [
        "/PurchasedItems/Products/0/productKey"
    ]
    assert alias({"product_id": "P", "unit_price": "1", "quantity": 1}) == []


def test_report_paths_move_from_params_into_the_body() -> None:
    report = finish_report(key="StatusCart", version=1, schema_id=1, violations=[
        Violation(code="type_mismatch", severity="error", path="/params/StatusCart/GUID",
                  message="m"),
        Violation(code="unknown_event_type", severity="error", path="/eventTypeKey", message="m"),
        Violation(code="missing_contact_identifier", severity="error", path="", message="m"),
    ])  # fmt: skip
    moved = tracker.into_body(report)
    assert [(v.code, v.path) for v in moved.errors] == [
        ("unknown_event_type", "/GeneralInfo/eventName"), ("type_mismatch", "/StatusCart/GUID"),
    ]  # fmt: skip
    in_orders = tracker.into_body(report, "/orders/2", "")
    assert {v.path for v in in_orders.errors} == {"/orders/2", "/orders/2/StatusCart/GUID"}
