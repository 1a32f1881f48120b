"""The workload of scripts/benchmark.py: a realistic orderCreated schema and event (15 params,
line items), and the tracking-plan entry the offline CLI validates against."""

from __future__ import annotations

from typing import Any

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


def order_event(items: int) -> dict[str, Any]:
    params = {
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
                "url": f"https://shop.example/sku-{i}",
                "imageUrl": f"https://shop.example/sku-{i}.png",
            }
            for i in range(items)
        ],
    }
    return {
        "eventTypeKey": "orderCreated",
        "keyValue": "buyer@example.org",
        "params": [{"name": k, "value": v} for k, v in params.items()],
    }


PLAN_ENTRY = {
    "config": {},
    "description": "",
    "examples": [],
    "key": "orderCreated",
    "owner": "",
    "schema": SCHEMA,
    "tags": [],
}
