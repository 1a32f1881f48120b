"""The Yespo reference payloads (shared/domain/yespo-events.md §10) give the expected verdicts.

Each example is copied verbatim from §10 and posted to ``POST /validate`` after registering
schemas that describe it the way a Yespo user would (mostly the param-list form). Batch envelopes
(#4 past events, #9 mobile SDK) belong to the batch endpoints; here each inner event goes through
/validate on its own. Tracker REST payloads (#7, #8) are not ``eventTypeKey``/``params`` events:
as sent, /validate says so; mapped onto the envelope (:func:`tracker_event`) they validate.
"""

# The §10 payloads are copied verbatim, one line each, so they can be compared with the document.
# ruff: noqa: E501

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.api.reports import Validate, codes, create_type, only, set_config

DOMAIN = Path(__file__).resolve().parents[3] / "shared" / "domain" / "yespo-events.md"

EXAMPLES = {
    1: r'{"eventTypeKey":"CartAbandoned","params":[{"name":"externalCustomerId","value":"c-7f3a91"},{"name":"cartId","value":"CRT-1001"}]}',
    2: r'{"eventTypeKey":"AbandonedCart","keyValue":"c-7f3a91","params":[{"name":"externalCustomerId","value":"c-7f3a91"},{"name":"totalValue","value":99.9},{"name":"currency","value":"EUR"},{"name":"itemCount","value":2}]}',
    3: r'{"eventTypeKey":"orderCreated","keyValue":"buyer@example.org","params":[{"name":"email","value":"buyer@example.org"},{"name":"externalOrderId","value":"SO-5512"},{"name":"totalCost","value":"120.0"},{"name":"status","value":"INITIALIZED"},{"name":"date","value":"2024-11-02T09:15:00"},{"name":"currency","value":"USD"},{"name":"items","value":[{"externalItemId":"SKU-1","name":"Kettle","category":"kitchen","quantity":2,"cost":60,"url":"https://shop.example/sku-1","imageUrl":"https://shop.example/sku-1.png"}]}]}',
    4: r'{"events":[{"eventTypeKey":"orderCreated","keyValue":"a@example.org","params":[{"name":"email","value":"a@example.org"},{"name":"externalOrderId","value":"H-1"}],"occurred":"2023-03-22T14:30"},{"eventTypeKey":"subscriptionStarted","keyValue":"b@example.org","params":[{"name":"email","value":"b@example.org"}],"occurred":"2023-01-05"}]}',
    5: r'{"eventTypeKey":"cartUpdated","keyValue":"a@example.org","params":[{"name":"email","value":"a@example.org"},{"name":"products","value":"[{\"productId\":\"P1\",\"quantity\":1,\"price\":45.5}]"},{"name":"currencyCode","value":"USD"},{"name":"recycleStateId","value":"d59c6e6d-0000-4b0e-8c32-15f0656a8c60"}]}',
    6: r'{"eventTypeKey":"welcome","keyValue":"new@example.org","params":[{"name":"email","value":"new@example.org"},{"name":"ip","value":"192.0.2.10"},{"name":"contactJson","value":"{\"firstname\":\"Ann\",\"languageCode\":\"uk\",\"confirmed\":false}"}]}',
    7: r'{"GeneralInfo":{"eventName":"StatusCart","siteId":"8A412DC","datetime":1730538000000,"externalCustomerId":"7001","user_email":"a@example.org","cookies":{"sc":"CDA68358-0000-4D83-9655-3FEB3C4114A3"}},"StatusCart":{"GUID":"6F9619FF-8B86-D011-B42D-00CF4FC964FF","Products":[{"productKey":"430738","price":"201.95","discount":"0.00","quantity":1,"price_currency_code":"USD"}]}}',
    8: r'{"GeneralInfo":{"eventName":"PurchasedItems","siteId":"8A412DC","datetime":1730538100000,"externalCustomerId":42,"cookies":{"sc":"CDA68358-0000-4D83-9655-3FEB3C4114A3"}},"TrackedOrderId":"3f1c2b8e-5a7d-4c1e-9b2a-0d4e6f8a1b2c","PurchasedItems":{"Products":[{"product_id":"430738","unit_price":"201.95","quantity":1}],"OrderNumber":"1043"}}',
    9: r'{"deviceId":"a1b2c3d4-0000-4e5f-8a9b-0c1d2e3f4a5b","externalUserId":"c-7f3a91","events":[{"eventTypeKey":"productViewed","occurred":"2024-11-02T09:15:00.123Z","params":[{"name":"product","value":"{\"productId\":\"P1\",\"price\":45.5,\"isInStock\":1}"},{"name":"currencyCode","value":"EUR"}]},{"eventTypeKey":"screenView","occurred":"2024-11-02T09:15:05.000Z","params":[{"name":"screenClass","value":"CartFragment"}]}]}',
}
CURRENCY = {"name": "currency", "type": "string", "enum": ["USD", "EUR", "UAH"]}
ORDER_STATUS = ["INITIALIZED", "IN_PROGRESS", "DELIVERED", "CANCELLED", "ABANDONED_SHOPPING_CART"]
ORDER = [  # ORDEV: the order params of Generate event, items with every documented member
    {"name": "externalOrderId", "type": "string", "required": True},
    {"name": "totalCost", "type": "number", "required": True, "minimum": 0},
    {"name": "status", "type": "string", "required": True, "enum": ORDER_STATUS},
    {"name": "date", "type": "datetime", "required": True},
    CURRENCY,
    {
        "name": "items",
        "type": "array",
        "items": [
            {"name": "externalItemId", "type": "string", "required": True},
            {"name": "name", "type": "string", "required": True},
            {"name": "category", "type": "string", "required": True},
            {"name": "quantity", "type": "number", "required": True, "minimum": 0},
            {"name": "cost", "type": "number", "required": True, "minimum": 0},
            {"name": "url", "type": "url", "required": True},
            {"name": "imageUrl", "type": "url", "required": True},
        ],
    },
]
CART_PRODUCTS = [  # SITE cartUpdated.products
    {"name": "productId", "type": "string", "required": True},
    {"name": "quantity", "type": "number", "required": True},
    {"name": "price", "type": "number", "required": True},
    {"name": "name", "type": "string"},
    {"name": "category", "type": "string"},
    {"name": "discount", "type": "string"},
]
CONTACT_JSON = {  # GEN "Validate Contact Data in Events"
    "type": "object",
    "properties": {
        "firstname": {"type": "string", "maxLength": 60},
        "lastname": {"type": "string", "maxLength": 60},
        "sms": {"type": "string"},
        "town": {"type": "string"},
        "timeZone": {"type": "string"},
        "languageCode": {"type": "string", "pattern": "^[a-z]{2}$"},
        "confirmed": {"type": "boolean"},
    },
    "additionalProperties": False,
}
TRACKER_INFO = {  # REST GeneralInfo, minus eventName (that is the event type)
    "siteId": {"type": "string"},
    "datetime": {"type": "integer", "minimum": 0, "description": "epoch milliseconds"},
    "externalCustomerId": {"description": "string or, from WooCommerce, an integer user id"},
    "user_email": {"type": "string", "format": "email"},
    "user_phone": {"type": "string"},
    "user_name": {"type": "string"},
    "cookies": {"type": "object", "required": ["sc"], "properties": {"sc": {"type": "string"}}},
}
DECIMAL_TEXT = {"type": "string", "pattern": "^[0-9]+(\\.[0-9]+)?$"}


@dataclass
class Example:
    """Types to register, then the events to post and what each report must say."""

    id: str
    events: list[dict[str, Any]]
    expect: list[list[tuple[str, str, str]]]
    """Per event: ``(code, severity, path)`` of every violation, errors first."""
    types: dict[str, dict[str, Any]]
    """Event type key -> version body (``{"params": [...]}`` or ``{"schema": {...}}``)."""
    config: dict[str, dict[str, Any]] = field(default_factory=dict)
    query: dict[str, Any] = field(default_factory=dict)


def example(number: int) -> Any:
    return json.loads(EXAMPLES[number])


def tracker_event(payload: dict[str, Any]) -> dict[str, Any]:
    """Map a tracker REST body onto the event envelope.

    ``GeneralInfo.eventName`` is the event type; the params (object form) are the other
    ``GeneralInfo`` members, the members of the event object named after the event, and any
    other top-level member (``TrackedOrderId``). ``externalCustomerId`` identifies the contact.
    """
    rest = dict(payload)
    info = dict(rest.pop("GeneralInfo"))
    name = info.pop("eventName")
    body = rest.pop(name)
    return {"eventTypeKey": name, "params": {**info, **body, **rest}}


EXAMPLE_CASES = [
    Example(
        "1-v2-minimal",
        [example(1)],
        [[]],
        {
            "CartAbandoned": {
                "params": [
                    {"name": "externalCustomerId", "type": "string"},
                    {"name": "cartId", "type": "string", "required": True},
                ]
            }
        },
        query={"mode": "strict"},
    ),
    Example(
        "2-v2-mixed-types",
        [example(2)],
        [[]],
        {
            "AbandonedCart": {
                "params": [
                    {"name": "totalValue", "type": "number", "required": True, "minimum": 0},
                    CURRENCY,
                    {"name": "itemCount", "type": "integer", "minimum": 0},
                ]
            }
        },
        query={"mode": "strict"},
    ),
    Example(
        "3-v2-order-with-items",
        [example(3)],
        [[("type_mismatch", "warning", "/params/2/value")]],  # "120.0" accepted as 120.0
        {"orderCreated": {"params": ORDER}},
        config={"orderCreated": {"coerce": True}},
        query={"mode": "strict"},
    ),
    Example(
        "4-past-events-each-inner-event",
        example(4)["events"],
        [[], []],
        {
            "orderCreated": {
                "params": [{"name": "externalOrderId", "type": "string", "required": True}]
            },
            "subscriptionStarted": {"params": []},
        },
        query={"mode": "strict"},
    ),
    Example(
        "5-v1-escaped-json",
        [example(5)],
        [[("json_string_parsed", "warning", "/params/1/value")]],
        {
            "cartUpdated": {
                "params": [
                    {"name": "products", "type": "array", "required": True, "items": CART_PRODUCTS},
                    {**CURRENCY, "name": "currencyCode"},
                    {"name": "recycleStateId", "type": "string", "required": True},
                ]
            }
        },
        query={"mode": "strict"},
    ),
    Example(
        "6-contact-json-and-ip",
        [example(6)],
        [[("json_string_parsed", "warning", "/params/2/value")]],
        {
            "welcome": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "ip": {
                            "type": "string",
                            "anyOf": [{"format": "ipv4"}, {"format": "ipv6"}],
                        },
                        "contactJson": CONTACT_JSON,
                    },
                }
            }
        },
        query={"mode": "strict"},
    ),
    Example(
        "7-tracker-status-cart-mapped",
        [tracker_event(example(7))],
        [[]],
        {
            "StatusCart": {
                "schema": {
                    "type": "object",
                    "required": ["siteId", "cookies", "GUID", "Products"],
                    "properties": {
                        **TRACKER_INFO,
                        "GUID": {"type": "string", "minLength": 1},
                        "Products": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["productKey", "price", "quantity"],
                                "properties": {
                                    "productKey": {"type": "string"},
                                    "price": DECIMAL_TEXT,
                                    "discount": DECIMAL_TEXT,
                                    "quantity": {"type": "integer", "minimum": 1},
                                    "price_currency_code": {"enum": ["USD", "EUR", "UAH"]},
                                },
                            },
                        },
                    },
                }
            }
        },
        query={"mode": "strict"},
    ),
    Example(
        "8-tracker-purchased-items-mapped",
        [tracker_event(example(8))],
        [[("unknown_param", "warning", "/params/TrackedOrderId")]],  # undocumented member
        {
            "PurchasedItems": {
                "schema": {
                    "type": "object",
                    "required": ["siteId", "cookies", "OrderNumber", "Products"],
                    "properties": {
                        **TRACKER_INFO,
                        "OrderNumber": {"type": "string"},
                        "Products": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["product_id", "unit_price", "quantity"],
                                "properties": {
                                    "product_id": {"type": "string"},
                                    "unit_price": DECIMAL_TEXT,
                                    "quantity": {"type": "integer", "minimum": 1},
                                },
                            },
                        },
                    },
                }
            }
        },
    ),
    Example(
        "9-mobile-sdk-each-inner-event",
        example(9)["events"],
        [[("json_string_parsed", "warning", "/params/0/value")], []],
        {
            "productViewed": {
                "params": [
                    {
                        "name": "product",
                        "type": "object",
                        "required": True,
                        "properties": [
                            {"name": "productId", "type": "string", "required": True},
                            {"name": "price", "type": "number", "required": True},
                            {"name": "isInStock", "type": "integer", "enum": [0, 1]},
                        ],
                    },
                    {**CURRENCY, "name": "currencyCode"},
                ]
            },
            "screenView": {"params": [{"name": "screenClass", "type": "string", "required": True}]},
        },
        # The SDK batch names the contact once (deviceId/externalUserId), not in each event.
        config={
            "productViewed": {"envelope": {"contact": False}},
            "screenView": {"envelope": {"contact": False}},
        },
        query={"mode": "strict"},
    ),
]


def register(client: Any, case: Example) -> None:
    for key, version in case.types.items():
        create_type(client, key, **version)
        if key in case.config:
            set_config(client, key, **case.config[key])


def violations(report: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(v["code"], v["severity"], v["path"]) for v in report["errors"] + report["warnings"]]


@pytest.mark.parametrize("case", EXAMPLE_CASES, ids=[c.id for c in EXAMPLE_CASES])
def test_reference_example_is_accepted(validate: Validate, client: Any, case: Example) -> None:
    register(client, case)
    for sent, expected in zip(case.events, case.expect, strict=True):
        report = validate(sent, **case.query)
        assert report["valid"] is True, report["errors"]
        assert report["version"] == 1
        assert violations(report) == expected


def test_example_3_without_coercion_reports_the_string_number(
    validate: Validate, client: Any
) -> None:
    create_type(client, "orderCreated", params=ORDER)
    violation = only(validate(example(3)), "type_mismatch")
    assert violation == {
        "code": "type_mismatch",
        "severity": "error",
        "path": "/params/2/value",
        "param": "totalCost",
        "keyword": "type",
        "schemaPath": "/properties/totalCost/type",
        "expected": "number",
        "actual": "120.0",
        "coercible": True,
        "coercedValue": 120.0,
        "message": "param 'totalCost' must be a number, got string \"120.0\"",
    }


def test_example_3_order_date_without_offset_passes_datetime_but_not_json_schema_date_time(
    validate: Validate, client: Any
) -> None:
    """Yespo documents ``YYYY-MM-DDTHH:mm:ss`` with no offset; RFC 3339 ``date-time`` needs one."""
    create_type(
        client,
        "orderCreated",
        schema={
            "type": "object",
            "properties": {"date": {"type": "string", "format": "date-time"}},
        },
    )
    violation = only(validate(example(3)), "format_invalid")
    assert (violation["path"], violation["expected"]) == ("/params/4/value", "date-time")


def test_example_3_with_a_broken_item(validate: Validate, client: Any) -> None:
    create_type(client, "orderCreated", params=ORDER)
    set_config(client, "orderCreated", coerce=True)
    sent = example(3)
    sent["params"][6]["value"][0]["url"] = "shop.example/sku-1"
    del sent["params"][6]["value"][0]["category"]
    sent["params"][4]["value"] = "02.11.2024 09:15"
    report = validate(sent)
    assert [(v["code"], v["path"], v["param"]) for v in report["errors"]] == [
        ("pattern_mismatch", "/params/4/value", "date"),
        ("required_missing", "/params/6/value/0", "items"),
        ("format_invalid", "/params/6/value/0/url", "items"),
    ]
    assert report["errors"][0]["message"] == (
        "param 'date' must be an ISO 8601 date-time YYYY-MM-DDTHH:mm[:ss[.fraction]][Z|±hh:mm], "
        'got string "02.11.2024 09:15"'
    )


def test_example_5_errors_inside_the_escaped_json(validate: Validate, client: Any) -> None:
    case = EXAMPLE_CASES[4]
    register(client, case)
    sent = example(5)
    sent["params"][1]["value"] = '[{"productId":"P1","quantity":1,"price":"45,5"}]'
    report = validate(sent)
    assert violations(report) == [
        ("type_mismatch", "error", "/params/1/value/0/price"),
        ("json_string_parsed", "warning", "/params/1/value"),
    ]


def test_example_9_without_the_contact_switch(validate: Validate, client: Any) -> None:
    register(client, dataclasses.replace(EXAMPLE_CASES[8], config={}))
    assert codes(validate(example(9)["events"][1])) == [("missing_contact_identifier", "error")]


@pytest.mark.parametrize("number", [7, 8])
def test_tracker_payload_as_sent_is_not_an_event_envelope(validate: Validate, number: int) -> None:
    report = validate(example(number))
    assert codes(report) == [
        ("missing_contact_identifier", "error"),
        ("invalid_event_type_key", "error"),
        *[("unknown_member", "warning")] * len(example(number)),
    ]
    assert only(report, "invalid_event_type_key")["message"] == "eventTypeKey is required"


def test_example_8_strict_mode_rejects_the_undocumented_member(
    validate: Validate, client: Any
) -> None:
    register(client, EXAMPLE_CASES[7])
    violation = only(validate(tracker_event(example(8)), mode="strict"), "unknown_param")
    assert (violation["severity"], violation["param"]) == ("error", "TrackedOrderId")


# -- the should-fail set ------------------------------------------------------------------------

E_SCHEMA = {"params": [{"name": "a", "type": "string"}]}
SHOULD_FAIL = [
    (
        "forbidden-char",
        {"eventTypeKey": "bad?key", "params": [{"name": "email", "value": "x@example.org"}]},
        ["invalid_event_type_key", "unknown_event_type"],
    ),
    (
        "key-of-101-chars",
        {"eventTypeKey": "E" * 101, "params": [{"name": "email", "value": "x@example.org"}]},
        ["invalid_event_type_key", "unknown_event_type"],
    ),
    (
        "duplicate-name-and-no-identifier",
        {"eventTypeKey": "E", "params": [{"name": "a", "value": "1"}, {"name": "a", "value": "2"}]},
        ["missing_contact_identifier", "duplicate_param"],
    ),
    (
        "missing-value",
        {"eventTypeKey": "E", "params": [{"name": "email"}]},
        ["missing_contact_identifier", "missing_param_value"],
    ),
    (
        "null-external-customer-id",
        {"eventTypeKey": "E", "params": [{"name": "externalCustomerId", "value": "null"}]},
        ["missing_contact_identifier"],
    ),
    (
        "bad-occurred",
        {"eventTypeKey": "E", "keyValue": "a@example.org", "occurred": "22.03.2023"},
        ["invalid_occurred"],
    ),
    (
        "body-over-20-kb",
        {"eventTypeKey": "E", "keyValue": "k", "params": [{"name": "a", "value": "x" * 20_480}]},
        ["payload_too_large"],
    ),
]


@pytest.mark.parametrize(
    ("sent", "expected"), [c[1:] for c in SHOULD_FAIL], ids=[c[0] for c in SHOULD_FAIL]
)
def test_should_fail_example_is_rejected(
    validate: Validate, client: Any, sent: dict[str, Any], expected: list[str]
) -> None:
    create_type(client, "E", **E_SCHEMA)
    report = validate(sent)
    assert report["valid"] is False
    assert [v["code"] for v in report["errors"]] == expected


def test_past_event_without_occurred_is_for_the_past_events_endpoint(
    validate: Validate, client: Any
) -> None:
    """OCCURRED_DATE_IS_REQUIRED and the 500-event cap are rules of the past-events batch; one
    event on /validate is a live event, where ``occurred`` is optional."""
    create_type(client, "E", **E_SCHEMA)
    assert validate({"eventTypeKey": "E", "keyValue": "a@example.org"})["valid"] is True


def test_required_param_missing_is_yespos_validation_error(validate: Validate, client: Any) -> None:
    """Yespo answers ``The event should have the following params: [{"name":"orderId",
    "required":true}]``; the registry names the missing param and where it belongs."""
    create_type(client, "orderPaid", params=[{"name": "orderId", "required": True}])
    violation = only(validate({"eventTypeKey": "orderPaid", "keyValue": "k"}), "required_missing")
    assert (violation["path"], violation["param"], violation["message"]) == (
        "/params",
        "orderId",
        "required param 'orderId' is missing",
    )


@pytest.mark.skipif(not DOMAIN.exists(), reason="shared/domain/yespo-events.md is not checked out")
def test_examples_are_verbatim_copies_of_the_domain_reference() -> None:
    section = DOMAIN.read_text(encoding="utf-8").split("## 10.", 1)[1].split("## 11.", 1)[0]
    payloads = [line for line in section.splitlines() if line.startswith("{")]
    assert payloads == list(EXAMPLES.values())
