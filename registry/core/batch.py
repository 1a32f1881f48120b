"""Batch validation pieces: incremental splitting of a streamed body and the running summary.

The API feeds body chunks as they arrive; nothing here holds the whole body. A JSON array is
split into its top-level elements by a small scanner (strings, escapes and nesting tracked), and
NDJSON into lines, so a 64 MB batch never sits in memory twice.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Literal

import msgspec

from registry.core.errors import MalformedJson, PayloadTooLarge
from registry.core.jsonio import decode_json
from registry.core.report import Report
from registry.core.validation import Violation

_OPEN = frozenset(b"[{")
_CLOSE = frozenset(b"]}")
_QUOTE, _BACKSLASH, _COMMA = 0x22, 0x5C, 0x2C
_WHITESPACE = frozenset(b" \t\r\n")


class Item(msgspec.Struct, frozen=True):
    """One element of the batch: raw bytes, 0-based index and (NDJSON, or when known) its line."""

    index: int
    raw: bytes
    line: int | None = None


_RAW_LIST = msgspec.json.Decoder(list[msgspec.Raw])
_CHUNK = 1 << 20


class JsonArraySplitter:
    """Feed chunks of a JSON array; get back each complete top-level element as raw bytes.

    Fast path: once ~1 MiB is buffered, cut at a comma and let msgspec split the prefix (a cut
    inside a string or a nested value cannot decode, so a successful decode proves the cut).
    If no candidate cut decodes, the region is malformed and :class:`ScanningSplitter` isolates
    the bad element by tracking strings and nesting, so one broken element does not stop the rest.
    """

    def __init__(self) -> None:
        self._buf = bytearray()
        self._started = False
        self._index = 0

    def feed(self, chunk: bytes) -> Iterator[Item]:
        self._buf += chunk
        if not self._started:
            self._skip_opening()
        if self._started and len(self._buf) >= _CHUNK:
            yield from self._drain(final=False)

    def close(self) -> Iterator[Item]:
        if not self._started:
            raise MalformedJson("a batch must be a JSON array or NDJSON")
        end = len(self._buf.rstrip()) - 1
        if end < 0 or self._buf[end] != 0x5D:
            raise MalformedJson("the JSON array is not closed (or data follows its closing ']')")
        del self._buf[end:]
        yield from self._drain(final=True)

    def _skip_opening(self) -> None:
        stripped = self._buf.lstrip()
        if not stripped:
            return
        if stripped[:1] != b"[":
            raise MalformedJson("a batch must be a JSON array or NDJSON")
        del self._buf[: len(self._buf) - len(stripped) + 1]
        self._started = True

    def _drain(self, *, final: bool) -> Iterator[Item]:
        found = (len(self._buf), None) if final else self._cut()
        if found is None:
            return
        cut, elements = found
        region = bytes(self._buf[:cut])
        del self._buf[: cut + (0 if final else 1)]
        if elements is None:
            elements = self._split(region)
        for raw in elements:
            yield Item(index=self._index, raw=raw)
            self._index += 1

    @staticmethod
    def _split(region: bytes) -> list[Any]:
        if not region.strip():
            return []
        try:
            return _RAW_LIST.decode(b"[" + region + b"]")
        except msgspec.DecodeError:
            return ScanningSplitter.split(region)

    def _cut(self) -> tuple[int, list[Any] | None] | None:
        """A top-level comma near the end of the buffer (and the elements before it), or None."""
        pos = len(self._buf)
        for _ in range(8):
            pos = self._buf.rfind(b",", 0, pos)
            if pos <= 0:
                return None
            try:
                return pos, _RAW_LIST.decode(b"[" + self._buf[:pos] + b"]")
            except msgspec.DecodeError:
                continue
        if len(self._buf) < 8 * _CHUNK:
            return None
        return self._forced_cut(), None

    def _forced_cut(self) -> int:
        """Give up on the fast path for a pathological buffer: scan it exactly."""
        return ScanningSplitter.last_top_level_comma(bytes(self._buf))


class ScanningSplitter:
    """Exact (slow) top-level element splitting of an array body without its brackets."""

    @staticmethod
    def boundaries(region: bytes) -> list[int]:
        commas, depth, in_string, escaped = [], 0, False, False
        for pos, byte in enumerate(region):
            if in_string:
                if escaped:
                    escaped = False
                elif byte == _BACKSLASH:
                    escaped = True
                elif byte == _QUOTE:
                    in_string = False
            elif byte == _QUOTE:
                in_string = True
            elif byte in _OPEN:
                depth += 1
            elif byte in _CLOSE:
                depth = max(depth - 1, 0)
            elif byte == _COMMA and depth == 0:
                commas.append(pos)
        return commas

    @classmethod
    def split(cls, region: bytes) -> list[bytes]:
        edges = [-1, *cls.boundaries(region), len(region)]
        parts = [region[a + 1 : b].strip() for a, b in itertools.pairwise(edges)]
        return parts if any(parts) else []

    @classmethod
    def last_top_level_comma(cls, region: bytes) -> int:
        commas = cls.boundaries(region)
        return commas[-1] if commas else len(region)


class NdjsonSplitter:
    """Feed chunks of NDJSON; get back each non-blank line with its 1-based line number."""

    def __init__(self) -> None:
        self._pending = b""
        self._line = 0
        self._index = 0

    def feed(self, chunk: bytes) -> Iterator[Item]:
        lines = (self._pending + chunk).split(b"\n")
        self._pending = lines.pop()
        for raw in lines:
            yield from self._emit(raw)

    def _emit(self, raw: bytes) -> Iterator[Item]:
        self._line += 1
        if raw.strip():
            yield Item(index=self._index, raw=raw.strip(), line=self._line)
            self._index += 1

    def finish(self) -> Iterator[Item]:
        if self._pending:
            yield from self._emit(self._pending)
            self._pending = b""


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


class AutoSplitter:
    """Chooses JSON array or NDJSON from the first non-blank byte, then delegates."""

    def __init__(self) -> None:
        self._inner: JsonArraySplitter | NdjsonSplitter | None = None
        self._held = b""

    def feed(self, chunk: bytes) -> Iterator[Item]:
        if self._inner is None:
            self._held += chunk
            stripped = self._held.lstrip()
            if not stripped:
                return
            self._inner = JsonArraySplitter() if stripped[:1] == b"[" else NdjsonSplitter()
            chunk, self._held = self._held, b""
        yield from self._inner.feed(chunk)

    def finish(self) -> Iterator[Item]:
        if isinstance(self._inner, JsonArraySplitter):
            yield from self._inner.close()
        elif isinstance(self._inner, NdjsonSplitter):
            yield from self._inner.finish()


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


class BatchRun:
    """Validates items as they arrive, keeping the summary and the results asked for."""

    def __init__(
        self,
        validate: Validate,
        *,
        keep: Keep = "all",
        max_events: int,
        prepare: Callable[[], None] | None = None,
    ) -> None:
        self._validate = validate
        self._prepare = prepare
        self._keep = keep
        self._max_events = max_events
        self._summary = SummaryBuilder()
        self._results: list[BatchResult] = []

    def feed(self, items: Iterable[Item]) -> None:
        """Validate one chunk's items (``prepare`` runs first, once per chunk)."""
        if self._prepare is not None:
            self._prepare()
        for item in items:
            if item.index >= self._max_events:
                raise PayloadTooLarge(item.index + 1, self._max_events, unit="events")
            result = self._one(item)
            if result is not None:
                self._results.append(result)

    def _wanted(self, valid: bool) -> bool:
        return self._keep == "all" or (self._keep == "invalid" and not valid)

    def _one(self, item: Item) -> BatchResult | None:
        """Validate one item; build its result only when the caller wants it kept."""
        try:
            event = decode_json(item.raw, line=item.line)
        except MalformedJson as exc:
            self._summary.add_malformed()
            error = Violation(code="malformed_json", severity="error", path="", message=str(exc))
            if not self._wanted(False):
                return None
            return BatchResult(index=item.index, valid=False, line=item.line, errors=[error])
        report = self._validate(event, len(item.raw))
        self._summary.add(report)
        if not self._wanted(report.valid):
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
        return BatchOutcome(summary=self._summary.finish(), results=self._results)
