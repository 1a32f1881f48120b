"""Yespo's web-tracking REST API (``POST https://tracker.yespo.io/api/v2``): pure rules.

Facts (shared/domain/yespo-events.md §7.6, §9): a body is ``GeneralInfo`` (``eventName``,
``siteId``, ``datetime`` in epoch milliseconds, ``cookies.sc``, contact fields) plus one event
object named after the event (``ProductImpressions`` sends ``ProductImpression``); no
authorization is required; the answer is undocumented. The official plugins also post, to the
same URL, a "webcontact" body without ``GeneralInfo`` (``{externalCustomerId, webId, orgId,
email?, phone?}``, Yespo-CDP/yespo-woocommerce) and their own log records (``{orgId, typeCMS,
errorMessage, data, message, log_level}``, Yespo-CDP/yespo-shopify and yespo-opencart).

How a body is judged: its ``GeneralInfo.eventName`` names the event type (``webcontact`` for
the webcontact body) and the whole body is validated as that type's params (object form), so
the catalog's ``schemas/tracker/*.json`` describe the body as sent. Report paths point into
the body (``/StatusCart/Products/0/price``), not into an imagined ``params``. The tracker ties
an event to a visitor by ``cookies.sc``, so ``missing_contact_identifier`` does not apply, and
it states no body limit, so neither does the 20 KB one.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

import msgspec

from registry.core.report import Report, finish_report
from registry.core.validation import Violation

Kind = Literal["event", "webcontact", "client_log", "malformed"]
WEBCONTACT = "webcontact"
NAMED_BY = "/GeneralInfo/eventName"
"""Where a tracker body names its event type."""
EVENT_OBJECTS = {"ProductImpressions": "ProductImpression"}
"""Event names whose event object has another name (everything else: the event's own name)."""
LOG_MEMBERS = frozenset({"typeCMS", "log_level"})
NOT_APPLICABLE = frozenset({"missing_contact_identifier", "payload_too_large"})


def classify(body: object) -> Kind:
    """What a tracker body is: an event, a webcontact body, a plugin's log record, or neither."""
    if not isinstance(body, dict):
        return "malformed"
    if "GeneralInfo" in body:
        return "event"
    if body.keys() >= LOG_MEMBERS:
        return "client_log"
    if "webId" in body or "orgId" in body:
        return "webcontact"
    return "malformed"


def event_name(body: dict[str, Any]) -> str | None:
    info = body.get("GeneralInfo")
    name = info.get("eventName") if isinstance(info, dict) else None
    return name if isinstance(name, str) and name else None


def as_event(body: object) -> tuple[dict[str, Any] | None, list[Violation]]:
    """The event to validate (``{"eventTypeKey", "params": body}``) and the body's own problems."""
    kind = classify(body)
    if kind == WEBCONTACT:
        return {"eventTypeKey": WEBCONTACT, "params": body}, []
    if kind != "event" or not isinstance(body, dict):
        return None, [
            _malformed(
                "",
                "a tracker body is a JSON object with a GeneralInfo object "
                "(or a webcontact body {webId, orgId, externalCustomerId})",
            )
        ]
    if not isinstance(body["GeneralInfo"], dict):
        return None, [_malformed("/GeneralInfo", "GeneralInfo must be an object")]
    name = event_name(body)
    if name is None:
        return None, [
            _malformed(
                "/GeneralInfo/eventName", "GeneralInfo.eventName is required: it names the event"
            )
        ]
    return {"eventTypeKey": name, "params": body}, list(_rules(name, body))


def _malformed(path: str, message: str) -> Violation:
    return Violation(code="tracker_malformed", severity="error", path=path, message=message)


def _rules(name: str, body: dict[str, Any]) -> Iterator[Violation]:
    """Rules beyond the catalog schemas (each a few lines; tests/unit/core/test_tracker.py)."""
    yield from _product_key_alias(name, body)


def _product_key_alias(name: str, body: dict[str, Any]) -> Iterator[Violation]:
    """PurchasedItems products named by ``productKey`` (the Shopify app) instead of product_id."""
    event = body.get(name)
    products = event.get("Products") if name == "PurchasedItems" and isinstance(event, dict) else []
    for i, product in enumerate(products if isinstance(products, list) else []):
        if isinstance(product, dict) and "productKey" in product and "product_id" not in product:
            yield Violation(
                code="tracker_product_key_alias",
                severity="warning",
                path=f"/{name}/Products/{i}/productKey",
                param=name,
                message="PurchasedItems product named by productKey (Yespo-CDP/yespo-shopify); "
                "the REST docs name it product_id",
            )


def into_body(report: Report, prefix: str = "", key_path: str = NAMED_BY) -> Report:
    """Re-point a report validated as ``params`` at the body as sent (under ``prefix``);
    what was said about ``eventTypeKey`` is said about ``key_path`` (what named the type)."""
    moved = [_moved(v, prefix, key_path) for v in (*report.errors, *report.warnings)]
    return finish_report(
        key=report.event_type_key,
        version=report.version,
        schema_id=report.schema_id,
        violations=[v for v in moved if v.code not in NOT_APPLICABLE],
    )


def _moved(violation: Violation, prefix: str, key_path: str) -> Violation:
    path = violation.path
    if path == "/params" or path.startswith("/params/"):
        path = prefix + path.removeprefix("/params")
    elif path == "/eventTypeKey":
        path = prefix + key_path
    else:
        path = prefix + path
    return violation if path == violation.path else msgspec.structs.replace(violation, path=path)


def empty_report() -> Report:
    """A report with nothing in it (a plugin's log record, a body that names no event type)."""
    return finish_report(key=None, version=None, schema_id=None, violations=[])
