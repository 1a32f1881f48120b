"""The web-tracking REST API, the Orders API, the plugins' setup call, and every other Yespo path.

* ``POST /api/v2`` and ``POST /tracker/api/v2``: Yespo's tracker (``tracker.yespo.io/api/v2``);
  200 with an empty body, as the tracker is observed to answer (its answer is undocumented).
* ``POST /api/v1/orders``: the Orders API; 200 ``{failedOrders}`` or 400 text.
* ``GET /api/v1/account/info``: the call the Shopify app checks its key with before sending
  anything (Yespo-CDP/yespo-shopify ``app/api/get-account-info.server.ts``); a stand-in account.
* Any other path under ``/api/``: 404 problem+json ``not_emulated`` naming the Yespo API, and
  the request is recorded in ``/inspect`` as ``unsupported``.

The registry's report travels as on the other drop-in endpoints (``X-Event-Registry-Report``,
or the body with ``?report=true``). Run ids: see :mod:`registry.api.runs`.
"""

from __future__ import annotations

from typing import Any, NoReturn

import anyio.to_thread
from litestar import Controller, Request, Response, get, post, route
from litestar.enums import HttpMethod
from litestar.openapi.spec import OpenAPIType
from litestar.openapi.spec import Schema as Sch

from registry.api.deps import DryRunDep, recording
from registry.api.runs import run_id_of
from registry.api.wire import READ_ERRORS, problem_responses
from registry.api.yespo import (
    _COMMON,
    ReportQuery,
    RunIdHeader,
    RunIdQuery,
    _operation,
    render,
    wants_report,
)
from registry.core.errors import MalformedJson, NotEmulated
from registry.core.jsonio import decode_json

_STR, _OBJ, _ARR = OpenAPIType.STRING, OpenAPIType.OBJECT, OpenAPIType.ARRAY
_TRACKER = Sch(
    type=_OBJ,
    description="GeneralInfo + one event object named after GeneralInfo.eventName; or a "
    "webcontact body {externalCustomerId, webId, orgId}; or a plugin's log record.",
    properties={
        "GeneralInfo": Sch(
            type=_OBJ,
            properties={
                "eventName": Sch(type=_STR),
                "siteId": Sch(type=_STR),
                "datetime": Sch(type=OpenAPIType.INTEGER, description="epoch milliseconds"),
                "cookies": Sch(type=_OBJ, properties={"sc": Sch(type=_STR)}),
            },
        ),
    },
)
_ORDERS = Sch(
    type=_OBJ,
    properties={"orders": Sch(type=_ARR, max_items=1000, items=Sch(type=_OBJ))},
    required=["orders"],
)
_FAILED = Sch(
    type=_OBJ,
    properties={
        "failedOrders": Sch(
            type=_ARR,
            items=Sch(type=_OBJ, properties={"order": Sch(type=_OBJ), "error": Sch(type=_STR)}),
        )
    },
    required=["failedOrders"],
)
STAND_IN_ACCOUNT = {
    "orgId": 1,
    "userEmail": "dry-run@event-registry.invalid",
    "organisationName": "event-registry dry run",
}
"""What ``GET /api/v1/account/info`` answers: enough for the Shopify app to go on."""

YESPO_APIS = {
    "contact": "the Contacts API",
    "contacts": "the Contacts API",
    "addressbooks": "the Address books API",
    "groups": "the Groups API",
    "message": "the Messages API",
    "messages": "the Messages API",
    "emails": "the Messages API",
    "segments": "the Segments API",
    "workflow": "the Workflows API",
    "auth": "the Auth API",
    "token": "the Auth API",
    "interactions": "the Interactions API",
    "products": "the Product feeds API",
    "account": "the Account API",
    "event": "the Generate event API",
    "past_events": "the Generate past events API",
}


def yespo_api(path: str) -> str:
    """The Yespo API a path under ``/api/`` belongs to (by its first segment after the version)."""
    parts = [p for p in path.split("/") if p]
    if parts and parts[0] == "run":
        parts = parts[2:]
    rest = parts[2:] if len(parts) > 2 and parts[1].startswith("v") else parts[1:]
    name = YESPO_APIS.get(rest[0].lower()) if rest else None
    return name or "this Yespo API"


def _lenient_body(raw: bytes) -> Any:
    """The request body for the record: JSON when it is JSON, else (a bounded excerpt of) text."""
    if not raw.strip():
        return None
    try:
        return decode_json(raw)
    except MalformedJson:
        return raw[:2000].decode("utf-8", "replace")


_TRACKER_OP = _operation(_TRACKER, None, "Accepted (empty body), whatever was sent")
_ORDERS_OP = _operation(_ORDERS, _FAILED, "Yespo's failedOrders answer")


class TrackerController(Controller):
    """Yespo paths under ``/api`` beyond the event endpoints of :class:`YespoController`."""

    path = "/api"
    tags = ["yespo dry-run"]

    @post(
        "/v2",
        operation_id="trackerEvent",
        summary="Yespo web-tracking REST event (dry run)",
        operation_class=_TRACKER_OP,
        **_COMMON,
    )
    async def tracker(
        self,
        request: Request[Any, Any, Any],
        dryrun: DryRunDep,
        x_run_id: RunIdHeader = None,
        run_id: RunIdQuery = None,
        report: ReportQuery = False,
    ) -> Response[bytes]:
        return await track(request, dryrun, run_id or x_run_id, report)

    @post(
        "/v1/orders",
        operation_id="yespoOrders",
        summary="Yespo Add orders (dry run)",
        operation_class=_ORDERS_OP,
        **_COMMON,
    )
    async def orders(
        self,
        request: Request[Any, Any, Any],
        dryrun: DryRunDep,
        x_run_id: RunIdHeader = None,
        run_id: RunIdQuery = None,
        report: ReportQuery = False,
    ) -> Response[bytes]:
        return await add_orders(request, dryrun, run_id or x_run_id, report)

    @get(
        "/v1/account/info",
        operation_id="yespoAccountInfo",
        sync_to_thread=False,
        responses=problem_responses(READ_ERRORS),
        summary="Stand-in for Yespo's account info (the Shopify app's setup call)",
    )
    def account_info(self) -> dict[str, Any]:
        return STAND_IN_ACCOUNT

    @route(
        "/{rest:path}",
        http_method=[
            HttpMethod.GET,
            HttpMethod.POST,
            HttpMethod.PUT,
            HttpMethod.PATCH,
            HttpMethod.DELETE,
        ],
        include_in_schema=False,
    )
    async def unsupported(
        self, request: Request[Any, Any, Any], dryrun: DryRunDep
    ) -> Response[bytes]:
        explicit = request.headers.get("x-run-id") or request.query_params.get("runId")
        await not_emulated(request, dryrun, explicit)


class TrackerHostController(Controller):
    """The tracker under a prefix of its own: ``/tracker/api/v2`` (README: reverse proxies)."""

    path = "/tracker/api"
    tags = ["yespo dry-run"]

    @post(
        "/v2",
        operation_id="trackerEventPrefixed",
        summary="Yespo web-tracking REST event under the tracker prefix (dry run)",
        operation_class=_TRACKER_OP,
        **_COMMON,
    )
    async def tracker(
        self,
        request: Request[Any, Any, Any],
        dryrun: DryRunDep,
        x_run_id: RunIdHeader = None,
        run_id: RunIdQuery = None,
        report: ReportQuery = False,
    ) -> Response[bytes]:
        return await track(request, dryrun, run_id or x_run_id, report)


async def add_orders(
    request: Request[Any, Any, Any], dryrun: Any, explicit: str | None, report: bool
) -> Response[bytes]:
    body = decode_json(await request.body())
    tag = run_id_of(request, explicit)
    result = await anyio.to_thread.run_sync(
        lambda: recording(request, dryrun).orders(body, run_id=tag)
    )
    return render(result, as_report=wants_report(request, report))


async def not_emulated(
    request: Request[Any, Any, Any], dryrun: Any, explicit: str | None
) -> NoReturn:
    """Record the request (its path as sent) as ``unsupported``, then raise NotEmulated (404)."""
    path, method = request.url.path, request.method
    api = yespo_api(path)
    body = _lenient_body(await request.body())
    tag = run_id_of(request, explicit)
    await anyio.to_thread.run_sync(
        lambda: recording(request, dryrun).unsupported(
            method=method, path=path, api=api, body=body, run_id=tag
        )
    )
    raise NotEmulated(method, path, api)


async def track(
    request: Request[Any, Any, Any], dryrun: Any, explicit: str | None, report: bool
) -> Response[bytes]:
    body = decode_json(await request.body())
    tag = run_id_of(request, explicit)
    result = await anyio.to_thread.run_sync(
        lambda: recording(request, dryrun).tracker(body, run_id=tag)
    )
    return render(result, as_report=wants_report(request, report))
