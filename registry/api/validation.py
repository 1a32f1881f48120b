"""POST /validate: the hot path. Bytes in, report out; no store round trip on a warm cache."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Controller, Request, post
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIType, Operation, RequestBody, Schema
from litestar.params import QueryParameter

from registry.api.deps import Service
from registry.api.wire import WRITE_ERRORS, problem_responses
from registry.core.config import Mode
from registry.core.jsonio import decode_json
from registry.core.report import Report

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
        service: Service,
        mode: Annotated[
            Mode | None,
            QueryParameter(description="strict: undeclared params are errors; lenient: warnings."),
        ] = None,
        coerce: Annotated[
            bool | None,
            QueryParameter(description="Accept strings holding a value of the expected type."),
        ] = None,
    ) -> Report:
        body = await request.body()
        event = decode_json(body)
        return service.validate(event, body_size=len(body), mode=mode, coerce=coerce)
