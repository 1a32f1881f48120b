"""POST /validate/batch: a JSON array or NDJSON body, streamed and validated chunk by chunk.

Memory is bounded by a few chunks whatever the body size: the body is never read whole (the
request hook leaves it to the handler, which enforces ``batch_max_bytes`` while receiving), the
splitter keeps at most one event, and kept results are encoded as they are made into a spool
(memory, then a temporary file) that is streamed out after the summary.
"""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import IO, Annotated, Any, cast

import msgspec
from anyio import to_thread
from litestar import Controller, Request, Response, post
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIType, Operation, RequestBody, Schema
from litestar.params import QueryParameter
from litestar.response import Stream

from registry.api.deps import AppSettings, Service
from registry.api.hooks import STREAMS_BODY, require_json
from registry.api.validation import EVENT_SCHEMA
from registry.api.wire import WRITE_ERRORS, problem_responses
from registry.core.batch import (
    AutoSplitter,
    BatchOutcome,
    BatchResult,
    BatchRun,
    BatchSummary,
    Keep,
)
from registry.core.config import Mode
from registry.core.errors import PayloadTooLarge
from registry.core.report import Report
from registry.core.service import RegistryService
from registry.core.validation.violations import MAX_BATCH_TYPE_SUGGESTIONS, Allowance

_HOP_BYTES = 262_144
"""Body bytes gathered on the event loop before one hop to a worker thread (a hop per 64 KiB
ASGI chunk costs more than the splitting it moves)."""
_SPOOL_MEMORY_BYTES = 8 << 20
"""Encoded results kept in memory before the spool moves to a temporary file."""
_ENCODER = msgspec.json.Encoder()


class ResultSpool:
    """Kept results, JSON-encoded as they are made; the response body is the same bytes as
    ``msgspec.json.encode(BatchOutcome(summary, results))``, streamed with a Content-Length."""

    def __init__(self, memory_bytes: int = _SPOOL_MEMORY_BYTES) -> None:
        # closed by close(), once the response is sent or the request failed
        self._file: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=memory_bytes)  # noqa: SIM115
        self._buf = bytearray()
        self._count = 0
        self._templates: dict[tuple[str | None, int | None, int | None, bool], bytes] = {}

    def add(self, result: BatchResult) -> None:
        if self._count:
            self._buf += b","
        _ENCODER.encode_into(result, self._buf, -1)
        self._count += 1
        if len(self._buf) >= _HOP_BYTES:
            self._flush()

    def add_valid(self, index: int, line: int | None, report: Report) -> None:
        """:meth:`add` of the plain valid result of ``report`` at ``index``/``line``, the same
        bytes written from a template made once per (type, version, schema id)."""
        kind = (report.event_type_key, report.version, report.schema_id, line is None)
        middle = self._templates.get(kind)
        if middle is None:
            middle = self._templates[kind] = _valid_template(report, line is None)
        buf = self._buf
        buf += b',{"index":' if self._count else b'{"index":'
        _ENCODER.encode_into(index, buf, -1)
        buf += middle
        if line is not None:
            _ENCODER.encode_into(line, buf, -1)
            buf += b"}"
        self._count += 1
        if len(self._buf) >= _HOP_BYTES:
            self._flush()

    def _flush(self) -> None:
        self._file.write(self._buf)
        self._buf.clear()

    def close(self) -> None:
        self._file.close()

    def response(self, summary: BatchSummary) -> Stream:
        self._flush()
        head = b'{"summary":' + _ENCODER.encode(summary) + b',"results":['
        size = len(head) + self._file.tell() + 2
        self._file.seek(0)
        return Stream(
            self._body(head),
            media_type="application/json",
            headers={"content-length": str(size)},
        )

    async def _body(self, head: bytes) -> AsyncIterator[bytes]:
        try:
            yield head
            while block := self._file.read(_HOP_BYTES):
                yield block
            yield b"]}"
        finally:
            self.close()


def _valid_template(report: Report, without_line: bool) -> bytes:
    """What a plain valid result's encoding holds between its index and its line number (or
    its end, without a line): cut from the real encoding of one such result."""
    sample = BatchResult(
        index=0,
        valid=True,
        event_type_key=report.event_type_key,
        version=report.version,
        schema_id=report.schema_id,
        line=None if without_line else 1,
    )
    encoded = _ENCODER.encode(sample)
    head = b'{"index":0'
    assert encoded.startswith(head)
    if without_line:
        return encoded[len(head) :]
    assert encoded.endswith(b',"line":1}')
    return encoded[len(head) : -2]


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
        opt={STREAMS_BODY: True},
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
    ) -> Response[BatchOutcome]:
        announced = request.content_length
        if announced is not None and announced > settings.batch_max_bytes:
            raise PayloadTooLarge(announced, settings.batch_max_bytes)
        spool = ResultSpool()
        try:
            run = BatchRun(
                _validator(service, mode, coerce),
                keep=results,
                max_events=settings.batch_max_events,
                prepare=service.refresh,
                max_event_bytes=settings.max_body_bytes,
                sink=spool.add,
                valid_sink=spool.add_valid,
            )
            await _receive(request, run, settings.batch_max_bytes)
            # documented (OpenAPI) as the BatchOutcome it is, sent as its streamed encoding
            return cast("Response[BatchOutcome]", spool.response(run.finish().summary))
        except BaseException:
            spool.close()
            raise


async def _receive(request: Request[Any, Any, Any], run: BatchRun, limit: int) -> None:
    """Stream the body into ``run``: the limit is enforced as bytes arrive, and splitting and
    validating run off the event loop in slices of about ``_HOP_BYTES`` (a slice may hold a
    pathological string, many events or an expensive schema)."""
    splitter = AutoSplitter(max_event_bytes=run.max_event_bytes)
    received, pending, checked = 0, bytearray(), False
    async for chunk in request.stream():
        if not chunk:
            continue
        if not checked:
            require_json(request, chunk)  # the hook left the media type check to us
            checked = True
        received += len(chunk)
        if received > limit:
            raise PayloadTooLarge(received, limit)
        pending += chunk
        if len(pending) >= _HOP_BYTES:
            await to_thread.run_sync(run.feed_chunk, splitter, bytes(pending))
            pending.clear()
    if not checked:
        require_json(request, b"")
    if pending:
        await to_thread.run_sync(run.feed_chunk, splitter, bytes(pending))
    await to_thread.run_sync(run.feed_chunk, splitter, None)
