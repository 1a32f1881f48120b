"""Swagger UI works offline: every asset its page loads is served by the app, none by a CDN."""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterator

import pytest
import yaml
from litestar import Litestar
from litestar.testing import TestClient

from registry.app import create_app
from registry.settings import Settings
from registry.store.memory import InMemoryStore

ASSET = re.compile(r"""<(?:script|link|img)\b[^>]*?\b(?:src|href)\s*=\s*["']([^"']+)["']""")


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient[Litestar]]:
    with TestClient(create_app(Settings(), store=InMemoryStore())) as c:
        yield c


@pytest.mark.parametrize("page", ["/schema/swagger", "/schema"])
def test_every_asset_of_the_swagger_page_is_served_by_the_app(
    client: TestClient[Litestar], page: str
) -> None:
    response = client.get(page)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assets = ASSET.findall(response.text)
    assert len(assets) == 4  # favicon, stylesheet, the bundle and the standalone preset
    for url in assets:
        parts = urllib.parse.urlsplit(url)
        assert (parts.scheme, parts.netloc) == ("", ""), f"{url} is loaded from another host"
        assert url.startswith("/"), url
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert len(asset.content) > 1000, url
    assert "SwaggerUIBundle(" in response.text


def test_the_bundle_is_javascript_and_the_stylesheet_css(client: TestClient[Litestar]) -> None:
    page = client.get("/schema/swagger").text
    [js] = [u for u in ASSET.findall(page) if u.endswith("swagger-ui-bundle.js")]
    [css] = [u for u in ASSET.findall(page) if u.endswith(".css")]
    assert client.get(js).headers["content-type"].startswith("text/javascript")
    assert client.get(css).headers["content-type"].startswith("text/css")


def test_pages_that_would_need_a_cdn_are_not_offered(client: TestClient[Litestar]) -> None:
    for page in ("/schema/redoc", "/schema/rapidoc", "/schema/elements"):
        assert client.get(page).status_code == 404, page


def test_the_document_is_still_served_as_json_and_yaml(client: TestClient[Litestar]) -> None:
    assert client.get("/schema/openapi.json").json()["info"]["title"] == "event-registry"
    document = yaml.safe_load(client.get("/schema/openapi.yaml").text)
    assert document["info"]["title"] == "event-registry"
