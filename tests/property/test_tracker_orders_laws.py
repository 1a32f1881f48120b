"""Laws of the tracker and Orders API emulation over arbitrary JSON (in process, catalog seeded).

* The tracker answers 200 with no body to any JSON value, and records exactly one entry.
* The Orders API answers 200 with ``failedOrders`` listing exactly the orders whose report has
  a refusing error, in order, or 400 when the batch itself is malformed; one entry per order.
* Every report path points into the body as sent (it resolves as a JSON Pointer, or names a
  member the body lacks under a parent that resolves).
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from registry.app import build_dryrun, build_service
from registry.catalog_files import find_catalog, load_catalog
from registry.core import orders
from registry.core.catalog import CatalogSeeder
from registry.core.dryrun import DryRunService
from registry.settings import Settings
from registry.store.memory import InMemoryStore

CATALOG = load_catalog(find_catalog())
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**13), 10**13), st.text(max_size=8),
    st.sampled_from(["StatusCart", "PurchasedItems", "CustomerData", "12.50", "", "null"]),
)  # fmt: skip
keys = st.sampled_from([
    "GeneralInfo", "eventName", "siteId", "datetime", "cookies", "sc", "StatusCart", "GUID",
    "Products", "productKey", "price", "quantity", "PurchasedItems", "OrderNumber", "webId",
    "orgId", "typeCMS", "log_level", "externalOrderId", "totalCost", "items", "cost", "email",
]) | st.text(max_size=5)  # fmt: skip
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=5)
    ),
    max_leaves=25,
)


def service() -> DryRunService:
    settings_ = Settings()
    registry = build_service(settings_, InMemoryStore())
    CatalogSeeder(registry).seed(CATALOG)
    return build_dryrun(settings_, registry, None, in_memory=True)


DRY = service()


def resolves(document: Any, pointer: str) -> bool:
    """True when ``pointer`` names a value of ``document``, or a missing member of an object."""
    node = document
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]
    for i, token in enumerate(tokens):
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return i == len(tokens) - 1 and isinstance(node, dict)
    return True


@settings(max_examples=150, deadline=None)
@given(json_values)
def test_the_tracker_answers_200_empty_to_anything(body: Any) -> None:
    result = DRY.tracker(body, run_id=None)
    assert (result.report.http_status, result.body) == (200, None)
    [outcome] = result.report.events
    for violation in (*outcome.report.errors, *outcome.report.warnings):
        assert resolves(body, violation.path), violation


@settings(max_examples=150, deadline=None)
@given(st.one_of(json_values, st.lists(json_values, max_size=4).map(lambda o: {"orders": o})))
def test_failed_orders_are_exactly_the_refused_ones(body: Any) -> None:
    result = DRY.orders(body, run_id=None)
    if result.report.errors:
        assert result.report.http_status == 400
        return
    assert result.report.http_status == 200
    refused = [o.index for o in result.report.events if orders.refusal(o.report) is not None]
    failed = [f["order"] for f in result.body["failedOrders"]]
    assert failed == [body["orders"][i] for i in refused]
    for outcome in result.report.events:
        for violation in (*outcome.report.errors, *outcome.report.warnings):
            assert resolves(body, violation.path), violation
