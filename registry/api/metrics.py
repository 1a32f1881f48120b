"""GET /metrics: the Prometheus text exposition (registry/metrics.py lists the series)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get

from registry.api.deps import DryRunDep
from registry.api.wire import READ_ERRORS, problem_responses
from registry.metrics import CONTENT_TYPE, Metrics

METRICS_STATE_KEY = "metrics"


class MetricsController(Controller):
    path = "/metrics"
    tags = ["health"]

    @get(
        "/",
        responses=problem_responses(READ_ERRORS),
        operation_id="metrics",
        summary="Prometheus metrics (text exposition format 0.0.4)",
        media_type=CONTENT_TYPE,
        sync_to_thread=True,
    )
    def metrics(self, request: Request[Any, Any, Any], dryrun: DryRunDep) -> Response[bytes]:
        """Requests, validations, violations, cache look-ups, store latency and the inspection
        log's size; under ``--workers`` the sum over every worker process."""
        metrics: Metrics = request.app.state[METRICS_STATE_KEY]
        body = metrics.render(inspection_size=dryrun.inspection_size())
        return Response(body, media_type=CONTENT_TYPE)
