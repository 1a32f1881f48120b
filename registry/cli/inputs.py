"""Sample events from files: JSON (one event or an array of events), NDJSON, globs, stdin.

Each event keeps where it came from -- file, 0-based index in the file, 1-based line -- so every
output format can point at it. A JSON array's elements get the line their element starts on.
A document that does not decode becomes one sample carrying the error (reported as
``malformed_json``, exit 1); a path that does not exist or cannot be read is a usage error
(exit 2).
"""

from __future__ import annotations

import glob
import itertools
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec

from registry.cli.http import CommandError
from registry.core.batch import NdjsonSplitter, ScanningSplitter

NDJSON_SUFFIXES = (".ndjson", ".jsonl")
JSON_SUFFIXES = (".json", *NDJSON_SUFFIXES)
STDIN = "-"
STDIN_LABEL = "<stdin>"
_BYTE = re.compile(r"\(byte (\d+)\)")


class Sample(msgspec.Struct, frozen=True, kw_only=True):
    """One event to validate and its origin. ``error`` is set when it did not decode."""

    file: str
    index: int
    line: int | None
    raw: bytes
    event: Any = None
    error: str | None = None


def expand(paths: tuple[str, ...]) -> list[str]:
    """Files named by ``paths``: globs expanded, folders give their JSON/NDJSON files."""
    found: list[str] = []
    for given in paths:
        if given == STDIN:
            found.append(STDIN)
            continue
        matches = sorted(glob.glob(given, recursive=True)) if glob.has_magic(given) else [given]
        if not matches:
            raise CommandError(f"no file matches {given!r}")
        for match in matches:
            found += _folder_files(Path(match)) if Path(match).is_dir() else [match]
    if not found:
        raise CommandError("no events to validate: give files, globs, folders or '-' for stdin")
    return found


def _folder_files(folder: Path) -> list[str]:
    return sorted(str(p) for p in folder.iterdir() if p.suffix in JSON_SUFFIXES and p.is_file())


def read(path: str) -> Iterator[Sample]:
    """The samples of one file (``-`` is stdin)."""
    if path == STDIN:
        data, label = sys.stdin.buffer.read(), STDIN_LABEL
    else:
        try:
            data, label = Path(path).read_bytes(), path
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror or exc}") from exc
    yield from parse(data, label, ndjson=path.endswith(NDJSON_SUFFIXES))


def parse(data: bytes, label: str, *, ndjson: bool = False) -> Iterator[Sample]:
    """Samples of ``data``: NDJSON when told so or when a whole-document decode fails on a
    multi-line body whose first line decodes; otherwise one event or an array of events."""
    if ndjson:
        yield from _ndjson(data, label)
        return
    try:
        document = msgspec.json.decode(data)
    except msgspec.DecodeError as exc:
        if _looks_like_ndjson(data):
            yield from _ndjson(data, label)
        else:
            yield Sample(file=label, index=0, line=_line_of(data, exc), raw=data, error=str(exc))
        return
    if isinstance(document, list):
        yield from _array(data, document, label)
    else:
        yield Sample(file=label, index=0, line=_first_line(data, 0), raw=data, event=document)


def _looks_like_ndjson(data: bytes) -> bool:
    lines = [line for line in data.splitlines() if line.strip()]
    if len(lines) < 2:
        return False
    try:
        msgspec.json.decode(lines[0])
    except msgspec.DecodeError:
        return False
    return True


def _ndjson(data: bytes, label: str) -> Iterator[Sample]:
    splitter = NdjsonSplitter()
    for item in itertools.chain(splitter.feed(data), splitter.finish()):
        try:
            event = msgspec.json.decode(item.raw)
        except msgspec.DecodeError as exc:
            yield Sample(file=label, index=item.index, line=item.line, raw=item.raw, error=str(exc))
            continue
        yield Sample(file=label, index=item.index, line=item.line, raw=item.raw, event=event)


def _array(data: bytes, events: list[Any], label: str) -> Iterator[Sample]:
    """Elements of an array that decoded; the exact scanner finds where each one starts."""
    start = data.index(b"[") + 1
    region = data[start : data.rindex(b"]")]
    edges = [-1, *ScanningSplitter.boundaries(region), len(region)]
    pieces = [(a + 1, region[a + 1 : b]) for a, b in itertools.pairwise(edges)]
    pieces = [(offset, raw) for offset, raw in pieces if raw.strip()]
    for index, (event, (offset, raw)) in enumerate(zip(events, pieces, strict=True)):
        line = _first_line(data, start + offset)
        yield Sample(file=label, index=index, line=line, raw=raw.strip(), event=event)


def _first_line(data: bytes, offset: int) -> int:
    """1-based line of the first non-blank byte at or after ``offset``."""
    while offset < len(data) and data[offset : offset + 1] in (b" ", b"\t", b"\r", b"\n"):
        offset += 1
    return data.count(b"\n", 0, offset) + 1


def _line_of(data: bytes, error: msgspec.DecodeError) -> int:
    match = _BYTE.search(str(error))
    return data.count(b"\n", 0, int(match.group(1))) + 1 if match else 1
