"""Cross-field rules: what JSON Schema cannot say, yet makes Yespo drop or refuse an order.

Each rule is a small function over a :class:`Subject` (one order's members, and where each one
sits in the payload as sent) that yields violations with one stable code. Rules are grouped by
the context they apply to in :data:`RULES`; :func:`check` runs a context's rules.

Facts (shared/domain/yespo-events.md): an order event (``orderCreated``, ``orderUpdated``) missing
``externalOrderId``, ``totalCost``, ``status``, ``date`` or every one of ``externalCustomerId`` /
``email`` / ``phone`` is ignored, and its items' prices must sum to ``totalCost`` (§7.3); the
Orders API fails an order whose ``externalCustomerId``, ``email`` and ``phone`` are all empty
(§4, §7.4). Where Yespo only ignores, the rule is a warning; where it refuses, an error.

Choices where the reference is silent (README "Drop-in dry-run endpoints" repeats them):

* ``order_total_mismatch`` accepts the items' sum (``cost x quantity``) when it equals
  ``totalCost`` or ``totalCost - shipping - taxes + discount`` within 0.01: real clients
  (OpenCart, the Shopify app) send the grand total, shipping and taxes included.
* ``order_id_not_string``: the OAS types the ids as strings; OpenCart sends database integers.
  Yespo is assumed to store their decimal text (a JSON number read into a string field), so this
  is a warning.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

import msgspec

from registry.core.validation import Violation
from registry.core.validation.envelope import identifies

Context = Literal["order_event", "orders_api"]
ORDER_REQUIRED = ("externalOrderId", "totalCost", "status", "date")
BUYER = ("externalCustomerId", "email", "phone")
IDS = ("externalOrderId", "externalCustomerId")
TOLERANCE = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Subject:
    """One order: its members by name and ``pointer(name)``, where a member's value was sent."""

    values: Mapping[str, Any]
    pointer: Callable[[str], str]
    base: str = ""

    def items(self) -> list[Any] | None:
        """``items`` as a list (a v1 JSON string is parsed), or ``None``."""
        items = self.values.get("items")
        if isinstance(items, str):
            try:
                items = msgspec.json.decode(items)
            except msgspec.DecodeError:
                return None
        return items if isinstance(items, list) else None


Rule = Callable[[Subject], Iterator[Violation]]


def _number(value: object) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _items_sum(items: list[Any]) -> Decimal | None:
    total = Decimal(0)
    for item in items:
        if not isinstance(item, dict):
            return None
        cost, quantity = _number(item.get("cost")), _number(item.get("quantity"))
        if cost is None or quantity is None:
            return None
        total += cost * quantity
    return total


def order_total_mismatch(subject: Subject) -> Iterator[Violation]:
    """The items' ``cost x quantity`` add up to neither ``totalCost`` nor its net amount."""
    items, total = subject.items(), _number(subject.values.get("totalCost"))
    if not items or total is None:
        return
    found = _items_sum(items)
    if found is None:
        return
    extras = [_number(subject.values.get(n)) or Decimal(0) for n in ("shipping", "taxes")]
    net = total - sum(extras, Decimal(0)) + (_number(subject.values.get("discount")) or 0)
    if min(abs(found - total), abs(found - net)) <= TOLERANCE:
        return
    yield Violation(
        code="order_total_mismatch",
        severity="warning",
        path=subject.pointer("totalCost"),
        param="totalCost",
        expected=str(found),
        actual=subject.values.get("totalCost"),
        message=f"items add up to {found} (cost x quantity) but totalCost is {total}; "
        "Yespo expects the items' prices to sum to totalCost",
    )


def order_ignored(subject: Subject) -> Iterator[Violation]:
    """An order event Yespo drops without saying so: a member it needs is missing (§7.3)."""
    missing = [n for n in ORDER_REQUIRED if not identifies(subject.values.get(n))]
    if not any(identifies(subject.values.get(n)) for n in BUYER):
        missing.append("one of externalCustomerId, email, phone")
    if missing:
        yield Violation(
            code="order_ignored",
            severity="warning",
            path=subject.base,
            message=f"Yespo drops this order event without saying so: missing {', '.join(missing)}",
        )


def order_contact_missing(subject: Subject) -> Iterator[Violation]:
    """Orders API: externalCustomerId, email and phone all empty fails the order."""
    if not any(identifies(subject.values.get(n)) for n in BUYER):
        yield Violation(
            code="order_contact_missing",
            severity="error",
            path=subject.base,
            message="one of externalCustomerId, email, phone is needed; Yespo lists an order "
            "without any of them in failedOrders",
        )


def order_id_not_string(subject: Subject) -> Iterator[Violation]:
    """Ids sent as JSON numbers (OpenCart); Yespo's API types them as strings."""
    for name in IDS:
        value = subject.values.get(name)
        if isinstance(value, int) and not isinstance(value, bool):
            yield Violation(
                code="order_id_not_string",
                severity="warning",
                path=subject.pointer(name),
                param=name,
                expected="string",
                actual=value,
                message=f"{name} is the number {value}; Yespo types it as a string and is "
                f"assumed to store '{value}'",
            )
    for i, item in enumerate(subject.items() or []):
        value = item.get("externalItemId") if isinstance(item, dict) else None
        if isinstance(value, int) and not isinstance(value, bool):
            yield Violation(
                code="order_id_not_string",
                severity="warning",
                param="items",
                path=f"{subject.pointer('items')}/{i}/externalItemId",
                expected="string",
                actual=value,
                message=f"items/{i}/externalItemId is the number {value}; Yespo types it as a "
                f"string and is assumed to store '{value}'",
            )


RULES: dict[Context, tuple[Rule, ...]] = {
    "order_event": (order_ignored, order_total_mismatch),
    "orders_api": (order_contact_missing, order_total_mismatch, order_id_not_string),
}
ORDER_EVENTS = frozenset({"orderCreated", "orderUpdated"})
"""Event types whose params are an order (§7.3): the ``order_event`` rules apply to them on the
Generate event endpoints (not in the mobile SDK batch, where the device names the buyer)."""


def check(context: Context, subject: Subject) -> list[Violation]:
    """Every violation of ``context``'s rules for one subject."""
    return [v for rule in RULES[context] for v in rule(subject)]


def params_subject(event: object, base: str = "") -> Subject | None:
    """An order event's params as a :class:`Subject` (list or object form), else ``None``."""
    params = event.get("params") if isinstance(event, dict) else None
    if isinstance(params, dict):
        return Subject(params, lambda n: f"{base}/params/{_escape(n)}", base)
    if not isinstance(params, list):
        return None
    values: dict[str, Any] = {}
    index: dict[str, int] = {}
    for i, entry in enumerate(params):
        if isinstance(entry, dict) and isinstance(entry.get("name"), str):
            values.setdefault(entry["name"], entry.get("value"))
            index.setdefault(entry["name"], i)

    def pointer(name: str) -> str:
        return f"{base}/params/{index[name]}/value" if name in index else f"{base}/params"

    return Subject(values, pointer, base)


def object_subject(order: Mapping[str, Any], base: str) -> Subject:
    """An Orders API order as a :class:`Subject`."""
    return Subject(order, lambda n: f"{base}/{_escape(n)}" if n in order else base, base)


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")
