"""Every built-in catalog example, sent through the drop-in endpoint its client uses.

* ``client: reteno-android`` / ``reteno-ios`` and every example of a ``mobile`` type: the SDK
  batch ``POST /api/v1/events``. The example's ``keyValue`` stands in for the batch's
  ``externalUserId`` (the event itself carries no identifier in the SDK wire format), so the test
  moves it there, as the SDKs send it (``EventsRemote{deviceId, externalUserId?, events}``,
  reteno-com/reteno-mobile-android-sdk@5c60e4295502:RetenoSdkCore/src/main/java/com/reteno/core/
  data/remote/model/event/EventsRemote.kt).
* other ``ecommerce`` examples: ``POST /api/v2/event`` (server clients: Pipedream, the PHP
  clients), and ``POST /api/v1/event`` as well when every value is a string, as v1 clients send.
* ``system`` examples are what Yespo itself posts (webhooks): ``POST /validate``.
* ``tracker`` examples (the web-tracking plugins): their params object is the body of the
  tracker REST ``POST /api/v2``; ``orders`` examples: one order of ``POST /api/v1/orders``.

The verdict must be the example's ``expectValid`` on every endpoint it goes through.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from registry.app import create_app
from registry.catalog_files import load_catalog
from registry.core.catalog import CatalogSeeder
from registry.settings import Settings
from registry.store.memory import InMemoryStore

ROOT = Path(__file__).resolve().parents[2] / "schemas"
SDK_CLIENTS = {"reteno-android", "reteno-ios"}


def _cases() -> Iterator[Any]:
    for path in sorted(ROOT.glob("*/*.json")):
        document = msgspec.json.decode(path.read_bytes())
        group = path.parent.name
        for example in document["examples"]:
            for endpoint in _endpoints(group, example):
                yield pytest.param(
                    endpoint, example, id=f"{document['key']}:{example['name']}:{endpoint}"
                )


def _endpoints(group: str, example: dict[str, Any]) -> list[str]:
    if example.get("client") in SDK_CLIENTS or group == "mobile":
        return ["/api/v1/events"]
    if group == "system":
        return ["/validate"]
    if group == "tracker":
        return ["/api/v2"]
    if group == "orders":
        return ["/api/v1/orders"]
    params = example["payload"].get("params")
    strings = isinstance(params, list) and all(
        isinstance(i, dict) and isinstance(i.get("value"), str) for i in params
    )
    return ["/api/v2/event", "/api/v1/event"] if strings else ["/api/v2/event"]


CASES = list(_cases())


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient[Litestar]]:
    app = create_app(Settings(), store=InMemoryStore())
    CatalogSeeder(app.dependencies["service"].dependency()).seed(load_catalog(ROOT))
    with TestClient(app=app, raise_server_exceptions=False) as c:
        yield c


def _batch(payload: dict[str, Any]) -> dict[str, Any]:
    event = {k: v for k, v in payload.items() if k != "keyValue"}
    batch: dict[str, Any] = {"deviceId": "a1b2c3d4-0000-4e5f-8a9b-0c1d2e3f4a5b", "events": [event]}
    if "keyValue" in payload:
        batch["externalUserId"] = payload["keyValue"]
    return batch


def _verdict(response: Any) -> dict[str, Any]:
    text = response.headers["x-event-registry-report"]
    report = msgspec.json.decode(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    return report["events"][0]["report"]


@pytest.mark.parametrize(("endpoint", "example"), CASES)
def test_example_gets_its_verdict_through_its_clients_endpoint(
    client: TestClient, endpoint: str, example: dict[str, Any]
) -> None:
    payload = example["payload"]
    if endpoint == "/validate":
        report = client.post(endpoint, json=payload).json()
    elif endpoint in ("/api/v2", "/api/v1/orders"):
        body = payload["params"] if endpoint == "/api/v2" else {"orders": [payload["params"]]}
        report = _verdict(client.post(endpoint, json=body))
    elif endpoint == "/api/v1/events":
        r = client.post(endpoint, json=_batch(payload))
        assert r.status_code == 200, r.text  # the SDK batch is refused only for its shape
        report = _verdict(r)
    else:
        report = _verdict(client.post(endpoint, json=payload))
    assert report["valid"] is example["expectValid"], report["errors"]


def test_every_sdk_built_type_has_both_sdk_examples() -> None:
    sdk_types = {"productViewed", "productCategoryViewed", "productAddedToWishlist",
                 "cartUpdated", "orderCreated", "orderUpdated", "orderDelivered",
                 "orderCancelled", "searchRequest"}  # fmt: skip
    for path in sorted(ROOT.glob("*/*.json")):
        document = msgspec.json.decode(path.read_bytes())
        if path.parent.name == "mobile" or document["key"] in sdk_types:
            clients = {e.get("client") for e in document["examples"] if e["expectValid"]}
            assert clients >= SDK_CLIENTS, document["key"]
            cited = [e["description"] for e in document["examples"] if e.get("client")]
            assert all("@" in d and ":" in d for d in cited), document["key"]
