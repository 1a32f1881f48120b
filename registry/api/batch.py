"""POST /validate/batch: a JSON array or NDJSON body, streamed and validated chunk by chunk."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from anyio import to_thread
from litestar import Controller, Request, post
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIType, Operation, RequestBody, Schema
from litestar.params import QueryParameter

from registry.api.deps import AppSettings, Service
from registry.api.validation import EVENT_SCHEMA
from registry.api.wire import WRITE_ERRORS, problem_responses
from registry.core.batch import AutoSplitter, BatchOutcome, BatchRun, Keep
from registry.core.config import Mode
from registry.core.errors import PayloadTooLarge
from registry.core.service import RegistryService
from registry.core.validation.violations import MAX_BATCH_TYPE_SUGGESTIONS, Allowance


@dataclass
class BatchOperation(Operation):
    """Documents the two body encodings the handler streams itself."""

    def __post_init__(self) -> None:
        array = Schema(type=OpenAPIType.ARRAY, items=EVENT_SCHEMA)
        ndjson = Schema(type=OpenAPIType.STRING, description="One event per line (NDJSON).")
        self.request_body = RequestBody(
            required=True,
            content={
                "application/json": OpenAPIMediaType(schema=array),
                "application/x-ndjson": OpenAPIMediaType(schema=ndjson),
            },
        )


def _validator(service: RegistryService, mode: Mode | None, coerce: bool | None) -> Any:
    type_hints = Allowance(MAX_BATCH_TYPE_SUGGESTIONS)  # one allowance for the whole batch

    def validate(event: Any, size: int) -> Any:
        return service.validate(
            event, body_size=size, mode=mode, coerce=coerce, fresh=True, type_hints=type_hints
        )

    return validate


class BatchController(Controller):
    path = "/validate/batch"
    tags = ["validation"]

    @post(
        "/",
        operation_id="validateBatch",
        status_code=200,
        operation_class=BatchOperation,
        request_max_body_size=None,
        summary="Validate many events (JSON array or NDJSON, streamed): results + summary",
        responses=problem_responses(WRITE_ERRORS),
    )
    async def validate_batch(
        self,
        request: Request[Any, Any, Any],
        service: Service,
        settings: AppSettings,
        mode: Annotated[Mode | None, QueryParameter(description="strict or lenient.")] = None,
        coerce: Annotated[
            bool | None, QueryParameter(description="Accept coercible strings.")
        ] = None,
        results: Annotated[
            Keep, QueryParameter(description="Which per-event results to return.")
        ] = "all",
    ) -> BatchOutcome:
        run = BatchRun(
            _validator(service, mode, coerce),
            keep=results,
            max_events=settings.batch_max_events,
            prepare=service.validator.refresh,
            max_event_bytes=settings.max_body_bytes,
        )
        splitter = AutoSplitter(max_event_bytes=settings.max_body_bytes)
        received = 0
        async for chunk in request.stream():
            received += len(chunk)
            if received > settings.batch_max_bytes:
                raise PayloadTooLarge(received, settings.batch_max_bytes)
            # splitting and validating both run off the event loop: a chunk may hold a
            # pathological string, many events or an expensive schema
            await to_thread.run_sync(run.feed_chunk, splitter, chunk)
        await to_thread.run_sync(run.feed_chunk, splitter, None)
        return run.finish()
