"""Quick in-process benchmark: validate_event on a realistic orderCreated vs msgspec decode.

Run: python scripts/bench_validate.py   (not a test; numbers vary by machine)
"""

from __future__ import annotations

import timeit

import msgspec

from registry.core.schema_check import check_schema
from registry.core.validation import ValidationOptions, compile_schema, validate_event

ITEM = {
    "type": "object",
    "required": ["externalItemId", "quantity"],
    "properties": {
        "externalItemId": {"type": "string", "maxLength": 100},
        "name": {"type": "string"},
        "category": {"type": "string"},
        "quantity": {"type": "integer", "minimum": 1},
        "cost": {"type": "number", "minimum": 0},
        "url": {"type": "string", "format": "uri"},
        "imageUrl": {"type": "string", "format": "uri"},
    },
}
SCHEMA = {
    "type": "object",
    "required": ["externalOrderId", "totalCost", "status"],
    "properties": {
        "email": {"type": "string", "format": "email"},
        "externalOrderId": {"type": "string"},
        "externalCustomerId": {"type": "string"},
        "totalCost": {"type": "number", "minimum": 0},
        "status": {"enum": ["INITIALIZED", "IN_PROGRESS", "DELIVERED", "CANCELLED"]},
        "date": {"type": "string", "format": "date-time"},
        "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
        "phone": {"type": "string"},
        "shipping": {"type": "number"},
        "discount": {"type": "number"},
        "taxes": {"type": "number"},
        "deliveryMethod": {"type": "string"},
        "paymentMethod": {"type": "string"},
        "deliveryAddress": {"type": "string"},
        "items": {"type": "array", "items": ITEM, "maxItems": 100},
    },
}
PARAMS = {
    "email": "buyer@example.org",
    "externalOrderId": "SO-5512",
    "externalCustomerId": "c-7f3a91",
    "totalCost": 120.0,
    "status": "INITIALIZED",
    "date": "2024-11-02T09:15:00Z",
    "currency": "USD",
    "phone": "+380501234567",
    "shipping": 5.5,
    "discount": 0,
    "taxes": 12.4,
    "deliveryMethod": "courier",
    "paymentMethod": "card",
    "deliveryAddress": "Kyiv, Main st 1",
    "items": [
        {
            "externalItemId": f"SKU-{i}",
            "name": "Kettle",
            "category": "kitchen",
            "quantity": 2,
            "cost": 60.0,
            "url": "https://shop.example/sku-1",
            "imageUrl": "https://shop.example/sku-1.png",
        }
        for i in range(3)
    ],
}
EVENT = {
    "eventTypeKey": "orderCreated",
    "keyValue": "buyer@example.org",
    "params": [{"name": k, "value": v} for k, v in PARAMS.items()],
}


def per_call(fn: object, number: int = 20_000) -> float:
    return min(timeit.repeat(fn, number=number, repeat=7)) / number * 1e6  # type: ignore[arg-type]


def main() -> None:
    check_schema(SCHEMA)
    compiled = compile_schema(SCHEMA)
    raw = msgspec.json.encode(EVENT)
    event = msgspec.json.decode(raw)
    strict = ValidationOptions(mode="strict")
    assert validate_event(event, schema=compiled, options=strict, body_size=len(raw)) == []
    bad = msgspec.json.decode(raw.replace(b"INITIALIZED", b"INITIALISED"))
    decode = per_call(lambda: msgspec.json.decode(raw))
    valid = per_call(
        lambda: validate_event(event, schema=compiled, options=strict, body_size=len(raw))
    )
    engine = per_call(lambda: compiled.is_valid(PARAMS))
    invalid = per_call(lambda: validate_event(bad, schema=compiled, options=strict), number=5_000)
    print(f"body {len(raw)} bytes, 15 params, 3 items")
    print(f"msgspec.json.decode        {decode:6.2f} us")
    print(f"validate_event (valid)     {valid:6.2f} us  ({valid / decode:.2f}x decode)")
    print(f"  of which engine is_valid {engine:6.2f} us")
    print(f"validate_event (1 error)   {invalid:6.2f} us")


if __name__ == "__main__":
    main()
