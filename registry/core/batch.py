"""Batch validation pieces: the running summary and per-event results of a streamed body.

The API feeds body chunks as they arrive; :mod:`registry.core.splitting` cuts them into events
(linear, memory-bounded), so a 64 MB batch never sits in memory twice. One bad event (not JSON,
too deep, too large) is a result at its index, never the end of the batch.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any, Literal

import msgspec

from registry.core.errors import MalformedJson, PayloadTooLarge
from registry.core.jsonio import decode_json
from registry.core.report import Report, finish_report
from registry.core.splitting import (
    DEFAULT_MAX_EVENT_BYTES,
    AutoSplitter,
    Item,
    JsonArraySplitter,
    NdjsonSplitter,
    ScanningSplitter,
)
from registry.core.validation import Violation

__all__ = [
    "AutoSplitter",
    "BatchOutcome",
    "BatchResult",
    "BatchRun",
    "BatchSummary",
    "Item",
    "JsonArraySplitter",
    "NdjsonSplitter",
    "ScanningSplitter",
    "SummaryBuilder",
]


class EventTypeCount(msgspec.Struct):
    total: int = 0
    invalid: int = 0


class BatchSummary(msgspec.Struct, rename="camel"):
    total: int = 0
    valid: int = 0
    invalid: int = 0
    malformed: int = 0
    with_warnings: int = 0
    by_code: dict[str, int] = msgspec.field(default_factory=dict)
    by_event_type: dict[str, EventTypeCount] = msgspec.field(default_factory=dict)
    by_param: dict[str, int] = msgspec.field(default_factory=dict)


class SummaryBuilder:
    """Accumulates counts by code, by event type and by param as results stream past."""

    def __init__(self) -> None:
        self.summary = BatchSummary()
        self._codes: Counter[str] = Counter()
        self._params: Counter[str] = Counter()

    def add(self, report: Report) -> None:
        s = self.summary
        key = report.event_type_key if report.event_type_key is not None else "(none)"
        counts = s.by_event_type.setdefault(key, EventTypeCount())
        counts.total += 1
        s.total += 1
        if report.valid and not report.warnings:
            s.valid += 1
            return
        s.valid += report.valid
        s.invalid += not report.valid
        s.with_warnings += bool(report.warnings)
        counts.invalid += not report.valid
        for violation in (*report.errors, *report.warnings):
            self._codes[violation.code] += 1
            if violation.param is not None:
                self._params[violation.param] += 1

    def add_malformed(self) -> None:
        self.summary.total += 1
        self.summary.invalid += 1
        self.summary.malformed += 1
        self._codes["malformed_json"] += 1

    def finish(self) -> BatchSummary:
        self.summary.by_code = dict(self._codes.most_common())
        self.summary.by_param = dict(self._params.most_common())
        return self.summary


def sample_id_of(event: Any) -> str | int | None:
    """The client's optional ``sampleId`` (echoed back so results can be matched)."""
    if isinstance(event, dict):
        value = event.get("sampleId")
        if isinstance(value, str | int) and not isinstance(value, bool):
            return value
    return None


class BatchResult(msgspec.Struct, frozen=True, rename="camel", omit_defaults=True):
    """The verdict for one event of a batch, with where it was in the body."""

    index: int
    valid: bool
    event_type_key: str | None = None
    version: int | None = None
    schema_id: int | None = None
    errors: list[Violation] = []
    warnings: list[Violation] = []
    line: int | None = None
    """1-based line number (NDJSON)."""
    sample_id: str | int | None = None
    """The client's ``sampleId``, echoed back."""
    violations_capped: bool = False
    """True when the event had more violations than its result lists (see ``Report``)."""


class BatchOutcome(msgspec.Struct, frozen=True):
    summary: BatchSummary
    results: list[BatchResult]


Keep = Literal["all", "invalid", "none"]
Validate = Callable[[Any, int], Report]
Sink = Callable[[BatchResult], None]
"""Where kept results go as they are made (the API encodes and spools them; default: a list)."""
ValidSink = Callable[[int, int | None, Report], None]
"""Where a kept plain valid result goes instead, as ``(index, line, report)`` (no warnings, no
``sampleId``): the common case, which the API encodes from a template without building a
:class:`BatchResult`."""


class BatchRun:
    """Validates items as they arrive, keeping the summary and the results asked for."""

    def __init__(
        self,
        validate: Validate,
        *,
        keep: Keep = "all",
        max_events: int,
        prepare: Callable[[], None] | None = None,
        max_event_bytes: int = DEFAULT_MAX_EVENT_BYTES,
        sink: Sink | None = None,
        valid_sink: ValidSink | None = None,
    ) -> None:
        self._validate = validate
        self._max_event_bytes = max_event_bytes
        self._prepare = prepare
        self._keep = keep
        self._max_events = max_events
        self._summary = SummaryBuilder()
        self._results: list[BatchResult] = []
        self._sink: Sink = self._results.append if sink is None else sink
        self._valid_sink = valid_sink

    @property
    def max_event_bytes(self) -> int:
        return self._max_event_bytes

    def feed(self, items: Iterable[Item]) -> None:
        """Validate one chunk's items (``prepare`` runs first, once per chunk)."""
        if self._prepare is not None:
            self._prepare()
        for item in items:
            if item.index >= self._max_events:
                raise PayloadTooLarge(item.index + 1, self._max_events, unit="events")
            result = self._one(item)
            if result is not None:
                self._sink(result)

    def _wanted(self, valid: bool) -> bool:
        return self._keep == "all" or (self._keep == "invalid" and not valid)

    def feed_chunk(self, splitter: AutoSplitter, chunk: bytes | None) -> None:
        """Split one body chunk (``None``: the end of the body) and validate what it completes."""
        self.feed(splitter.finish() if chunk is None else splitter.feed(chunk))

    def _malformed(self, item: Item, message: str) -> BatchResult | None:
        self._summary.add_malformed()
        error = Violation(code="malformed_json", severity="error", path="", message=message)
        if not self._wanted(False):
            return None
        return BatchResult(index=item.index, valid=False, line=item.line, errors=[error])

    def _oversize(self, item: Item) -> BatchResult | None:
        violation = Violation(
            code="payload_too_large",
            severity="error",
            path="",
            expected=self._max_event_bytes,
            actual=item.oversize,
            message=f"event is {item.oversize} bytes; one event of a batch may be at most "
            f"{self._max_event_bytes} bytes (it was not decoded)",
        )
        report = finish_report(key=None, version=None, schema_id=None, violations=[violation])
        self._summary.add(report)
        if not self._wanted(False):
            return None
        return BatchResult(index=item.index, valid=False, line=item.line, errors=report.errors)

    def _one(self, item: Item) -> BatchResult | None:
        """Validate one item; build its result only when the caller wants it kept."""
        if item.oversize:
            return self._oversize(item)
        try:
            event = decode_json(item.raw, line=item.line)
        except MalformedJson as exc:
            return self._malformed(item, str(exc))
        try:
            report = self._validate(event, len(item.raw))
        except RecursionError:  # a value nested deeper than the validator walks
            return self._malformed(item, "values are nested too deeply")
        self._summary.add(report)
        if not self._wanted(report.valid):
            return None
        if (
            self._valid_sink is not None
            and report.valid
            and not report.warnings
            and report.violations_capped is not True
            and sample_id_of(event) is None
        ):
            self._valid_sink(item.index, item.line, report)
            return None
        return BatchResult(
            index=item.index,
            valid=report.valid,
            event_type_key=report.event_type_key,
            version=report.version,
            schema_id=report.schema_id,
            errors=report.errors,
            warnings=report.warnings,
            line=item.line,
            sample_id=sample_id_of(event),
            violations_capped=report.violations_capped is True,
        )

    def finish(self) -> BatchOutcome:
        """The summary and the results kept in memory (none when a ``sink`` took them)."""
        return BatchOutcome(summary=self._summary.finish(), results=self._results)
