"""Swagger UI served by the app itself, so ``/schema/swagger`` works on an offline machine.

litestar's render plugins load their JavaScript and CSS from public CDNs. The Swagger UI
distribution files come from the ``swagger-ui-py`` package instead (a dependency: it ships the
``swagger-ui-dist`` build, 5.x, which renders OpenAPI 3.1) and are served from
:data:`ASSETS`. ReDoc, RapiDoc and Stoplight Elements are not offered: no light PyPI package
ships their bundles (the ones that do pull in Django or FastAPI), and a page that stays blank
without internet is worse than none.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from litestar.openapi.plugins import OpenAPIRenderPlugin, SwaggerRenderPlugin, YamlRenderPlugin
from litestar.router import Router
from litestar.static_files import create_static_files_router

ASSETS = "/schema-assets/swagger-ui"
"""Where the Swagger UI files are served (outside /schema, whose ``{path}`` route is litestar's)."""


def swagger_ui_dir() -> Path:
    """The ``static`` folder of the installed ``swagger-ui-py`` package (not imported)."""
    spec = importlib.util.find_spec("swagger_ui")
    if spec is None or not spec.submodule_search_locations:
        msg = "the swagger-ui-py package is not installed (a dependency of event-registry)"
        raise RuntimeError(msg)
    return Path(next(iter(spec.submodule_search_locations))) / "static"


def swagger_assets() -> Router:
    """A router serving the Swagger UI files, left out of the OpenAPI document."""
    return create_static_files_router(
        path=ASSETS, directories=[swagger_ui_dir()], include_in_schema=False, name="swagger-ui"
    )


def render_plugins() -> list[OpenAPIRenderPlugin]:
    """Swagger UI at ``/schema`` and ``/schema/swagger`` (every asset from :data:`ASSETS`), and
    the document as YAML at ``/schema/openapi.yaml`` (``openapi.json`` is always served)."""
    return [
        SwaggerRenderPlugin(
            js_url=f"{ASSETS}/swagger-ui-bundle.js",
            css_url=f"{ASSETS}/swagger-ui.css",
            standalone_preset_js_url=f"{ASSETS}/swagger-ui-standalone-preset.js",
            favicon=f"<link rel='icon' type='image/png' href='{ASSETS}/favicon-32x32.png'>",
            path=["/swagger", "/"],
        ),
        YamlRenderPlugin(path=["/openapi.yaml", "/openapi.yml"]),
    ]
