"""POST /validate: the hot path. Bytes in, report out; no store round trip on a warm cache."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

import anyio.to_thread
from litestar import Controller, Request, post
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIType, Operation, RequestBody, Schema
from litestar.params import HeaderParameter, QueryParameter

from registry.api.deps import DryRunDep, recording
from registry.api.fast_validate import DECLINED_KEY
from registry.api.wire import WRITE_ERRORS, problem_responses
from registry.api.yespo import RunIdHeader, RunIdQuery
from registry.core.config import Mode
from registry.core.jsonio import decode_json
from registry.core.report import Report

RecordQuery = Annotated[
    bool, QueryParameter(name="record", description="Also store the event in the inspection log.")
]
RecordHeader = Annotated[
    str | None,
    HeaderParameter(name="X-Record", required=False, description="`true`: same as ?record=true."),
]

EVENT_SCHEMA = Schema(
    type=OpenAPIType.OBJECT,
    description=(
        "One event exactly as a Yespo client sends it. `params` is a list of `{name, value}` "
        "or an object. Optional `version` (integer or 'latest') selects the schema version."
    ),
    properties={
        "eventTypeKey": Schema(type=OpenAPIType.STRING),
        "keyValue": Schema(
            one_of=[Schema(type=OpenAPIType.STRING), Schema(type=OpenAPIType.NUMBER)]
        ),
        "params": Schema(one_of=[Schema(type=OpenAPIType.ARRAY), Schema(type=OpenAPIType.OBJECT)]),
        "version": Schema(
            one_of=[Schema(type=OpenAPIType.INTEGER, minimum=1), Schema(const="latest")]
        ),
    },
    required=["eventTypeKey"],
)


@dataclass
class ValidateOperation(Operation):
    """Documents the raw JSON body that the handler decodes itself (to know its byte size)."""

    def __post_init__(self) -> None:
        self.request_body = RequestBody(
            content={"application/json": OpenAPIMediaType(schema=EVENT_SCHEMA)}, required=True
        )


class ValidationController(Controller):
    path = "/validate"
    tags = ["validation"]

    @post(
        "/",
        responses=problem_responses(WRITE_ERRORS),
        operation_id="validateEvent",
        status_code=200,
        operation_class=ValidateOperation,
        summary="Validate one sample event; 200 with a report whether it is valid or not",
    )
    async def validate(
        self,
        request: Request[Any, Any, Any],
        dryrun: DryRunDep,
        mode: Annotated[
            Mode | None,
            QueryParameter(description="strict: undeclared params are errors; lenient: warnings."),
        ] = None,
        coerce: Annotated[
            bool | None,
            QueryParameter(description="Accept strings holding a value of the expected type."),
        ] = None,
        record: RecordQuery = False,
        x_record: RecordHeader = None,
        x_run_id: RunIdHeader = None,
        run_id: RunIdQuery = None,
    ) -> Report:
        body = await request.body()
        declined = request.scope.pop(DECLINED_KEY, None)  # type: ignore[misc]
        event = decode_json(body) if declined is None else declined.event
        if not (record or (x_record or "").strip().lower() == "true"):
            # one injected dependency only: litestar resolves several in an anyio task group,
            # which costs more per request than validating the event
            if declined is None:
                report = dryrun.validate_inline(
                    event, body_size=len(body), mode=mode, coerce=coerce
                )
                if report is not None:
                    return report
            # an invalid event, a first sight, a big body or a costly schema: off the loop
            return await anyio.to_thread.run_sync(
                lambda: dryrun.validate(
                    event, body_size=len(body), mode=mode, coerce=coerce, run_id=None, record=False
                )
            )
        return await anyio.to_thread.run_sync(
            lambda: recording(request, dryrun).validate(
                event,
                body_size=len(body),
                mode=mode,
                coerce=coerce,
                run_id=run_id or x_run_id,
                record=True,
            )
        )
