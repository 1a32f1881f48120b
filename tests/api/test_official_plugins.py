"""Yespo's official e-commerce plugins, replayed request by request against the drop-in endpoints.

Each fixture is the exact request a plugin sends -- method, the path it builds from Yespo's URL,
the headers, the body's shape and value types -- transcribed (never copied) from the source at
the commit cited next to it. Values are ours. The WooCommerce and OpenCart plugins hard-code
``https://tracker.yespo.io/api/v2`` and ``https://yespo.io/api/v1/...`` (README: hosts file /
reverse proxy); the Shopify app reads ``WEB_TRACKER_URL`` and ``API_URL`` from its environment.
Each case asserts Yespo's answer and the report's exact ``(code, path)`` pairs.
"""

from __future__ import annotations

import base64
import json
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

WOO = "Yespo-CDP/yespo-woocommerce@804ecfd50dc559aa0080a16b2c37ba9fe6d55346"
SHOPIFY = "Yespo-CDP/yespo-shopify@39a73ef160e991e832423807347eb5f4b3ada48a"
OPENCART = "Yespo-CDP/yespo-opencart@4db6811e50c0bc877d40d8774e47fb231efcf95a"
SC = "5b3c0d2e-8f1a-4c6b-9d7e-2a1f0e9c8b7a"
NOW_MS = 1733050000000
CATALOG = load_catalog(find_catalog())


def basic(user: str, key: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{key}".encode()).decode()


class Request(NamedTuple):
    source: str
    method: str
    path: str
    headers: dict[str, str]
    body: Any


class Expect(NamedTuple):
    status: int
    answer: Any
    """Yespo's answer body: ``b""`` (empty) or the JSON document."""
    errors: set[tuple[str, str]] = set()
    warnings: set[tuple[str, str]] = set()


# -- WooCommerce -----------------------------------------------------------------------------
# integrations/webtracking/Yespo_Web_Tracking_Curl_Request.php: POST https://tracker.yespo.io/
# api/v2, headers Accept "application/json; charset=UTF-8", Authorization "Basic " +
# base64(":" + api key), Content-Type application/json, body wp_json_encode(data).
WOO_HEADERS = {
    "Accept": "application/json; charset=UTF-8",
    "Authorization": basic("", "run-woo-ci.k3y-woo"),
    "Content-Type": "application/json",
}
# Yespo_User_Event.php generate_user_info: array_filter drops null/"" members; externalCustomerId
# is the WordPress user id (an integer); cookies.sc is the session's webId.
WOO_GENERAL = {"eventName": "StatusCart", "siteId": "8A412DC", "datetime": NOW_MS,
               "cookies": {"sc": SC}}  # fmt: skip

CASES: dict[str, tuple[Request, Expect]] = {
    # Yespo_Cart_Event.php generate_json: GeneralInfo from generate_user_array("StatusCart", ''),
    # StatusCart {GUID: cart hash, Products: [{productKey: strval(id), price: get_price()
    # (text), quantity (int), price_currency_code}]} with null members filtered out.
    "woo-status-cart": (
        Request(f"{WOO}:integrations/webtracking/Yespo_Cart_Event.php", "POST", "/api/v2",
                WOO_HEADERS, {"GeneralInfo": WOO_GENERAL, "StatusCart": {
                    "GUID": "0c5ad1b9d2c64e5b9fd1e5b9a3c7e2f1",
                    "Products": [{"productKey": "118", "price": "19.99", "quantity": 2,
                                  "price_currency_code": "EUR"}]}}),
        Expect(200, b""),
    ),
    # Same file: an empty cart with no stored hash -> GUID = get_option() = false (`??` keeps it).
    "woo-status-cart-empty-guid-false": (
        Request(f"{WOO}:integrations/webtracking/Yespo_Cart_Event.php", "POST", "/api/v2",
                WOO_HEADERS, {"GeneralInfo": WOO_GENERAL,
                              "StatusCart": {"GUID": False, "Products": []}}),
        Expect(200, b"", errors={("type_mismatch", "/StatusCart/GUID")}),
    ),
    # Yespo_Purchased_Event.php generate_json: GeneralInfo with integer externalCustomerId,
    # top-level TrackedOrderId (UUID v4), PurchasedItems {Products: [{product_id: strval,
    # unit_price: strval(subtotal / quantity), quantity (int)}], OrderNumber: strval(order id)}.
    "woo-purchased-items": (
        Request(f"{WOO}:integrations/webtracking/Yespo_Purchased_Event.php", "POST", "/api/v2",
                WOO_HEADERS, {"GeneralInfo": {
                    "eventName": "PurchasedItems", "siteId": "8A412DC", "datetime": NOW_MS,
                    "externalCustomerId": 42, "user_phone": "+380501234567",
                    "user_email": "ann@example.org", "user_name": "Ann Lee",
                    "cookies": {"sc": SC}},
                    "TrackedOrderId": "9e2b6c1a-4f3d-4a8b-9c7e-1d2f3a4b5c6d",
                    "PurchasedItems": {"Products": [{"product_id": "118", "unit_price": "19.99",
                                                     "quantity": 2}], "OrderNumber": "1043"}}),
        Expect(200, b""),
    ),
    # Yespo_User_Event.php handle_user_event: {"GeneralInfo": generate_user_array("CustomerData",
    # user data)} then the webcontact body get_webcontact_data: {externalCustomerId:
    # strval(id), webId, orgId: (int)orgId, email?, phone?} -- no GeneralInfo.
    "woo-customer-data": (
        Request(f"{WOO}:integrations/webtracking/Yespo_User_Event.php", "POST", "/api/v2",
                WOO_HEADERS, {"GeneralInfo": {
                    "eventName": "CustomerData", "siteId": "8A412DC", "datetime": NOW_MS,
                    "externalCustomerId": 42, "user_email": "ann@example.org",
                    "user_name": "ann", "cookies": {"sc": SC}}}),
        Expect(200, b""),
    ),
    "woo-webcontact": (
        Request(f"{WOO}:integrations/webtracking/Yespo_User_Event.php", "POST", "/api/v2",
                WOO_HEADERS, {"externalCustomerId": "42", "webId": SC, "orgId": 23948,
                              "email": "ann@example.org"}),
        Expect(200, b""),
    ),
    # Same method without a PHP session: webId null, (int)null = 0.
    "woo-webcontact-no-session": (
        Request(f"{WOO}:integrations/webtracking/Yespo_User_Event.php", "POST", "/api/v2",
                WOO_HEADERS, {"externalCustomerId": None, "webId": None, "orgId": 0}),
        Expect(200, b"", errors={("type_mismatch", "/webId"), ("out_of_range", "/orgId")}),
    ),
    # integrations/esputnik/Yespo_Order_Mapping.php order_woo_to_yes + Yespo_Curl_Request.php
    # (POST https://yespo.io/api/v1/orders, Basic ":" + key): externalOrderId and totalCost
    # sanitize_text_field (text), externalCustomerId the user id (integer), date
    # 'Y-m-d\TH:i:s.uP', shipping/discount/taxes the order's text or "" when zero, source =
    # created_via, items [{externalItemId: product id (integer), name, category, quantity,
    # cost: get_subtotal() (the line total, not the unit price), url, imageUrl, description}].
    "woo-orders": (
        Request(f"{WOO}:integrations/esputnik/Yespo_Order_Mapping.php", "POST", "/api/v1/orders",
                WOO_HEADERS, {"orders": [{
                    "status": "IN_PROGRESS", "externalOrderId": "1043", "externalCustomerId": 42,
                    "totalCost": "90.00", "email": "ann@example.org",
                    "date": "2024-12-01T10:00:00.000000+02:00", "currency": "EUR",
                    "firstName": "Ann", "lastName": "Lee",
                    "deliveryAddress": "Khreshchatyk 1 Kyiv Ukraine ", "phone": "380501234567",
                    "shipping": "10.00", "discount": "", "taxes": "", "source": "checkout",
                    "paymentMethod": "cod", "items": [{
                        "externalItemId": 118, "name": "Mug", "category": "Kitchen",
                        "quantity": 2, "cost": "80", "url": "https://shop.example/product/mug/",
                        "imageUrl": "", "description": ""}]}]}),
        Expect(200, {"failedOrders": []}, warnings={
            ("type_mismatch", "/orders/0/totalCost"), ("type_mismatch", "/orders/0/items/0/cost"),
            ("order_id_not_string", "/orders/0/externalCustomerId"),
            ("order_id_not_string", "/orders/0/items/0/externalItemId"),
            ("order_total_mismatch", "/orders/0/totalCost"),  # cost is the line total: 2 x 80
        }),
    ),
    # -- the Shopify app ---------------------------------------------------------------------
    # app/api/get-account-info.server.ts: GET `${API_URL}/account/info` (API_URL
    # https://yespo.io/api/v1, .env.example), headers accept "application/json; charset=UTF-8",
    # Authorization getAuthHeader(apiKey) = Basic base64("user:" + key) (app/utils/auth.ts);
    # reads {orgId, userEmail, organisationName} (app/@types/account.d.ts); 401 = bad key.
    "shopify-account-info": (
        Request(f"{SHOPIFY}:app/api/get-account-info.server.ts", "GET", "/api/v1/account/info",
                {"accept": "application/json; charset=UTF-8",
                 "Authorization": basic("user", "run-shop-ci.k3y-shop")}, None),
        Expect(200, {"orgId": 1, "userEmail": "dry-run@event-registry.invalid",
                     "organisationName": "event-registry dry run"}),
    ),
    # app/services/send-status-cart.server.ts + app/api/send-status-cart-event.ts: POST
    # `${WEB_TRACKER_URL}` (configurable: here the tracker prefix), content-type
    # application/json, Basic user:key; GeneralInfo {eventName, siteId, datetime: Date.now(),
    # cookies {sc}, ...buildCustomerData (externalCustomerId text, user_name, user_email)};
    # StatusCart {GUID: uuidv4(), Products [{productKey: id.toString(), price (text),
    # discount: toFixed(2) (text), quantity (number), price_currency_code}]}.
    "shopify-status-cart": (
        Request(f"{SHOPIFY}:app/services/send-status-cart.server.ts", "POST", "/tracker/api/v2",
                {"content-type": "application/json",
                 "Authorization": basic("user", "run-shop-ci.k3y-shop")},
                {"GeneralInfo": {"eventName": "StatusCart", "siteId": "8A412DC",
                                 "datetime": NOW_MS, "cookies": {"sc": SC},
                                 "externalCustomerId": "7001", "user_name": "Ann Lee",
                                 "user_email": "ann@example.org"},
                 "StatusCart": {"GUID": "f47ac10b-58cc-4372-a567-0e02b2c3d479", "Products": [
                     {"productKey": "43073812", "price": "201.95", "discount": "0.00",
                      "quantity": 1, "price_currency_code": "USD"}]}}),
        Expect(200, b""),
    ),
    # app/services/send-purchased-items.server.ts: TrackedOrderId uuidv4(); PurchasedItems
    # {Products [{productKey: variant_id.toString(), unit_price: item.price, quantity}],
    # OrderNumber: id.toString()} -- productKey where the docs (and its own type) say product_id.
    "shopify-purchased-items": (
        Request(f"{SHOPIFY}:app/services/send-purchased-items.server.ts", "POST",
                "/tracker/api/v2", {"content-type": "application/json",
                                    "Authorization": basic("user", "run-shop-ci.k3y-shop")},
                {"GeneralInfo": {"eventName": "PurchasedItems", "siteId": "8A412DC",
                                 "datetime": NOW_MS, "cookies": {"sc": SC},
                                 "externalCustomerId": "7001", "user_email": "ann@example.org"},
                 "TrackedOrderId": "1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed",
                 "PurchasedItems": {"Products": [{"productKey": "44120321",
                                                  "unit_price": "201.95", "quantity": 1}],
                                    "OrderNumber": "6518724034798"}}),
        Expect(200, b"", warnings={("tracker_product_key_alias",
                                    "/PurchasedItems/Products/0/productKey")}),
    ),
    # app/api/send-log-event.ts: POST `${WEB_TRACKER_URL}`, content-type application/json, no
    # Authorization; {orgId, typeCMS: "Shopify", errorMessage, data: JSON.stringify({...}),
    # message: an EVENT_MESSAGES value, log_level}.
    "shopify-log-record": (
        Request(f"{SHOPIFY}:app/api/send-log-event.ts", "POST", "/tracker/api/v2",
                {"content-type": "application/json"},
                {"orgId": 1, "typeCMS": "Shopify", "errorMessage": "",
                 "data": json.dumps({"domain": "shop.example", "statusCode": 200}),
                 "message": "WEB_TRACKING_STATUSCART_SUCCESS", "log_level": "INFO"}),
        Expect(200, b""),
    ),
    # app/api/create-orders.ts + app/services/create-order.server.ts: POST `${API_URL}/orders`,
    # Basic user:key, {orders: [{firstName, lastName, email, phone ("" when absent),
    # externalOrderId: id.toString(), externalCustomerId: id.toString(), totalCost:
    # parseFloat(current_total_price), discount, shipping, taxes, currency, date (UTC ISO),
    # status, deliveryAddress, items [{externalItemId, name, quantity, cost: parseFloat}]}]}.
    "shopify-orders": (
        Request(f"{SHOPIFY}:app/services/create-order.server.ts", "POST", "/api/v1/orders",
                {"content-type": "application/json",
                 "Authorization": basic("user", "run-shop-ci.k3y-shop")},
                {"orders": [{"firstName": "Ann", "lastName": "Lee", "email": "ann@example.org",
                             "phone": "", "externalOrderId": "6518724034798",
                             "externalCustomerId": "7001", "totalCost": 211.95, "discount": 0,
                             "shipping": 10, "taxes": 0, "currency": "USD",
                             "date": "2024-12-01T10:00:00.000Z", "status": "INITIALIZED",
                             "deliveryAddress": "1 Main St, Kyiv, Ukraine",
                             "items": [{"externalItemId": "15003478294702", "name": "Kettle",
                                        "quantity": 1, "cost": 201.95}]}]}),
        Expect(200, {"failedOrders": []}),
    ),
    # -- OpenCart ----------------------------------------------------------------------------
    # src/upload/catalog/controller/extension/module/yespo.php processOrder -> model makeRequest:
    # POST https://yespo.io/api/v1/orders, CURLOPT_USERPWD "anyvalue:" + key, headers Accept and
    # Content-Type "application/json; charset=UTF-8"; {orders: [{externalOrderId: order_id,
    # totalCost: (string) currency->format(total), status, date: gmdate('Y-m-d\TH:i:s\Z'),
    # currency, email, phone (digits), firstName, lastName, deliveryMethod, paymentMethod,
    # items [{externalItemId: product_id, name, quantity: (int), cost: (string), url,
    # imageUrl}], externalCustomerId (when logged in)}]}. Ids are the database's integers here;
    # the next case replays them as the strings a driver without native types returns.
    "opencart-orders": (
        Request(f"{OPENCART}:src/upload/catalog/controller/extension/module/yespo.php",
                "POST", "/api/v1/orders",
                {"Accept": "application/json; charset=UTF-8",
                 "Content-Type": "application/json; charset=UTF-8",
                 "Authorization": basic("anyvalue", "run-oc-ci.k3y-oc")},
                {"orders": [{"externalOrderId": 57, "totalCost": "105.0000",
                             "status": "INITIALIZED", "date": "2024-12-01T10:00:00Z",
                             "currency": "UAH", "email": "ann@example.org",
                             "phone": "380501234567", "firstName": "Ann", "lastName": "Lee",
                             "deliveryMethod": "Flat Shipping Rate",
                             "paymentMethod": "Cash On Delivery",
                             "items": [{"externalItemId": 42, "name": "Kettle", "quantity": 1,
                                        "cost": "100.0000",
                                        "url": "https://shop.example/index.php?route=product/product&product_id=42",
                                        "imageUrl": "https://shop.example/image/cache/k-200x200.jpg"}],
                             "externalCustomerId": 7}]}),
        Expect(200, {"failedOrders": []}, warnings={
            ("type_mismatch", "/orders/0/totalCost"), ("type_mismatch", "/orders/0/items/0/cost"),
            ("order_id_not_string", "/orders/0/externalOrderId"),
            ("order_id_not_string", "/orders/0/externalCustomerId"),
            ("order_id_not_string", "/orders/0/items/0/externalItemId"),
            ("order_total_mismatch", "/orders/0/totalCost"),  # shipping is in total, not sent
        }),
    ),
    "opencart-orders-string-ids-guest": (
        Request(f"{OPENCART}:src/upload/catalog/controller/extension/module/yespo.php",
                "POST", "/api/v1/orders",
                {"Content-Type": "application/json; charset=UTF-8",
                 "Authorization": basic("anyvalue", "run-oc-ci.k3y-oc")},
                {"orders": [{"externalOrderId": "58", "totalCost": "100.0000",
                             "status": "IN_PROGRESS", "date": "2024-12-01T10:00:00Z",
                             "currency": "UAH", "email": "", "phone": "",
                             "firstName": "Ann", "lastName": "Lee", "deliveryMethod": "",
                             "paymentMethod": "", "items": [{"externalItemId": "42",
                                                             "name": "Kettle", "quantity": 1,
                                                             "cost": "100.0000", "url": "u",
                                                             "imageUrl": "i"}]}]}),
        Expect(200, None, errors={("order_contact_missing", "/orders/0")}, warnings={
            ("type_mismatch", "/orders/0/totalCost"),
            ("type_mismatch", "/orders/0/items/0/cost")}),
    ),
    # model trackEvent: POST https://tracker.yespo.io/api/v2, no Authorization, Content-Type
    # "application/json; charset=UTF-8"; sendCart: GeneralInfo {eventName, siteId, datetime:
    # (int)(microtime*1000), cookies.sc only when the cookie is set}, StatusCart {GUID: uniqid(),
    # Products [{productKey: product_id, price: (string), quantity: (int), price_currency_code}]}.
    # No credentials: tagged by the /run/<id>/ prefix a reverse proxy adds (README).
    "opencart-status-cart": (
        Request(f"{OPENCART}:src/upload/catalog/model/extension/module/yespo.php", "POST",
                "/run/oc-ci/api/v2", {"Content-Type": "application/json; charset=UTF-8"},
                {"GeneralInfo": {"eventName": "StatusCart", "siteId": "8A412DC",
                                 "datetime": NOW_MS, "cookies": {"sc": SC}},
                 "StatusCart": {"GUID": "674c3f5a9e2b1", "Products": [
                     {"productKey": 42, "price": "100.0000", "quantity": 1,
                      "price_currency_code": "UAH"}]}}),
        Expect(200, b""),
    ),
    # sendCart without the sc cookie: GeneralInfo has no cookies member at all.
    "opencart-status-cart-no-cookie": (
        Request(f"{OPENCART}:src/upload/catalog/model/extension/module/yespo.php", "POST",
                "/run/oc-ci/api/v2", {"Content-Type": "application/json; charset=UTF-8"},
                {"GeneralInfo": {"eventName": "StatusCart", "siteId": "8A412DC",
                                 "datetime": NOW_MS},
                 "StatusCart": {"GUID": "674c3f5a9e2b2", "Products": []}}),
        Expect(200, b"", errors={("required_missing", "/GeneralInfo")}),
    ),
    # addWishlist: AddToWishlist {Product {productKey, price: (string), isInStock:
    # (string)(quantity > 0)}} -- "1" in stock, "" (PHP's (string)false) out of stock.
    "opencart-wishlist-out-of-stock": (
        Request(f"{OPENCART}:src/upload/catalog/model/extension/module/yespo.php", "POST",
                "/run/oc-ci/api/v2", {"Content-Type": "application/json; charset=UTF-8"},
                {"GeneralInfo": {"eventName": "AddToWishlist", "siteId": "8A412DC",
                                 "datetime": NOW_MS, "cookies": {"sc": SC}},
                 "AddToWishlist": {"Product": {"productKey": 42, "price": "100.0000",
                                               "isInStock": ""}}}),
        Expect(200, b"", errors={("not_in_enum", "/AddToWishlist/Product/isInStock")}),
    ),
    # sendOrder: PurchasedItems {OrderNumber: (string), GUID (last cart), TrackedOrderId:
    # uniqid() -- inside PurchasedItems here --, Products [{product_id: (string), unit_price:
    # (string), quantity: (int)}]}.
    "opencart-purchased-items": (
        Request(f"{OPENCART}:src/upload/catalog/model/extension/module/yespo.php", "POST",
                "/run/oc-ci/api/v2", {"Content-Type": "application/json; charset=UTF-8"},
                {"GeneralInfo": {"eventName": "PurchasedItems", "siteId": "8A412DC",
                                 "datetime": NOW_MS, "cookies": {"sc": SC}},
                 "PurchasedItems": {"OrderNumber": "57", "GUID": "674c3f5a9e2b1",
                                    "TrackedOrderId": "674c3f7b1d0e4",
                                    "Products": [{"product_id": "42", "unit_price": "100.0000",
                                                  "quantity": 1}]}}),
        Expect(200, b""),
    ),
    # controller addCustomer -> makeRequest POST https://yespo.io/api/v1/contact: not emulated.
    "opencart-contact": (
        Request(f"{OPENCART}:src/upload/catalog/controller/extension/module/yespo.php",
                "POST", "/api/v1/contact",
                {"Content-Type": "application/json; charset=UTF-8",
                 "Authorization": basic("anyvalue", "run-oc-ci.k3y-oc")},
                {"externalCustomerId": "7", "firstName": "Ann", "lastName": "Lee",
                 "channels": [{"type": "email", "value": "ann@example.org"},
                              {"type": "sms", "value": "380501234567"}]}),
        Expect(404, None, errors={("not_emulated", "")}),
    ),
}  # fmt: skip


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient[Litestar]]:
    app = create_app(Settings(), store=InMemoryStore())
    CatalogSeeder(app.dependencies["service"].dependency()).seed(CATALOG)
    with TestClient(app=app, raise_server_exceptions=False) as c:
        yield c


def report_of(response: Any) -> dict[str, Any]:
    text = response.headers["x-event-registry-report"]
    report: dict[str, Any] = msgspec.json.decode(
        base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    )
    return report


def pairs(report: dict[str, Any], kind: str) -> set[tuple[str, str]]:
    return {(v["code"], v["path"]) for e in report["events"] for v in e["report"][kind]}


def send(client: TestClient[Litestar], request: Request) -> Any:
    content = None if request.body is None else json.dumps(request.body).encode()
    return client.request(request.method, request.path, content=content, headers=request.headers)


DROP_IN_POSTS = [
    n for n, (r, _) in CASES.items() if r.method == "POST" and r.path != "/api/v1/contact"
]


@pytest.mark.parametrize("name", DROP_IN_POSTS)
def test_plugin_request_gets_yespos_answer_and_the_exact_report(
    client: TestClient[Litestar], name: str
) -> None:
    request, expect = CASES[name]
    r = send(client, request)
    assert r.status_code == expect.status
    if expect.answer == b"":
        assert r.content == b""
    elif expect.answer is not None:
        assert r.json() == expect.answer
    report = report_of(r)
    assert pairs(report, "errors") == expect.errors
    assert pairs(report, "warnings") == expect.warnings
    assert report["valid"] is not expect.errors


def test_opencart_failed_order_is_in_failed_orders(client: TestClient[Litestar]) -> None:
    request, _ = CASES["opencart-orders-string-ids-guest"]
    r = send(client, request)
    [failed] = r.json()["failedOrders"]
    assert failed["order"] == request.body["orders"][0]
    assert failed["error"].startswith("/orders/0: one of externalCustomerId, email, phone")


def test_shopify_setup_call_answers_the_account_it_reads(client: TestClient[Litestar]) -> None:
    request, expect = CASES["shopify-account-info"]
    r = send(client, request)
    assert (r.status_code, r.json()) == (expect.status, expect.answer)


def test_unsupported_path_is_404_not_emulated_naming_the_api(
    client: TestClient[Litestar],
) -> None:
    request, _ = CASES["opencart-contact"]
    r = send(client, request)
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")
    problem = r.json()
    assert (problem["code"], problem["path"], problem["yespoApi"]) == (
        "not_emulated", "/api/v1/contact", "the Contacts API",
    )  # fmt: skip


def test_shopify_log_records_are_recorded_as_such_and_untagged(
    client: TestClient[Litestar],
) -> None:
    request, _ = CASES["shopify-log-record"]
    r = send(client, request)
    report = report_of(r)
    assert (report["format"], report["valid"], report["runId"]) == ("client_log", True, None)
    request_id = r.headers["x-event-registry-request-id"]
    items = client.get("/inspect/events", params={"limit": 500}).json()["items"]
    [entry] = [e for e in items if e["requestId"] == request_id]
    assert (entry["format"], entry["valid"], entry["eventTypeKey"]) == ("client_log", True, None)


def test_traffic_appears_in_inspect_by_the_run_id_its_credentials_carry(
    client: TestClient[Litestar],
) -> None:
    """Tracker, orders and unsupported-path requests tagged by nothing but their API keys."""
    for run in ("woo-ci", "oc-ci"):
        client.delete("/inspect/events", params={"runId": run})
    for name in ("woo-status-cart", "woo-purchased-items", "opencart-orders", "opencart-contact"):
        send(client, CASES[name][0])
    woo = client.get("/inspect/events", params={"runId": "woo-ci"}).json()["items"]
    assert sorted((e["format"], e["eventTypeKey"]) for e in woo) == [
        ("tracker", "PurchasedItems"), ("tracker", "StatusCart"),
    ]  # fmt: skip
    oc = client.get("/inspect/events", params={"runId": "oc-ci"}).json()["items"]
    assert sorted(e["format"] for e in oc) == ["orders", "unsupported"]
    [unsupported] = [e for e in oc if e["format"] == "unsupported"]
    assert unsupported["payload"]["path"] == "/api/v1/contact"
    assert unsupported["httpStatus"] == 404
    everything = json.dumps(client.get("/inspect/events", params={"limit": 500}).json())
    assert "k3y" not in everything  # the secret part of a key is never stored
    purchase = next(e for e in woo if e["eventTypeKey"] == "PurchasedItems")
    info = purchase["payload"]["GeneralInfo"]
    assert (info["user_email"], info["user_phone"], info["user_name"]) == ("***", "***", "Ann Lee")


def test_every_tracker_and_orders_catalog_example_through_its_drop_in_endpoint(
    client: TestClient[Litestar],
) -> None:
    """Catalog examples of the tracker/orders groups hold the body as their params."""
    checked = 0
    for entry in CATALOG:
        if not {"tracker", "orders"} & set(entry.tags):
            continue
        for example in entry.examples:
            body = example.payload["params"]
            if "orders" in entry.tags:
                r = client.post("/api/v1/orders?report=true", json={"orders": [body]})
            else:
                r = client.post("/api/v2?report=true", json=body)
            assert r.status_code == 200, (entry.key, example.name)
            assert r.json()["valid"] is example.expect_valid, (entry.key, example.name)
            checked += 1
    assert checked >= 30
