"""The application factory: settings in, a wired Litestar app out. No module-level app."""

from __future__ import annotations

from typing import Any

from litestar import Litestar, Request
from litestar.di import Provide
from litestar.exceptions import HTTPException
from litestar.openapi import OpenAPIConfig

from registry import __version__
from registry.api.batch import BatchController
from registry.api.config import GlobalConfigController, TypeConfigController
from registry.api.event_types import EventTypeController
from registry.api.evolution import (
    CompatibilityController,
    DiffController,
    ExamplesController,
)
from registry.api.health import HealthController
from registry.api.problems import internal_error, problem_details_plugin, too_deep
from registry.api.validation import ValidationController
from registry.api.versions import SchemaController, VersionController
from registry.core.ports import SchemaStore
from registry.core.schema_check import SchemaLimits
from registry.core.service import RegistryService
from registry.settings import Settings
from registry.store.sqlite import SqliteStore

CONTROLLERS = [
    EventTypeController,
    VersionController,
    SchemaController,
    GlobalConfigController,
    TypeConfigController,
    CompatibilityController,
    DiffController,
    ExamplesController,
    ValidationController,
    BatchController,
    HealthController,
]
JSON_TYPES = ("application/json", "application/x-ndjson")


def build_service(settings: Settings, store: SchemaStore | None = None) -> RegistryService:
    return RegistryService(
        store if store is not None else SqliteStore(settings.db),
        limits=SchemaLimits(
            max_depth=settings.max_schema_depth, max_bytes=settings.max_schema_bytes
        ),
    )


async def require_json(request: Request[Any, Any, Any]) -> None:
    """415 for a body that is not declared as JSON (curl -d sends form encoding by default)."""
    if request.method not in ("POST", "PUT", "PATCH"):
        return
    media_type = request.content_type[0]
    if media_type in JSON_TYPES or media_type.endswith("+json"):
        return
    if not media_type and not await request.body():
        return
    raise HTTPException(
        status_code=415,
        detail=f"send JSON with 'Content-Type: application/json' (got {media_type or 'none'!r})",
    )


def create_app(settings: Settings, *, store: SchemaStore | None = None) -> Litestar:
    """Build the app. ``store`` overrides the SQLite store named by ``settings.db``."""
    service = build_service(settings, store)

    def provide_service() -> RegistryService:
        return service

    def provide_settings() -> Settings:
        return settings

    def close_store(_: Litestar) -> None:
        service.store.close()

    return Litestar(
        route_handlers=CONTROLLERS,
        dependencies={
            "service": Provide(provide_service, sync_to_thread=False),
            "settings": Provide(provide_settings, sync_to_thread=False),
        },
        plugins=[problem_details_plugin()],
        exception_handlers={Exception: internal_error, RecursionError: too_deep},
        before_request=require_json,
        request_max_body_size=settings.max_body_bytes,
        on_shutdown=[close_store],
        openapi_config=OpenAPIConfig(
            title="event-registry",
            version=__version__,
            description=(
                "Registry of event types and versioned schemas for their params; validates "
                "sample events and reports every parameter error."
            ),
        ),
        debug=False,
    )
