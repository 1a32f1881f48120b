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
        sync_to_thread=True,
        summary="Service and store are up",
    )
    def health(self, service: Service) -> Health:
        service.change_token()
        return Health(status="ok", version=__version__)
