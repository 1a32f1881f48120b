"""Drop-in dry-run endpoints on Yespo's paths: validate and record, never forward.

Point a backend's Yespo base URL at the registry: ``POST /api/v1/event``, ``/api/v2/event``
(and the unversioned ``/api/event`` Pipedream's Yespo app posts to, judged as v2),
``/api/v1/past_events``, ``/api/v2/past_events`` and the mobile SDK's ``/api/v1/events`` answer
as Yespo would (200; 400 with Yespo's text; the past-events results object). The registry's own
report travels in the ``X-Event-Registry-Report`` header (base64url of compact JSON) and, when
asked for (``Accept: application/vnd.event-registry.report+json`` or ``?report=true``), as the
body. ``Authorization`` (Basic or Bearer) may carry a run id (:mod:`registry.api.runs`); with
auth on its secret must be an API token (:mod:`registry.api.auth`).
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Annotated, Any

import anyio.to_thread
import msgspec
from litestar import Controller, Request, Response, post
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import (
    OpenAPIHeader,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    RequestBody,
)
from litestar.openapi.spec import Schema as OpenAPISchema
from litestar.params import HeaderParameter, QueryParameter

from registry.api.deps import DryRunDep, recording
from registry.api.runs import run_id_of
from registry.api.wire import WRITE_ERRORS, problem_responses
from registry.core.dryrun_results import DryRunReport, DryRunResult, compact_summary
from registry.core.jsonio import decode_json
from registry.core.yespo import Format

REPORT_MEDIA = "application/vnd.event-registry.report+json"
REPORT_HEADER = "X-Event-Registry-Report"
MAX_HEADER = 8192
SECURITY: list[dict[str, list[str]]] = [{}, {"basicAuth": []}, {"bearerAuth": []}]

RunIdHeader = Annotated[
    str | None,
    HeaderParameter(
        name="X-Run-Id",
        required=False,
        max_length=200,
        description="Tag the recorded events with a run id (query `runId` works too).",
    ),
]
RunIdQuery = Annotated[
    str | None,
    QueryParameter(name="runId", required=False, max_length=200, description="Run id to record."),
]
ReportQuery = Annotated[
    bool,
    QueryParameter(name="report", description="Answer with the registry's report as the body."),
]


def encode_header(report: DryRunReport) -> str:
    """base64url (no padding) of the compact JSON report; a digest when that exceeds 8 KB."""
    text = _b64(msgspec.json.encode(report))
    return text if len(text) <= MAX_HEADER else _b64(msgspec.json.encode(compact_summary(report)))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def wants_report(request: Request[Any, Any, Any], report: bool) -> bool:
    return report or REPORT_MEDIA in request.headers.get("accept", "")


def render(result: DryRunResult, *, as_report: bool) -> Response[bytes]:
    headers = {
        REPORT_HEADER: encode_header(result.report),
        "X-Event-Registry-Request-Id": result.report.request_id,
    }
    status = result.report.http_status
    if as_report:
        content, media = msgspec.json.encode(result.report), REPORT_MEDIA
    elif isinstance(result.body, str):
        content, media = result.body.encode(), "text/plain"
    elif isinstance(result.body, dict):
        content, media = msgspec.json.encode(result.body), "application/json"
    else:
        content, media = b"", "text/plain"
    return Response(content, status_code=status, media_type=media, headers=headers)


# -- OpenAPI --------------------------------------------------------------------------------

_STR, _OBJ, _ARR = OpenAPIType.STRING, OpenAPIType.OBJECT, OpenAPIType.ARRAY
_PARAM = OpenAPISchema(
    type=_OBJ,
    properties={"name": OpenAPISchema(type=_STR), "value": OpenAPISchema()},
    required=["name"],
)
_EVENT = OpenAPISchema(
    type=_OBJ,
    properties={
        "eventTypeKey": OpenAPISchema(type=_STR),
        "keyValue": OpenAPISchema(
            one_of=[OpenAPISchema(type=_STR), OpenAPISchema(type=OpenAPIType.NUMBER)]
        ),
        "params": OpenAPISchema(type=_ARR, items=_PARAM),
        "parameters": OpenAPISchema(
            type=_ARR, items=_PARAM, description="Alias of params (dkulyk/esputnik)."
        ),
    },
    required=["eventTypeKey"],
)
_PAST = OpenAPISchema(
    type=_OBJ,
    properties={
        "events": OpenAPISchema(
            type=_ARR,
            max_items=500,
            items=OpenAPISchema(
                type=_OBJ,
                properties={**(_EVENT.properties or {}), "occurred": OpenAPISchema(type=_STR)},
                required=["eventTypeKey"],
            ),
        )
    },
    required=["events"],
)
_MOBILE = OpenAPISchema(
    type=_OBJ,
    properties={
        "deviceId": OpenAPISchema(type=_STR),
        "externalUserId": OpenAPISchema(type=_STR),
        "events": OpenAPISchema(
            type=_ARR,
            items=OpenAPISchema(
                type=_OBJ,
                properties={
                    "eventTypeKey": OpenAPISchema(type=_STR),
                    "occurred": OpenAPISchema(type=_STR),
                    "params": OpenAPISchema(type=_ARR, items=_PARAM),
                },
                required=["eventTypeKey"],
            ),
        ),
    },
    required=["deviceId", "events"],
)
_RESULTS = OpenAPISchema(
    type=_OBJ,
    properties={
        "results": OpenAPISchema(
            type=_ARR,
            items=OpenAPISchema(type=_OBJ, properties={"status": OpenAPISchema(type=_STR)}),
        ),
        "successCount": OpenAPISchema(type=OpenAPIType.INTEGER),
        "errorCount": OpenAPISchema(type=OpenAPIType.INTEGER),
    },
    required=["results", "successCount", "errorCount"],
)
_TEXT = OpenAPIMediaType(schema=OpenAPISchema(type=_STR))
_HEADERS = {
    REPORT_HEADER: OpenAPIHeader(
        schema=OpenAPISchema(type=_STR),
        description="base64url (no padding) of the compact JSON report; when that would exceed "
        "8 KB, of a digest with `truncated: true` (ask for the body or read /inspect).",
    ),
    "X-Event-Registry-Request-Id": OpenAPIHeader(
        schema=OpenAPISchema(type=_STR),
        description="Shared by the recorded entries of this request.",
    ),
}


def _response(operation: Operation, status: str) -> OpenAPIResponse:
    """The response litestar generated for ``status`` (never a $ref for these handlers)."""
    response = (operation.responses or {})[status]
    if not isinstance(response, OpenAPIResponse):
        raise TypeError(f"response {status} of {operation.operation_id} is a reference")
    return response


def _operation(body: OpenAPISchema, ok_json: OpenAPISchema | None, ok: str) -> type[Operation]:
    @dataclass
    class DryRunOperation(Operation):
        def __post_init__(self) -> None:
            self.request_body = RequestBody(
                content={"application/json": OpenAPIMediaType(schema=body)}, required=True
            )
            success, refused = _response(self, "200"), _response(self, "400")
            success.description, success.headers = ok, dict(_HEADERS)
            success.content = {**(success.content or {}), "text/plain": _TEXT}
            if ok_json is not None:
                success.content["application/json"] = OpenAPIMediaType(schema=ok_json)
            refused.description = (
                "Yespo's refusal as text/plain (or the report when asked for it); "
                "malformed JSON as problem+json"
            )
            refused.content = {
                **(refused.content or {}),
                "text/plain": _TEXT,
                REPORT_MEDIA: success.content[REPORT_MEDIA],
            }
            refused.headers = dict(_HEADERS)

    return DryRunOperation


def _responses() -> dict[int, Any]:
    return {
        **problem_responses(WRITE_ERRORS),
        200: ResponseSpec(
            DryRunReport, media_type=REPORT_MEDIA, generate_examples=False, description="Accepted"
        ),
    }


_COMMON: dict[str, Any] = {"status_code": 200, "security": SECURITY, "responses": _responses()}


Handle = Callable[
    [Request[Any, Any, Any], Any, Format, str | None, bool], Coroutine[Any, Any, Response[bytes]]
]
"""``single`` or ``batch``: how a route's body is judged."""


async def single(
    request: Request[Any, Any, Any], dryrun: Any, fmt: Format, run_id: str | None, report: bool
) -> Response[bytes]:
    """``/api/v1/event`` and ``/api/v2/event`` (also under ``/run/<id>``)."""
    raw = await request.body()
    body = decode_json(raw)
    run_id = run_id_of(request, run_id)
    result = await anyio.to_thread.run_sync(
        lambda: recording(request, dryrun).single(body, fmt=fmt, body_size=len(raw), run_id=run_id)
    )
    return render(result, as_report=wants_report(request, report))


async def batch(
    request: Request[Any, Any, Any], dryrun: Any, fmt: Format, run_id: str | None, report: bool
) -> Response[bytes]:
    """Past events and the mobile batch (also under ``/run/<id>``)."""
    body = decode_json(await request.body())
    run_id = run_id_of(request, run_id)
    if fmt == "mobile":
        result = await anyio.to_thread.run_sync(
            lambda: recording(request, dryrun).mobile(body, run_id=run_id)
        )
    else:
        result = await anyio.to_thread.run_sync(
            lambda: recording(request, dryrun).past_events(body, fmt=fmt, run_id=run_id)
        )
    return render(result, as_report=wants_report(request, report))


def _endpoint(
    path: str, operation_id: str, summary: str, shape: type[Operation], fmt: Format, handle: Handle
) -> HTTPRouteHandler:
    """One drop-in POST route: decode, run the dry run for ``fmt``, answer as Yespo would."""

    async def endpoint(
        self: Controller,
        request: Request[Any, Any, Any],
        dryrun: DryRunDep,
        x_run_id: RunIdHeader = None,
        run_id: RunIdQuery = None,
        report: ReportQuery = False,
    ) -> Response[bytes]:
        return await handle(request, dryrun, fmt, run_id or x_run_id, report)

    endpoint.__name__ = endpoint.__qualname__ = operation_id
    return post(path, operation_id=operation_id, summary=summary, operation_class=shape, **_COMMON)(
        endpoint
    )


_ACCEPTED = "Accepted (empty body)"


class YespoController(Controller):
    """Yespo's event endpoints, one table row each: path, operation id, summary, body, format."""

    path = "/api"
    tags = ["yespo dry-run"]

    event_v1 = _endpoint(
        "/v1/event",
        "yespoEventV1",
        "Yespo Generate event v1 (dry run)",
        _operation(_EVENT, None, _ACCEPTED),
        "v1",
        single,
    )
    event_v2 = _endpoint(
        "/v2/event",
        "yespoEventV2",
        "Yespo Generate event v2 (dry run)",
        _operation(_EVENT, None, _ACCEPTED),
        "v2",
        single,
    )
    # Pipedream's Yespo app posts to "https://api.yespo.io/api/" + "event" (undocumented by
    # Yespo): judged as v2, whose value rules the client follows
    event_unversioned = _endpoint(
        "/event",
        "yespoEventUnversioned",
        "Yespo Generate event on the unversioned path (dry run, judged as v2)",
        _operation(_EVENT, None, _ACCEPTED),
        "v2",
        single,
    )
    past_v1 = _endpoint(
        "/v1/past_events",
        "yespoPastEventsV1",
        "Yespo Generate past events v1 (dry run)",
        _operation(_PAST, _RESULTS, "Per-event statuses"),
        "past_events_v1",
        batch,
    )
    past_v2 = _endpoint(
        "/v2/past_events",
        "yespoPastEventsV2",
        "Yespo Generate past events v2 (dry run)",
        _operation(_PAST, _RESULTS, "Per-event statuses"),
        "past_events_v2",
        batch,
    )
    mobile = _endpoint(
        "/v1/events",
        "mobileSdkEvents",
        "Reteno/Yespo mobile SDK event batch (dry run)",
        _operation(_MOBILE, None, _ACCEPTED),
        "mobile",
        batch,
    )
