"""Split a streamed batch body into events: a JSON array's elements or NDJSON lines.

Every byte is looked at a bounded number of times and memory is bounded by the per-event limit
plus one chunk, whatever the body holds:

* A JSON array is cut by msgspec where possible (fast path): once ~1 MiB is buffered, cut at one
  of the last few commas and decode the prefix as an array; a cut inside a string or a nested
  value cannot decode, so success proves the cut. When no candidate decodes (one long element,
  commas inside a string, a malformed element), a resumable exact scanner (:class:`_Scanner`,
  strings, escapes and nesting tracked, regex-driven) takes over until the next element
  boundary and never rescans what it has seen.
* NDJSON is split at newlines found in each new chunk only; a partial line is held in a buffer
  that never grows past the per-event limit.

An element or line larger than ``max_event_bytes`` is not kept: it comes out as an
:class:`Item` with ``oversize`` set (the batch answers it as a violation at its index).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Any

import msgspec

from registry.core.errors import MalformedJson

__all__ = [
    "DEFAULT_MAX_EVENT_BYTES",
    "AutoSplitter",
    "Item",
    "JsonArraySplitter",
    "NdjsonSplitter",
    "ScanningSplitter",
]

DEFAULT_MAX_EVENT_BYTES = 1_048_576
_CHUNK = 1 << 20
_FAST_ATTEMPTS = 4
_RAW_LIST = msgspec.json.Decoder(list[msgspec.Raw])
_OUTSIDE = re.compile(rb'["\[\]{},]')
_OPEN = frozenset(b"[{")
_CLOSE = frozenset(b"]}")
_QUOTE, _BACKSLASH, _COMMA = 0x22, 0x5C, 0x2C
_WHITESPACE = b" \t\r\n"


class Item(msgspec.Struct, frozen=True):
    """One element of the batch: raw bytes, 0-based index and (NDJSON, or when known) its line."""

    index: int
    raw: bytes
    line: int | None = None
    oversize: int = 0
    """Set (the element's size in bytes) when it exceeded the per-event limit; ``raw`` is empty."""


class _Scanner:
    """Resumable exact scan of an array body after its ``[``: top-level commas and the ``]``."""

    __slots__ = ("depth", "escaped", "in_string", "pos")

    def __init__(self) -> None:
        self.pos = 0
        self.depth = 0
        self.in_string = False
        self.escaped = False

    def next_boundary(self, buf: bytearray) -> tuple[int, bool] | None:
        """``(position, is_end)`` of the next top-level comma or closing ``]``; None: need more."""
        while True:
            if self.in_string:
                if not self._leave_string(buf):
                    return None
                continue
            found = _OUTSIDE.search(buf, self.pos)
            if found is None:
                self.pos = len(buf)
                return None
            at, byte = found.start(), buf[found.start()]
            self.pos = found.end()
            if byte == _QUOTE:
                self.in_string = True
            elif byte in _OPEN:
                self.depth += 1
            elif byte in _CLOSE:
                self.depth -= 1
                if self.depth < 0:
                    return at, True
            elif self.depth == 0:
                return at, False

    def _leave_string(self, buf: bytearray) -> bool:
        """Advance inside a string; False: need more bytes.

        ``find`` (memchr speed) for the closing quote, then for a backslash only before it, so
        each byte is searched at most twice.
        """
        if self.escaped:
            if self.pos >= len(buf):
                return False
            self.pos += 1
            self.escaped = False
        quote = buf.find(b'"', self.pos)
        backslash = buf.find(b"\\", self.pos, len(buf) if quote < 0 else quote)
        if backslash >= 0:
            self.pos, self.escaped = backslash + 1, True
            return True
        if quote < 0:
            self.pos = len(buf)
            return False
        self.pos, self.in_string = quote + 1, False
        return True


class JsonArraySplitter:
    """Feed chunks of a JSON array; get back each complete top-level element."""

    def __init__(self, *, max_event_bytes: int = DEFAULT_MAX_EVENT_BYTES) -> None:
        self._buf = bytearray()
        self._started = False
        self._ended = False
        self._closing = False
        self._index = 0
        self._max = max_event_bytes
        self._scanner: _Scanner | None = None
        self._exact_left = 0
        """Bytes the fast path failed on: scanned exactly before it is tried again."""
        self._dropped = 0
        """Bytes of the current (oversize) element already discarded."""

    def feed(self, chunk: bytes) -> Iterator[Item]:
        self._buf += chunk
        if not self._started:
            self._skip_opening()
        if not self._started or self._ended:
            return
        if self._scanner is not None:
            yield from self._exact()
        if self._scanner is None and not self._ended and len(self._buf) >= _CHUNK:
            yield from self._fast()

    def close(self) -> Iterator[Item]:
        if not self._started:
            raise MalformedJson("a batch must be a JSON array or NDJSON")
        self._closing = True
        if self._scanner is None and not self._ended:
            end = len(self._buf.rstrip(_WHITESPACE)) - 1
            if end < 0 or self._buf[end] != 0x5D:
                raise MalformedJson("the JSON array is not closed (or data follows its ']')")
            try:
                elements = _decode_region(self._buf[:end])
            except msgspec.DecodeError:
                self._scanner = _Scanner()
            else:
                yield from self._emit_all(elements)
                del self._buf[: end + 1]
                self._ended = True
        if self._scanner is not None:
            yield from self._exact()
        if not self._ended or self._buf.strip(_WHITESPACE):
            raise MalformedJson("the JSON array is not closed (or data follows its ']')")

    def _skip_opening(self) -> None:
        stripped = self._buf.lstrip(_WHITESPACE)
        if not stripped:
            self._buf.clear()
            return
        if stripped[:1] != b"[":
            raise MalformedJson("a batch must be a JSON array or NDJSON")
        del self._buf[: len(self._buf) - len(stripped) + 1]
        self._started = True

    def _fast(self) -> Iterator[Item]:
        pos = len(self._buf)
        for _ in range(_FAST_ATTEMPTS):
            pos = self._buf.rfind(b",", 0, pos)
            if pos < 0:
                break
            try:
                elements = _decode_region(self._buf[:pos])
            except msgspec.DecodeError:
                continue
            yield from self._emit_all(elements)
            del self._buf[: pos + 1]
            return
        # no cut decodes: scan everything buffered exactly, then try the fast path again
        self._scanner, self._exact_left = _Scanner(), len(self._buf)
        yield from self._exact()

    def _emit_all(self, elements: list[Any]) -> Iterator[Item]:
        for raw in elements:
            yield self._item(raw, len(raw))

    def _item(self, raw: Any, size: int) -> Item:
        oversize = size > self._max
        item = Item(index=self._index, raw=b"" if oversize else raw, oversize=size * oversize)
        self._index += 1
        return item

    def _exact(self) -> Iterator[Item]:
        scanner = self._scanner
        assert scanner is not None
        while (found := scanner.next_boundary(self._buf)) is not None:
            at, is_end = found
            size = self._dropped + at
            if size > self._max:
                yield self._item(b"", size)
            else:
                raw = bytes(self._buf[:at]).strip(_WHITESPACE)
                if raw or not is_end or self._index:  # "[]" has no element, "[1,]" an empty one
                    yield self._item(raw, len(raw))
            self._dropped = 0
            del self._buf[: at + 1]
            scanner.pos -= at + 1
            self._exact_left -= at + 1
            if is_end:
                self._ended, self._scanner = True, None
                return
            if self._exact_left <= 0 and not self._closing:
                self._scanner = None  # a clean boundary past the hard region: fast path again
                return
        if self._dropped + scanner.pos > self._max:  # an oversize element: keep no bytes of it
            self._dropped += scanner.pos
            self._exact_left -= scanner.pos
            del self._buf[: scanner.pos]
            scanner.pos = 0


def _decode_region(region: bytearray) -> list[Any]:
    if not region.strip(_WHITESPACE):
        return []
    return _RAW_LIST.decode(b"[" + region + b"]")


class ScanningSplitter:
    """Exact (slow) top-level element splitting of a whole array body without its brackets."""

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


class NdjsonSplitter:
    """Feed chunks of NDJSON; get back each non-blank line with its 1-based line number."""

    def __init__(self, *, max_event_bytes: int = DEFAULT_MAX_EVENT_BYTES) -> None:
        self._pending = bytearray()
        self._dropped = 0
        self._line = 1
        self._index = 0
        self._max = max_event_bytes

    def skip_lines(self, count: int) -> None:
        """Blank lines seen before the first chunk fed (by :class:`AutoSplitter`)."""
        self._line += count

    def feed(self, chunk: bytes) -> Iterator[Item]:
        pieces = chunk.split(b"\n")  # C speed; bounded by the chunk, never by the body
        tail = pieces.pop()
        for n, piece in enumerate(pieces):
            if n == 0 and (self._pending or self._dropped):
                self._hold(piece)
                yield from self._end_line()
            elif len(piece) > self._max:
                yield self._oversize(len(piece))
            elif raw := piece.strip(_WHITESPACE):
                yield Item(index=self._index, raw=raw, line=self._line)
                self._index += 1
            self._line += 1
        self._hold(tail)

    def finish(self) -> Iterator[Item]:
        yield from self._end_line()

    def _hold(self, piece: bytes) -> None:
        """Keep a partial line, or only count its bytes once it is over the limit."""
        if self._dropped or len(self._pending) + len(piece) > self._max:
            self._dropped += len(self._pending) + len(piece)
            self._pending.clear()
        else:
            self._pending += piece

    def _oversize(self, size: int) -> Item:
        item = Item(index=self._index, raw=b"", line=self._line, oversize=size)
        self._index += 1
        return item

    def _end_line(self) -> Iterator[Item]:
        if self._dropped:
            yield self._oversize(self._dropped)
            self._dropped = 0
            return
        raw = bytes(self._pending).strip(_WHITESPACE)
        self._pending.clear()
        if raw:
            yield Item(index=self._index, raw=raw, line=self._line)
            self._index += 1


class AutoSplitter:
    """Chooses JSON array or NDJSON from the first non-blank byte, then delegates."""

    def __init__(self, *, max_event_bytes: int = DEFAULT_MAX_EVENT_BYTES) -> None:
        self._inner: JsonArraySplitter | NdjsonSplitter | None = None
        self._blank_lines = 0
        self._max = max_event_bytes

    def feed(self, chunk: bytes) -> Iterator[Item]:
        if self._inner is None:
            stripped = chunk.lstrip(_WHITESPACE)
            if not stripped:
                self._blank_lines += chunk.count(b"\n")  # keep line numbers, not the bytes
                return
            if stripped[:1] == b"[":
                self._inner = JsonArraySplitter(max_event_bytes=self._max)
            else:
                self._inner = NdjsonSplitter(max_event_bytes=self._max)
                self._inner.skip_lines(self._blank_lines)
        yield from self._inner.feed(chunk)

    def finish(self) -> Iterator[Item]:
        if isinstance(self._inner, JsonArraySplitter):
            yield from self._inner.close()
        elif isinstance(self._inner, NdjsonSplitter):
            yield from self._inner.finish()
