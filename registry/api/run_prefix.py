"""Every drop-in path again under ``/run/<id>/`` -- for clients that can change nothing but a URL.

``/run/ci-42/api/v2/event`` is ``/api/v2/event`` with run id ``ci-42`` (an explicit ``X-Run-Id``
or ``runId`` still wins). One catch-all route dispatches through :data:`ROUTES` (the router does
not fall back from ``/run/{id}/api/v1/...`` statics to a path catch-all, so the table is the
simple way); an unknown path under ``/run/<id>/api/`` is ``not_emulated`` and recorded. The
prefixed routes are the documented operations again, so they stay out of the OpenAPI document.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from litestar import Request, Response, route
from litestar.enums import HttpMethod
from litestar.exceptions import NotFoundException

from registry.api.deps import DryRun
from registry.api.runs import split_run_path
from registry.api.tracker import STAND_IN_ACCOUNT, add_orders, not_emulated, track
from registry.api.yespo import batch, single

Handler = Callable[[Request[Any, Any, Any], Any, str, bool], Awaitable[Response[bytes]]]


def _fmt(call: Callable[..., Awaitable[Response[bytes]]], fmt: str) -> Handler:
    return lambda request, dryrun, run, report: call(request, dryrun, fmt, run, report)


ROUTES: dict[tuple[str, str], Handler] = {
    ("POST", "/api/v1/event"): _fmt(single, "v1"),
    ("POST", "/api/v2/event"): _fmt(single, "v2"),
    ("POST", "/api/v1/past_events"): _fmt(batch, "past_events_v1"),
    ("POST", "/api/v2/past_events"): _fmt(batch, "past_events_v2"),
    ("POST", "/api/v1/events"): _fmt(batch, "mobile"),
    ("POST", "/api/v2"): track,
    ("POST", "/tracker/api/v2"): track,
    ("POST", "/api/v1/orders"): add_orders,
}
METHODS = [HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE]


@route("/run/{rest:path}", http_method=METHODS, include_in_schema=False)
async def run_prefixed(request: Request[Any, Any, Any], dryrun: DryRun) -> Any:
    run, path = split_run_path(request.path_params["rest"])
    path = path.rstrip("/") or "/"
    explicit = request.headers.get("x-run-id") or request.query_params.get("runId") or run
    report = request.query_params.get("report", "").lower() in ("true", "1")
    handler = ROUTES.get((request.method, path))
    if handler is not None:
        return await handler(request, dryrun, explicit, report)
    if (request.method, path) == ("GET", "/api/v1/account/info"):
        return STAND_IN_ACCOUNT
    if path.startswith("/api/"):
        await not_emulated(request, dryrun, explicit)
    raise NotFoundException()
