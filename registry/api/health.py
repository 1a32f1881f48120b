"""Liveness and readiness."""

from __future__ import annotations

from litestar import Controller, get

from registry import __version__
from registry.api.deps import AppSettings, Service
from registry.api.wire import READ_ERRORS, Health, problem_responses
from registry.core.auth import is_loopback


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
        from registry.app import auth_on

        service.change_token()
        enabled = auth_on(settings)
        insecure = not enabled and not is_loopback(settings.host)
        return Health(
            status="ok", version=__version__, auth="on" if enabled else "off", insecure=insecure
        )
