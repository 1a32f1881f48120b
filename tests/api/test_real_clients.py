"""Real client payload shapes (domain notes §9) and the constructed examples (§10), one case each,
sent to the dry-run endpoints of an app seeded with the built-in catalog.

Each case states Yespo's answer (HTTP status, per-event statuses) and the registry's verdict:
the error codes of the report (exactly) and warning codes it must include.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any, NamedTuple

import msgspec
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from registry.app import create_app
from registry.catalog_files import find_catalog, load_catalog
from registry.core.catalog import CatalogSeeder
from registry.settings import Settings
from registry.store.memory import InMemoryStore


class Shape(NamedTuple):
    path: str
    body: Any
    status: int
    errors: set[str]
    """Error codes over every event of the report (empty: valid)."""
    warnings: set[str] = set()
    statuses: list[str] | None = None
    exact: bool = False
    """Warnings pinned exactly (not just included)."""
    headers: dict[str, str] | None = None
    paths: set[str] | None = None
    """Every violation path of the report, when given."""


def p(*pairs: tuple[str, Any]) -> list[dict[str, Any]]:
    return [{"name": n, "value": v} for n, v in pairs]


ITEMS = [{"externalItemId": "SKU-1", "name": "Kettle", "category": "kitchen", "quantity": 2,
          "cost": 60, "url": "https://shop.example/sku-1", "imageUrl": "https://shop.example/sku-1.png"}]  # fmt: skip
ORDER = p(("email", "buyer@example.org"), ("externalOrderId", "SO-5512"), ("totalCost", "120.0"),
          ("status", "INITIALIZED"), ("date", "2024-11-02T09:15:00"), ("currency", "USD"),
          ("items", ITEMS))  # fmt: skip
MOBILE = {"deviceId": "a1b2c3d4-0000-4e5f-8a9b-0c1d2e3f4a5b", "externalUserId": "c-7f3a91", "events": [
    {"eventTypeKey": "productViewed", "occurred": "2024-11-02T09:15:00.123Z",
     "params": p(("product", '{"productId":"P1","price":45.5,"isInStock":1}'), ("currencyCode", "EUR"))},
    {"eventTypeKey": "screenView", "occurred": "2024-11-02T09:15:05.000Z",
     "params": p(("screenClass", "CartFragment"))}]}  # fmt: skip
STATUS_CART = {"GeneralInfo": {"eventName": "StatusCart", "siteId": "8A412DC", "datetime": 1730538000000,
               "externalCustomerId": "7001", "user_email": "a@example.org",
               "cookies": {"sc": "CDA68358-0000-4D83-9655-3FEB3C4114A3"}},
               "StatusCart": {"GUID": "6F9619FF-8B86-D011-B42D-00CF4FC964FF", "Products": [
                   {"productKey": "430738", "price": "201.95", "discount": "0.00", "quantity": 1,
                    "price_currency_code": "USD"}]}}  # fmt: skip
PURCHASED = {"GeneralInfo": {"eventName": "PurchasedItems", "siteId": "8A412DC", "datetime": 1730538100000,
             "externalCustomerId": 42, "cookies": {"sc": "CDA68358-0000-4D83-9655-3FEB3C4114A3"}},
             "TrackedOrderId": "3f1c2b8e-5a7d-4c1e-9b2a-0d4e6f8a1b2c",
             "PurchasedItems": {"Products": [{"product_id": "430738", "unit_price": "201.95", "quantity": 1}],
                                "OrderNumber": "1043"}}  # fmt: skip
PAST = {"events": [
    {"eventTypeKey": "orderCreated", "keyValue": "a@example.org", "occurred": "2023-03-22T14:30",
     "params": p(("email", "a@example.org"), ("externalOrderId", "H-1"))},
    {"eventTypeKey": "subscriptionStarted", "keyValue": "b@example.org", "occurred": "2023-01-05",
     "params": p(("email", "b@example.org"))}]}  # fmt: skip
CART_PRODUCTS = '[{"productId":"P1","quantity":1,"price":45.5}]'
CART_ID = ("recycleStateId", "d59c6e6d-0000-4b0e-8c32-15f0656a8c60")


def past(**event: Any) -> dict[str, Any]:
    return {"events": [{"eventTypeKey": "searchRequest", "params": p(("search", "mug")), **event}]}


# -- issue 9: each client's request shape transcribed from its source (cited per fixture) ----
# Exact warning sets (``warnings=...`` with ``exact=True``): the replay pins every code.

ANDROID = "reteno-com/reteno-mobile-android-sdk@5c60e4295502"
IOS = "reteno-com/reteno-mobile-ios-sdk@afcdec18de0a"
OCC = "2024-11-02T09:15:00.123Z"


def sdk_event(key: str, *pairs: tuple[str, Any]) -> dict[str, Any]:
    return {"eventTypeKey": key, "occurred": OCC, **({"params": p(*pairs)} if pairs else {})}


# ANDROID:RetenoSdkCore/src/main/java/com/reteno/core/data/remote/model/event/EventsRemote.kt
# (batch), .../domain/model/event/Event.kt (lifecycle), .../data/local/mappers/EcomEventMapper.kt
ANDROID_BATCH = {
    "deviceId": "a1b2c3d4-0000-4e5f-8a9b-0c1d2e3f4a5b",
    "externalUserId": "7001",
    "events": [
        sdk_event("ApplicationInstalled", ("version", "2.3.0"), ("build", "230")),
        sdk_event("ApplicationOpened", ("fromBackground", "false")),
        sdk_event(
            "SessionStarted",
            ("sessionID", "5b1a2c3d-0000-4e5f-8a9b-0c1d2e3f4a5b"),
            ("startTime", "2024-11-02T09:15:00Z"),
        ),
        sdk_event("screenView", ("screenClass", "CartFragment")),
        sdk_event(
            "productViewed",
            ("product", '{"productId":"P1","price":45.5,"isInStock":1}'),
            ("currencyCode", "EUR"),
        ),
        sdk_event(
            "cartUpdated",
            ("cartId", "CRT-1"),
            ("products", '[{"productId":"P1","quantity":2,"price":10.5,"discount":1.5}]'),
        ),
        sdk_event(
            "orderCreated",
            ("externalOrderId", "1043"),
            ("externalCustomerId", "7001"),
            ("totalCost", "123.44"),
            ("status", "INITIALIZED"),
            ("date", "2024-11-02T09:15:00Z"),
            ("currencyCode", "EUR"),
            (
                "items",
                '[{"externalItemId":"A","name":"Mug","category":"home",'
                '"quantity":1.0,"cost":123.44,"url":"https://shop.example/a"}]',
            ),
        ),
        sdk_event("orderDelivered", ("externalOrderId", "1043")),
        sdk_event("searchRequest", ("search", "kettle"), ("isFound", "0")),
        sdk_event(
            "ApplicationBackgrounded",
            ("applicationOpenedTime", "2024-11-02T09:10:00Z"),
            ("secondsInForeground", "300"),
        ),
    ],
}
# IOS:Reteno/Sources/Requests/EventRequest/EventRequest.swift + Event.swift (batch, params
# omitted when empty), Analytics/AppLifecycleAnalyticsSevice.swift, Services/SessionService.swift,
# Ecommerce/Ecommerce.swift + Ecommerce/Models/Order.swift (no externalCustomerId)
IOS_BATCH = {
    "deviceId": "6F9619FF-8B86-D011-B42D-00CF4FC964FF",
    "events": [
        sdk_event("ApplicationOpened", ("fromBackground", "true")),
        sdk_event(
            "SessionEnded",
            ("endTime", "2024-11-02T09:25:00Z"),
            ("sessionID", "5B1A2C3D-0000-4E5F-8A9B-0C1D2E3F4A5B"),
            ("durationInSeconds", "600"),
            ("applicationOpenedCount", "2"),
            ("applicationBackgroundedCount", "1"),
        ),
        sdk_event(
            "ApplicationBackgrounded",
            ("applicationOpenedTime", "2024-11-02T09:10:00Z"),
            ("secondsInForeground", "300.618433"),
        ),
        sdk_event("PushNotificationsPermissionAsked"),
        sdk_event(
            "orderCreated",
            ("externalOrderId", "1043"),
            ("totalCost", "123.44"),
            ("status", "INITIALIZED"),
            ("date", "2024-11-02T09:15:00Z"),
            ("currencyCode", "EUR"),
        ),
        sdk_event("searchRequest", ("search", "kettle")),
    ],
}
PD_ORDER = p(
    ("email", "b@example.org"),
    ("externalOrderId", "SO-9"),
    ("totalCost", 10.5),
    ("status", "DELIVERED"),
    ("date", "2024-11-02T09:15:00"),
)
BEARER = {"Authorization": "Bearer pd-oauth-token"}

CLIENTS: dict[str, Shape] = {
    # PipedreamHQ/pipedream@8c2044842f12:components/yespo/actions/generate-event/generate-event.mjs
    # (v0.0.2): object params -> [{name, value}] with JSON types, keyValue undefined (dropped by
    # JSON), posted to base "https://api.yespo.io/api/" + "event" with a Bearer token
    "pipedream-yespo-0.0.2-unversioned-path": Shape("/api/event", {"eventTypeKey": "orderCreated",
        "params": PD_ORDER}, 200, set(), set(), exact=True, headers=BEARER),
    "pipedream-yespo-0.0.2-missing-required": Shape("/api/event", {"eventTypeKey": "orderCreated",
        "params": PD_ORDER[:2]}, 400, {"required_missing"}, {"order_ignored"}, exact=True,
        headers=BEARER),
    # PipedreamHQ/pipedream@4ca4fcc9897c:components/yespo/actions/generate-event/generate-event.mjs
    # + components/yespo/yespo.app.mjs (registerEvent): {eventTypeKey, segment, channels,
    # recipientEmail, messageSubject, messageBody}, no params, no keyValue
    "pipedream-yespo-segment-form": Shape("/api/event", {"eventTypeKey": "welcome", "segment": 12,
        "channels": [{"type": "email", "value": "a@example.org"}],
        "recipientEmail": "a@example.org", "messageSubject": "Hi", "messageBody": "<p>Hi</p>"},
        400, {"missing_contact_identifier", "unknown_event_type"}, {"unknown_member"},
        exact=True, headers=BEARER),
    # PipedreamHQ/pipedream@4bb742691c41:components/esputnik/actions/send-event/send-event.mjs:
    # {eventTypeKey, keyValue, params} from an object, values keep their JSON types, Basic ":key"
    "pipedream-esputnik-send-event": Shape("/api/v1/event", {"eventTypeKey": "orderCreated",
        "keyValue": "b@example.org", "params": PD_ORDER}, 200, set(), {"v1_value_not_string"},
        exact=True),
    # kirillbdev/php-esputnik-client@5b892e8125cb:src/Resources/Event.php: assoc array ->
    # [{name, value}], keyValue always present, POST v1/event
    "kirillbdev-v1-order": Shape("/api/v1/event", {"eventTypeKey": "orderCreated",
        "keyValue": "a@example.org", "params": p(("email", "a@example.org"),
        ("externalOrderId", "SO-1"), ("totalCost", "10.00"), ("status", "INITIALIZED"),
        ("date", "2024-11-02T09:15:00"))}, 200, set(), set(), exact=True),
    # dkulyk/esputnik@ca7ca4172ff4:src/Types/EventDto.php: the list travels as 'parameters'
    "dkulyk-parameters-bad-flag": Shape("/api/v1/event", {"eventTypeKey": "searchRequest",
        "keyValue": "c-3", "parameters": p(("search", "mug"), ("isFound", "yes"))}, 200,
        {"not_in_enum"}, {"params_alias"}, exact=True,
        paths={"/parameters/1/value", "/parameters"}),
    # ossbrownie/esputnik@4f8e21c5a514:README.md (+ src/Brownie/ESputnik/Model/Event.php@331b2a0c):
    # EmailAddress identifies the contact, and names an order's buyer
    "ossbrownie-emailaddress-order": Shape("/api/v1/event", {"eventTypeKey": "orderCreated",
        "keyValue": "test-1700000000", "params": p(("EmailAddress", "a@example.org"),
        ("externalOrderId", "SO-7"), ("totalCost", "10.00"), ("status", "INITIALIZED"),
        ("date", "2024-11-02T09:15:00"))}, 200, set(), set(), exact=True),
    "ossbrownie-no-buyer-order": Shape("/api/v1/event", {"eventTypeKey": "orderCreated",
        "keyValue": "test-1700000000", "params": p(("externalOrderId", "SO-7"),
        ("totalCost", "10.00"), ("status", "INITIALIZED"), ("date", "2024-11-02T09:15:00"))},
        200, {"composition_failed"}, {"order_ignored"}, exact=True),
    "reteno-android-lifecycle-and-ecommerce": Shape("/api/v1/events", ANDROID_BATCH, 200, set(),
        {"json_string_parsed"}, exact=True),
    "reteno-ios-lifecycle-and-ecommerce": Shape("/api/v1/events", IOS_BATCH, 200, set(), set(),
        exact=True),
    "reteno-android-as-the-docs-spell-it": Shape("/api/v1/events", {"deviceId": "a-1", "events": [
        sdk_event("ApplicationInstalled", ("versionName", "2.3.0"), ("build", "230")),
        sdk_event("ApplicationOpened", ("wasBackgrounded", "false"))]}, 200, {"required_missing"},
        set(), exact=True, paths={"/events/0/params", "/events/1/params"}),
}  # fmt: skip


SHAPES: dict[str, Shape] = {
    # §10 constructed examples
    "ex1-v2-minimal": Shape("/api/v2/event", {"eventTypeKey": "CartAbandoned", "params": p(
        ("externalCustomerId", "c-7f3a91"), ("cartId", "CRT-1001"))}, 200, set()),
    "ex2-v2-mixed-types-unregistered-key": Shape("/api/v2/event", {"eventTypeKey": "AbandonedCart",
        "keyValue": "c-7f3a91", "params": p(("externalCustomerId", "c-7f3a91"), ("totalValue", 99.9),
        ("currency", "EUR"), ("itemCount", 2))}, 200, {"unknown_event_type"}),
    "ex3-v2-order-nested-items": Shape("/api/v2/event", {"eventTypeKey": "orderCreated",
        "keyValue": "buyer@example.org", "params": ORDER}, 200, set()),
    "ex4-v2-past-events": Shape("/api/v2/past_events", PAST, 200,
        {"required_missing", "unknown_event_type"}, statuses=["ACCEPTED", "ACCEPTED"]),
    "ex5-v1-escaped-json": Shape("/api/v1/event", {"eventTypeKey": "cartUpdated", "keyValue": "a@example.org",
        "params": p(("email", "a@example.org"), ("products", CART_PRODUCTS), ("currencyCode", "USD"), CART_ID)},
        200, set(), {"json_string_parsed"}),
    "ex6-v2-contact-json-ip": Shape("/api/v2/event", {"eventTypeKey": "welcome", "keyValue": "new@example.org",
        "params": p(("email", "new@example.org"), ("ip", "192.0.2.10"),
                    ("contactJson", '{"firstname":"Ann","languageCode":"uk","confirmed":false}'))},
        200, {"unknown_event_type"}),
    "ex7-tracker-status-cart-is-not-generate-event": Shape("/api/v2/event", STATUS_CART, 400,
        {"invalid_event_type_key", "missing_contact_identifier"}, {"unknown_member"}),
    "ex8-tracker-purchased-items-is-not-generate-event": Shape("/api/v2/event", PURCHASED, 400,
        {"invalid_event_type_key", "missing_contact_identifier"}, {"unknown_member"}),
    "ex9-mobile-android-batch": Shape("/api/v1/events", MOBILE, 200, set(), {"json_string_parsed"}),
    "ex10-forbidden-char": Shape("/api/v2/event", {"eventTypeKey": "bad?key", "params": p(
        ("email", "x@example.org"))}, 400, {"invalid_event_type_key", "unknown_event_type"}),
    "ex10-key-of-101-chars": Shape("/api/v2/event", {"eventTypeKey": "E" * 101, "params": p(
        ("email", "x@example.org"))}, 400, {"invalid_event_type_key", "unknown_event_type"}),
    "ex10-duplicate-name-no-identifier": Shape("/api/v2/event", {"eventTypeKey": "E", "params": p(
        ("a", "1"), ("a", "2"))}, 400, {"duplicate_param", "missing_contact_identifier", "unknown_event_type"}),
    "ex10-missing-value": Shape("/api/v2/event", {"eventTypeKey": "E", "params": [{"name": "email"}]},
        400, {"missing_param_value", "missing_contact_identifier", "unknown_event_type"}),
    "ex10-null-like-identifier": Shape("/api/v2/event", {"eventTypeKey": "E", "params": p(
        ("externalCustomerId", "null"))}, 400, {"missing_contact_identifier", "unknown_event_type"}),
    "ex10-past-without-occurred": Shape("/api/v2/past_events", past(keyValue="k"), 200,
        {"occurred_required"}, statuses=["OCCURRED_DATE_IS_REQUIRED"]),
    "ex10-past-bad-occurred": Shape("/api/v2/past_events", past(keyValue="k", occurred="22.03.2023"),
        200, {"invalid_occurred"}, statuses=["INCORRECT_OCCURRED_DATE_FORMAT"]),
    "ex10-501-past-events": Shape("/api/v2/past_events", {"events": past(keyValue="k",
        occurred="2023-01-05")["events"] * 501}, 400, {"too_many_events"}),
    "ex10-body-over-20kb": Shape("/api/v2/event", {"eventTypeKey": "searchRequest", "params": p(
        ("email", "a@example.org"), ("search", "x" * 21_000))}, 400, {"payload_too_large"}),
    # §9 real clients
    "pipedream-yespo-object-converted-no-keyvalue": Shape("/api/v2/event", {"eventTypeKey": "orderCreated",
        "params": p(("email", "b@example.org"), ("externalOrderId", "SO-9"), ("totalCost", 10.5),
                    ("status", "DELIVERED"), ("date", "2024-11-02T09:15:00"))}, 200, set()),
    "pipedream-esputnik-v1-json-types": Shape("/api/v1/event", {"eventTypeKey": "searchRequest",
        "keyValue": "c-1", "params": p(("search", "mug"), ("isFound", 1))}, 200, set(),
        {"v1_value_not_string"}),
    "kirillbdev-v1-keyvalue-always": Shape("/api/v1/event", {"eventTypeKey": "pageViewed", "keyValue": "c-2",
        "params": p(("page", '{"location":"https://shop.example/"}'))}, 200, set(), {"json_string_parsed"}),
    "dkulyk-parameters-alias": Shape("/api/v1/event", {"eventTypeKey": "searchRequest", "keyValue": "c-3",
        "parameters": p(("search", "mug"))}, 200, set(), {"params_alias"}),
    "ossbrownie-emailaddress-alias": Shape("/api/v1/event", {"eventTypeKey": "test-test",
        "keyValue": "test-1700000000", "params": p(("EmailAddress", "a@example.org"))}, 200,
        {"unknown_event_type"}),
    "php-keyvalue-time-number": Shape("/api/v1/event", {"eventTypeKey": "searchRequest", "keyValue": 1700000000,
        "params": p(("search", "mug"))}, 200, set(), {"invalid_key_value"}),
    "v2-abandoned-cart-json-array-of-strings": Shape("/api/v2/event", {"eventTypeKey": "CartAbandoned",
        "params": p(("email", "a@example.org"), ("json", [{"name": "Kettle", "price": "45.50"}]))}, 200, set()),
    "v1-json-encode-string": Shape("/api/v1/event", {"eventTypeKey": "CartAbandoned", "keyValue": "a@example.org",
        "params": p(("json", '[{"name":"Kettle","price":"45.50"}]'))}, 200, set()),
    "space-in-key-and-param-no-keyvalue": Shape("/api/v2/event", {"eventTypeKey": "Registration form",
        "params": p(("email", "a@example.org"), ("Marketing Checkbox", "on"))}, 200, {"unknown_event_type"}),
    "null-values": Shape("/api/v2/event", {"eventTypeKey": "CartAbandoned", "params": p(
        ("email", "a@example.org"), ("comment", None))}, 200, set(), {"unknown_param"}),
    "null-value-for-a-declared-string-param": Shape("/api/v2/event", {"eventTypeKey": "CartAbandoned",
        "params": p(("email", "a@example.org"), ("brand", None))}, 200, {"type_mismatch"}),
    "legacy-opencart-cart-updated": Shape("/api/v1/event", {"eventTypeKey": "cartUpdated",
        "keyValue": "a@example.org", "params": p(CART_ID, ("products", CART_PRODUCTS))}, 200, set(),
        {"json_string_parsed"}),
    "ios-sdk-fraction-no-params": Shape("/api/v1/events", {"deviceId": "ios-1", "events": [
        {"eventTypeKey": "PushNotificationsSubscribed", "occurred": "2024-11-02T09:15:00.123456Z"}]},
        200, set()),
    **CLIENTS,
}  # fmt: skip


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient[Litestar]]:
    app = create_app(Settings(), store=InMemoryStore())
    CatalogSeeder(app.dependencies["service"].dependency()).seed(load_catalog(find_catalog()))
    with TestClient(app=app, raise_server_exceptions=False) as c:
        yield c


@pytest.mark.parametrize("name", list(SHAPES))
def test_shape_gets_the_verdict_the_reference_implies(client: TestClient, name: str) -> None:
    shape = SHAPES[name]
    headers = shape.headers or {"Authorization": "Basic eDpzZWNyZXQ="}
    response = client.post(f"{shape.path}?report=true", json=shape.body, headers=headers)
    assert response.status_code == shape.status, response.text
    report = response.json()
    events = [o["report"] for o in report["events"]]
    errors = {e["code"] for r in events for e in r["errors"]}
    warnings = {w["code"] for r in events for w in r["warnings"]}
    assert errors == shape.errors
    if shape.exact:
        assert warnings == shape.warnings
    assert shape.warnings <= warnings
    if shape.paths is not None:
        assert {v["path"] for r in events for v in (*r["errors"], *r["warnings"])} == shape.paths
    if shape.status == 400 and not shape.statuses:
        assert client.post(shape.path, json=shape.body, headers=headers).status_code == 400
    assert report["valid"] is (not shape.errors)
    if shape.statuses is not None:
        assert [o.get("status") for o in report["events"]] == shape.statuses
        plain = client.post(shape.path, json=shape.body).json()
        assert [r["status"] for r in plain["results"]] == shape.statuses


def test_report_header_round_trips(client: TestClient) -> None:
    shape = SHAPES["ex3-v2-order-nested-items"]
    response = client.post(shape.path, json=shape.body)
    text = response.headers["x-event-registry-report"]
    decoded = msgspec.json.decode(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    assert decoded["valid"] is True
    assert len(text) <= 8192
