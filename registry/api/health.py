"""Liveness and readiness."""

from __future__ import annotations

from litestar import Controller, get

from registry import __version__
from registry.api.deps import Service
from registry.api.wire import READ_ERRORS, Health, problem_responses


class HealthController(Controller):
    path = "/health"
    tags = ["health"]

    @get(
        "/",
        responses=problem_responses(READ_ERRORS),
        operation_id="health",
        summary="Service and store are up",
    )
    async def health(self, service: Service) -> Health:
        """On the event loop: the change token never waits for a writer (store/connections.py),
        so /health answers at once even while writes queue for the database's lock."""
        service.change_token()
        return Health(status="ok", version=__version__)
