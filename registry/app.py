"""The application factory: settings in, a wired Litestar app out. No module-level app."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

from litestar import Litestar
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.middleware.base import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, Reference, SecurityScheme

from registry import __version__
from registry.api.audit import AuditController, ChangesController
from registry.api.auth import Gate, auth_middleware
from registry.api.batch import BatchController
from registry.api.bundle import BundleController
from registry.api.ccompat import ccompat_router
from registry.api.config import GlobalConfigController, TypeConfigController
from registry.api.deps import actor_provider
from registry.api.docs_ui import render_plugins, swagger_assets
from registry.api.event_types import EventTypeController
from registry.api.evolution import (
    CompatibilityController,
    DiffController,
    ExamplesController,
)
from registry.api.fast_validate import fast_validate
from registry.api.head import head_as_get
from registry.api.health import HealthController
from registry.api.hooks import before_request
from registry.api.hosts import host_middleware
from registry.api.inspect import InspectionController
from registry.api.learn import LearnController, LintController
from registry.api.metrics import METRICS_STATE_KEY, MetricsController
from registry.api.observe import observe
from registry.api.problems import internal_error, problem_details_plugin, too_deep
from registry.api.run_prefix import run_prefixed
from registry.api.tokens import TokenController
from registry.api.tracker import TrackerController, TrackerHostController
from registry.api.ui import UIController
from registry.api.validation import ValidationController
from registry.api.versions import SchemaController, VersionController
from registry.api.yespo import YespoController
from registry.background import finish_in_thread
from registry.core import auth
from registry.core.audit import parse_proxies
from registry.core.dryrun import DryRunService
from registry.core.errors import InvalidSettings
from registry.core.model import utc_now
from registry.core.ports import InspectionLog, SchemaStore, TokenStore
from registry.core.service import RegistryService
from registry.core.tokens import TokenService
from registry.envvars import env_name
from registry.metrics import Metrics
from registry.settings import Settings
from registry.store.representations import MemoryRepresentations
from registry.webhooks import WebhookSender
from registry.wiring import build_dryrun, build_service, build_tokens

CONTROLLERS = [
    EventTypeController,
    VersionController,
    SchemaController,
    BundleController,
    GlobalConfigController,
    TypeConfigController,
    CompatibilityController,
    DiffController,
    ExamplesController,
    ValidationController,
    BatchController,
    HealthController,
    YespoController,
    TrackerHostController,
    InspectionController,
    LearnController,
    LintController,
    AuditController,
    ChangesController,
    TokenController,
    MetricsController,
    UIController,
]
SUNSET_CHECK_SECONDS = 60.0
"""How often the server looks for versions whose sunset date passed (feed event ``sunset``)."""
log = logging.getLogger("registry")
SECURITY_SCHEMES: dict[str, SecurityScheme | Reference] = {
    "basicAuth": SecurityScheme(
        type="http", scheme="basic", description="An API token as the password (Yespo clients)."
    ),
    "bearerAuth": SecurityScheme(type="http", scheme="bearer", description="An API token."),
}
SECURITY: list[dict[str, list[str]]] = [{"bearerAuth": []}, {"basicAuth": []}]


async def purge_forever(dryrun: DryRunService, every_seconds: float) -> None:
    """Apply the retention policy now and then every ``every_seconds``; errors are logged."""
    while True:
        try:
            removed = await finish_in_thread(dryrun.purge)
        except Exception:
            log.exception("inspection log purge failed")
        else:
            if removed:
                log.info("inspection log: purged %d recorded events", removed)
        await asyncio.sleep(every_seconds)


async def announce_forever(service: RegistryService, every_seconds: float) -> None:
    """Append passed sunsets to the audit trail (and so to the change feed) now and then."""
    while True:
        try:
            announced = await finish_in_thread(service.announce_sunsets)
        except Exception:
            log.exception("sunset announcement failed")
        else:
            if announced:
                log.info("change feed: %d version(s) reached their sunset", announced)
        await asyncio.sleep(every_seconds)


def feed_lifespan(service: RegistryService, settings: Settings) -> Any:
    """The sunset announcer, and the webhook sender when webhook URLs are configured."""

    @contextlib.asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        tasks = [asyncio.create_task(announce_forever(service, SUNSET_CHECK_SECONDS))]
        urls = [u.strip() for u in settings.webhook_urls.split(",") if u.strip()]
        if urls:
            sender = WebhookSender(
                service,
                urls,
                settings.webhook_secret,
                max_attempts=settings.webhook_max_attempts,
                backoff_seconds=settings.webhook_backoff_seconds,
                timeout_seconds=settings.webhook_timeout_seconds,
                poll_seconds=settings.changes_poll_seconds,
            )
            tasks.append(asyncio.create_task(sender.run()))
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    return lifespan


def retention_lifespan(dryrun: DryRunService, minutes: int) -> Any:
    @contextlib.asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        task = asyncio.create_task(purge_forever(dryrun, minutes * 60)) if minutes else None
        try:
            yield
        finally:
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    return lifespan


def auth_on(settings: Settings) -> bool:
    """Whether requests need a token; InvalidSettings for auth off on a non-loopback bind."""
    try:
        return auth.auth_enabled(
            host=settings.host, auth=settings.auth, insecure_no_auth=settings.insecure_no_auth
        )
    except ValueError as exc:
        raise InvalidSettings(env_name("auth"), str(exc)) from None


def cors(settings: Settings) -> CORSConfig | None:
    origins = [o.strip() for o in settings.cors_origins.split(",") if o.strip()]
    if not origins:
        return None
    return CORSConfig(
        allow_origins=origins,
        allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        allow_headers=["Authorization", "Content-Type", "If-None-Match", "X-Run-Id", "X-Record"],
        expose_headers=["ETag", "X-Event-Registry-Report", "X-Event-Registry-Request-Id"],
    )


def create_app(
    settings: Settings,
    *,
    store: SchemaStore | None = None,
    inspection: InspectionLog | None = None,
    tokens: TokenStore | None = None,
    served: bool = False,
    fast_paths: bool = True,
) -> Litestar:
    """Build the app. ``store`` overrides the SQLite store named by ``settings.db``;
    ``inspection`` the inspection log and ``tokens`` the token store (in memory when ``store``
    is given, else SQLite). ``served`` (the app ``serve`` runs) adds the Host allow-list.
    ``fast_paths=False`` routes every request through litestar (the fast path's own test)."""
    enabled = auth_on(settings)
    metrics = Metrics()
    service = build_service(settings, store, metrics=metrics)
    dryrun = build_dryrun(settings, service, inspection, in_memory=store is not None)
    token_service = build_tokens(
        settings, tokens, in_memory=store is not None, audit_sink=service.append_audit
    )
    gate = Gate(token_service if enabled else None, service)
    middleware = [DefineMiddleware(auth_middleware, gate=gate)]
    allowed = auth.parse_hosts(settings.allowed_hosts, settings.host) if served else None
    if served:
        middleware.insert(0, DefineMiddleware(host_middleware, allowed=allowed))

    def provide_service() -> RegistryService:
        return service

    def provide_settings() -> Settings:
        return settings

    def provide_dryrun() -> DryRunService:
        return dryrun

    representations = service.representation_clock() or MemoryRepresentations()

    def provide_tokens() -> TokenService:
        return token_service

    @contextlib.asynccontextmanager
    async def store_lifespan(_: Litestar) -> AsyncIterator[None]:
        """Entered first, so left last: the stores close only after every background task
        (purge, sunset announcer, webhooks) has stopped; closing a connection another thread
        still reads from crashes the process (seen as a segfault in CI)."""
        try:
            yield
        finally:
            gate.close()
            service.close()
            dryrun.close()
            token_service.close()
            metrics.close()

    app = Litestar(
        route_handlers=[
            *CONTROLLERS,
            TrackerController,
            run_prefixed,
            swagger_assets(),
            ccompat_router(),
        ],
        dependencies={
            "service": Provide(provide_service, sync_to_thread=False),
            "settings": Provide(provide_settings, sync_to_thread=False),
            "dryrun": Provide(provide_dryrun, sync_to_thread=False),
            "who": Provide(
                actor_provider(parse_proxies(settings.trusted_proxies)), sync_to_thread=False
            ),
            "tokens": Provide(provide_tokens, sync_to_thread=False),
        },
        middleware=middleware,
        cors_config=cors(settings),
        security=SECURITY,
        lifespan=[
            store_lifespan,
            retention_lifespan(dryrun, settings.purge_interval_minutes),
            feed_lifespan(service, settings),
        ],
        state=State(
            {"representations": representations, "now": utc_now, METRICS_STATE_KEY: metrics}
        ),
        plugins=[problem_details_plugin()],
        exception_handlers={Exception: internal_error, RecursionError: too_deep},
        before_request=before_request,
        request_max_body_size=settings.max_body_bytes,
        openapi_config=OpenAPIConfig(
            title="event-registry",
            version=__version__,
            description=(
                "Registry of event types and versioned schemas for their params; validates "
                "sample events and reports every parameter error."
            ),
            components=Components(security_schemes=SECURITY_SCHEMES),
            render_plugins=render_plugins(),
        ),
        debug=False,
    )
    routed = app.asgi_handler
    if fast_paths:
        routed = fast_validate(
            routed,
            dryrun=dryrun,
            gate=gate,
            allowed_hosts=allowed,
            max_body=settings.max_body_bytes,
        )
    app.asgi_handler = head_as_get(observe(routed, metrics))
    return app
