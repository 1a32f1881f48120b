"""Yespo's Orders API (``POST /api/v1/orders``): batch shape and the ``failedOrders`` answer.

Facts (shared/domain/yespo-events.md §1, §4, §7.4): the body is ``{orders: Order[]}`` with at
most 1000 orders; the answer is 200 ``{failedOrders: [{order, error}]}``, an order failing when
a required field is empty or has the wrong format, or when ``externalCustomerId``, ``email`` and
``phone`` are all empty; 400 for a request Yespo cannot read.

Each order is validated as event type ``Order`` (catalog ``schemas/orders/Order.json``, with
``coerce`` on: decimal text where a number is due is accepted with a warning, as the OpenCart
plugin relies on) plus the ``orders_api`` cross-field rules of :mod:`registry.core.crossfield`.
An order is in ``failedOrders`` when its report has an error other than ``unknown_event_type``
(a registry without the ``Order`` type cannot say what Yespo would refuse).
"""

from __future__ import annotations

from typing import Any

from registry.core.report import Report
from registry.core.validation import Violation

MAX_ORDERS = 1000
ORDER_TYPE = "Order"
NOT_REFUSING = frozenset({"unknown_event_type"})


def batch_problems(body: object) -> list[Violation]:
    """Shape problems of an Orders API body (each order is judged on its own)."""
    if not isinstance(body, dict) or not isinstance(body.get("orders"), list):
        return [
            _invalid(
                "/orders" if isinstance(body, dict) else "",
                "the body must be a JSON object with an 'orders' array",
            )
        ]
    orders = body["orders"]
    found = [
        _invalid(f"/orders/{i}", "every order must be a JSON object")
        for i, order in enumerate(orders)
        if not isinstance(order, dict)
    ]
    if len(orders) > MAX_ORDERS:
        found.append(
            Violation(
                code="too_many_orders",
                severity="error",
                path="/orders",
                message=f"{len(orders)} orders; Yespo accepts at most {MAX_ORDERS} a request",
                expected=MAX_ORDERS,
                actual=len(orders),
            )
        )
    return found


def _invalid(path: str, message: str) -> Violation:
    return Violation(code="invalid_batch", severity="error", path=path, message=message)


def orders_of(body: object) -> list[Any]:
    orders = body.get("orders") if isinstance(body, dict) else None
    return orders if isinstance(orders, list) else []


def as_event(order: dict[str, Any]) -> dict[str, Any]:
    return {"eventTypeKey": ORDER_TYPE, "params": order}


def refusal(report: Report) -> str | None:
    """Yespo's ``error`` text for a failed order, or ``None`` when it would be accepted."""
    refusing = [v for v in report.errors if v.code not in NOT_REFUSING]
    if not refusing:
        return None
    return "; ".join(f"{v.path}: {v.message}" for v in refusing)


def answer(orders: list[Any], reports: list[Report]) -> dict[str, Any]:
    """``{"failedOrders": [{"order", "error"}]}`` in request order."""
    failed = []
    for order, report in zip(orders, reports, strict=True):
        error = refusal(report)
        if error is not None:
            failed.append({"order": order, "error": error})
    return {"failedOrders": failed}
