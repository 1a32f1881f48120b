"""Health: ``GET /health`` (as documented since the first release), liveness and readiness.

* ``/health/live``: the process answers (no store access). A failing liveness probe means
  "restart me".
* ``/health/ready``: the database is reachable and carries every migration this release needs
  (one round trip, off the event loop); otherwise 503 ``store_not_ready``. A failing readiness
  probe means "send me no traffic yet".

All three are public (no token) and answer the same body.
"""

from __future__ import annotations

from litestar import Controller, get

from registry import __version__
from registry.api.deps import AppSettings, Service
from registry.api.wire import READ_ERRORS, Health, problem_responses
from registry.core.auth import is_loopback
from registry.settings import Settings


class HealthController(Controller):
    path = "/health"
    tags = ["health"]

    @get(
        "/",
        responses=problem_responses(READ_ERRORS),
        operation_id="health",
        summary="Service and store are up",
    )
    async def health(self, service: Service, settings: AppSettings) -> Health:
        """On the event loop: the change token never waits for a writer (store/connections.py),
        so /health answers at once even while writes queue for the database's lock."""
        service.change_token()
        return _ok(settings)

    @get(
        "/live",
        responses=problem_responses(READ_ERRORS),
        operation_id="healthLive",
        summary="The process is up (liveness probe; touches no database)",
    )
    async def live(self, settings: AppSettings) -> Health:
        return _ok(settings)

    @get(
        "/ready",
        responses=problem_responses((*READ_ERRORS, 503)),
        operation_id="healthReady",
        summary="The database is reachable and migrated (readiness probe); 503 otherwise",
        sync_to_thread=True,
    )
    def ready(self, service: Service, settings: AppSettings) -> Health:
        service.check_ready()
        return _ok(settings)


def _ok(settings: Settings) -> Health:
    from registry.app import auth_on

    enabled = auth_on(settings)
    insecure = not enabled and not is_loopback(settings.host)
    return Health(
        status="ok", version=__version__, auth="on" if enabled else "off", insecure=insecure
    )
