"""Fire issue 11's reproducers at a real server and check the service stays healthy.

Starts ``event-registry serve`` (uvicorn) on a free 127.0.0.1 port with a temporary database,
polls ``GET /health`` every 10 ms from its own connection while each reproducer runs, samples the
server's RSS, and prints per reproducer: HTTP status, seconds, RSS growth, max /health latency.
Exits 1 when any reproducer misses "< 1 s, RSS growth < 100 MB, /health < 50 ms" or answers an
unexpected status.

Run:  pip install -e '.[test]' && python scripts/hostile.py [--workers N] [--only NAME ...]
Loopback only; every loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import resource
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import msgspec

LIMIT_SECONDS, LIMIT_RSS_MB, LIMIT_HEALTH_MS = 1.0, 100.0, 50.0
HEADER_TIMEOUT = 2.0
"""The server under test gets EVENT_REGISTRY_HEADER_TIMEOUT_SECONDS=2 (default 10) so the
half-open row drains in seconds; every other setting is the installed default."""
MIB = 1 << 20
JSON = {"content-type": "application/json"}


def fan_out(levels: int, keyword: str) -> dict[str, Any]:
    defs: dict[str, Any] = {
        f"l{i}": {keyword: [{"$ref": f"#/$defs/l{i + 1}"}, {"$ref": f"#/$defs/l{i + 1}"}]}
        for i in range(levels)
    }
    defs[f"l{levels}"] = {"type": "integer"}
    return {"$defs": defs, "type": "object", "properties": {"a": {"$ref": "#/$defs/l0"}}}


class Server:
    """``event-registry serve`` in a child process on a free loopback port."""

    def __init__(self, db: Path, workers: int) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        env = {
            **os.environ,
            "EVENT_REGISTRY_LOG_LEVEL": "warning",
            "EVENT_REGISTRY_HEADER_TIMEOUT_SECONDS": str(HEADER_TIMEOUT),
        }
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "registry", "serve", "--port", str(self.port), "--db", str(db),
             "--workers", str(workers)],
            # a file, never an undrained pipe: the server's log lines (one per request, 408s
            # and 503s included) would fill a pipe's 64 KiB and block the server's writes
            env=env, stdout=subprocess.DEVNULL, stderr=db.with_suffix(".log").open("wb"),
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                if self.request("GET", "/health")[0] == 200:
                    return
            time.sleep(0.1)
        self.stop()
        raise SystemExit("the server did not start")

    def connection(self, timeout: float = 30) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        conn = self.connection()
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def rss_mb(self) -> float:
        """Resident memory of the server and its worker processes."""
        total = 0
        for pid in [self.proc.pid, *_children(self.proc.pid)]:
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        return total / 1024

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def _children(pid: int) -> list[int]:
    found: list[int] = []
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            text = (task / "children").read_text().split()
            found += [int(c) for c in text]
    return found + [g for c in found for g in _children(c)]


class Monitor:
    """Polls /health every 10 ms and samples RSS; reports the worst figures of a window."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.samples: list[tuple[float, float, float]] = []  # (time, health ms, rss MB)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        conn = self.server.connection(timeout=30)
        while not self._stop.is_set():
            started = time.perf_counter()
            try:
                conn.request("GET", "/health")
                conn.getresponse().read()
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = self.server.connection(timeout=30)
            latency = (time.perf_counter() - started) * 1000
            self.samples.append((time.monotonic(), latency, self.server.rss_mb()))
            time.sleep(0.01)
        conn.close()

    def window(self, start: float, end: float) -> tuple[float, float]:
        inside = [s for s in self.samples if start <= s[0] <= end + 0.05]
        return (max((s[1] for s in inside), default=0.0), max((s[2] for s in inside), default=0.0))

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=40)


# -- reproducers: each returns (status, expected status, note[, seconds, window]) ---------

Row = tuple[int, int, str] | tuple[int, int, str, float, tuple[float, float]]
"""A row's figures; ``seconds`` and the monitor ``window`` override the reproducer's own wall
time when the interesting part is not the whole call (the write-lock and half-open rows)."""


def register(server: Server, key: str, schema: Any) -> tuple[int, bytes]:
    body = msgspec.json.encode({"schema": schema})
    return server.request("POST", f"/event-types/{key}/versions", body, JSON)


def validate(server: Server, event: Any) -> tuple[int, bytes]:
    return server.request("POST", "/validate", msgspec.json.encode(event), JSON)


def stream(server: Server, path: str, chunks: Iterator[bytes], ctype: str) -> tuple[int, bytes]:
    conn = server.connection(timeout=60)
    try:
        conn.putrequest("POST", path)
        conn.putheader("content-type", ctype)
        conn.putheader("transfer-encoding", "chunked")
        conn.endheaders()
        for chunk in chunks:
            conn.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        conn.send(b"0\r\n\r\n")
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def r_one_of(server: Server) -> Row:
    status, body = register(server, "orderCreated", fan_out(20, "oneOf"))
    return status, 422, _code(body)


def r_all_of(server: Server) -> Row:
    status, body = register(server, "orderCreated", fan_out(28, "allOf"))
    return status, 422, _code(body)


def r_many_errors(server: Server) -> Row:
    event = {"eventTypeKey": "manyErrors", "keyValue": "k", "params": {"xs": list(range(4000))}}
    status, body = validate(server, event)
    report = msgspec.json.decode(body)
    return status, 200, f"{len(report['errors'])} errors, capped={report.get('violationsCapped')}"


def r_legacy(server: Server) -> Row:
    status, body = validate(
        server, {"eventTypeKey": "legacy", "keyValue": "k", "params": {"a": "x"}}
    )
    report = msgspec.json.decode(body)
    codes = sorted({e["code"] for e in report["errors"]})
    return status, 200, f"{len(report['errors'])} error(s) {codes}, {len(body)} bytes"


def r_wide(server: Server) -> Row:
    params = {f"p{i:04}x": "v" for i in range(1000)}
    status, body = validate(server, {"eventTypeKey": "wide", "keyValue": "k", "params": params})
    report = msgspec.json.decode(body)
    return status, 200, f"{len(report['warnings'])} warnings"


def r_unknown_types(server: Server) -> Row:
    lines = (
        msgspec.json.encode({"eventTypeKey": f"type{i:04}z", "keyValue": "k"}) for i in range(2000)
    )
    body = b"\n".join(lines)
    status, answer = server.request(
        "POST", "/validate/batch?results=none", body, {"content-type": "application/x-ndjson"}
    )
    summary = msgspec.json.decode(answer).get("summary", {})
    return status, 200, f"byCode={summary.get('byCode')}"


def r_commas(server: Server) -> Row:
    def chunks() -> Iterator[bytes]:
        yield b'[{"eventTypeKey":"orderCreated","x":"'
        commas = b"," * MIB
        for _ in range(32):
            yield commas
        yield b'"}]'

    status, body = stream(server, "/validate/batch", chunks(), "application/json")
    results = msgspec.json.decode(body).get("results", [])
    return (
        status,
        200,
        f"{len(results)} result(s): {[e['code'] for r in results for e in r['errors']]}",
    )


def r_long_line(server: Server) -> Row:
    def chunks() -> Iterator[bytes]:
        yield b'{"eventTypeKey":"orderCreated","x":"'
        filler = b"a" * MIB
        for _ in range(63):
            yield filler

    status, body = stream(server, "/validate/batch", chunks(), "application/x-ndjson")
    results = msgspec.json.decode(body).get("results", [])
    return status, 200, f"{len(results)} result(s)"


def r_deep_string(server: Server) -> Row:
    event = {"eventTypeKey": "deep", "keyValue": "k", "params": {"items": "[" * 1000}}
    status, body = validate(server, event)
    codes = [e["code"] for e in msgspec.json.decode(body).get("errors", [])]
    batch = msgspec.json.encode([event, {"eventTypeKey": "deep", "keyValue": "k"}])
    status2, body2 = server.request("POST", "/validate/batch", batch, JSON)
    valid = [r["valid"] for r in msgspec.json.decode(body2).get("results", [])]
    return max(status, status2), 200, f"/validate {status} {codes}; batch {status2} {valid}"


def r_overflow_id(server: Server) -> Row:
    status, body = server.request("GET", "/schemas/9223372036854775808")
    return status, 404, _code(body)


def r_write_lock(server: Server, db: Path) -> Row:
    """Another connection holds the write lock for 2 s while a write on this worker waits for it
    inside ``BEGIN IMMEDIATE``; meanwhile /validate (warm and first-sight) and /health are timed.

    The row's seconds are the slowest of those calls, its window (for the /health monitor) the
    stall itself; the blocked write's own 2 s are not the row's figure, but it must answer 201
    after waiting (else the stall was not set up and the row fails).
    """
    holder = sqlite3.connect(db, timeout=30, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    locked_at = time.monotonic()
    write: dict[str, float] = {}

    def blocked_write() -> None:
        started = time.monotonic()
        body = msgspec.json.encode({"key": "lockedWrite"})
        write["status"] = server.request("POST", "/event-types", body, JSON)[0]
        write["seconds"] = time.monotonic() - started

    writer = threading.Thread(target=blocked_write, daemon=True)
    writer.start()
    time.sleep(0.2)  # the write now waits inside BEGIN IMMEDIATE, holding the store's lock
    window_start = time.monotonic()
    worst, statuses = 0.0, set()
    calls = [
        lambda: validate(server, {"eventTypeKey": "orderCreated", "keyValue": "k"}),
        lambda: validate(server, {"eventTypeKey": "stallCold", "keyValue": "k"}),  # first sight
        lambda: server.request("GET", "/health"),
    ]
    while time.monotonic() - locked_at < 1.8:
        for call in calls:
            started = time.perf_counter()
            statuses.add(call()[0])
            worst = max(worst, time.perf_counter() - started)
        time.sleep(0.02)
    window_end = time.monotonic()
    holder.execute("COMMIT")
    holder.close()
    writer.join(timeout=40)
    waited = write.get("seconds", 0.0) >= 1.5 and write.get("status") == 201
    status = max(statuses) if waited and len(statuses) == 1 else 0
    note = (
        f"slowest /validate or /health {worst * 1000:.0f} ms while a write waited "
        f"{write.get('seconds', 0):.1f} s for the lock (answered {write.get('status')})"
    )
    return status, 200, note, worst, (window_start, window_end)


def r_half_open(server: Server) -> Row:
    """2,000 half-open requests against the default cap of 1,000 connections per worker.

    Decided: beyond the cap a connection gets a clean 503 ``too_many_connections`` at once (a
    new /health connection too, while the cap is full: that is the cap working, answered in
    well under 50 ms), connections already open (the monitor's) keep answering < 50 ms, and the
    header timeout answers 408 ``request_timeout`` to every held one and closes it; after that
    a new connection gets 200 again. Seconds: how late the last 408 came after the timeout.
    """
    sockets = []
    started = time.monotonic()
    for _ in range(2000):
        s = socket.create_connection(("127.0.0.1", server.port), timeout=5)
        s.sendall(b"POST /validate HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n")
        sockets.append(s)
    time.sleep(0.2)
    probe_started = time.perf_counter()
    full_status, full_body = server.request("GET", "/health")
    probe_ms = (time.perf_counter() - probe_started) * 1000
    window_end = time.monotonic()
    answers = [_read_until_closed(s, deadline=started + HEADER_TIMEOUT + 10) for s in sockets]
    last_close = time.monotonic()
    for s in sockets:
        s.close()
    refused = sum(a.startswith(b"HTTP/1.1 503") and b"too_many_connections" in a for a in answers)
    timed_out = sum(a.startswith(b"HTTP/1.1 408") and b"request_timeout" in a for a in answers)
    after = server.request("GET", "/health")[0]
    clean = (
        refused + timed_out == len(sockets)
        and full_status == 503
        and _code(full_body) == "too_many_connections"
        and after == 200
    )
    late = max(0.0, last_close - started - HEADER_TIMEOUT)
    note = (
        f"{refused} x 503 too_many_connections at once, {timed_out} x 408 after the "
        f"{HEADER_TIMEOUT:g} s header timeout; new /health while full: {full_status} in "
        f"{probe_ms:.0f} ms; after: {after}"
    )
    return (200 if clean else 0), 200, note, late, (started, window_end)


def _read_until_closed(sock: socket.socket, *, deadline: float) -> bytes:
    """Everything the server sends on ``sock`` until it closes it (or ``deadline`` passes)."""
    data = b""
    while time.monotonic() < deadline:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            break
        except OSError:  # reset: the cap closed it before we read
            return data or b"HTTP/1.1 503 (reset)"
        if not chunk:
            break
        data += chunk
    return data


def r_idle(server: Server) -> Row:
    """No reproducer: the /health latency the loaded machine itself gives (a baseline)."""
    start = time.monotonic()
    time.sleep(1.0)
    return 200, 200, "nothing running: the machine's own /health noise", 0.0, (start, start + 1)


def r_writers(server: Server) -> Row:
    server.request("POST", "/event-types", msgspec.json.encode({"key": "raced"}), JSON)
    server.request(
        "PUT", "/event-types/raced/config",
        msgspec.json.encode({"compatibility": "NONE"}), JSON,
    )  # fmt: skip

    def one(i: int) -> int:
        schema = {"type": "object", "properties": {f"f{i}": {"type": "string"}}}
        return register(server, "raced", schema)[0]

    with ThreadPoolExecutor(16) as pool:
        statuses = list(pool.map(one, range(16)))
    conflicts = statuses.count(409)
    worst = max(statuses)
    return (409 if conflicts else worst), 201, f"{conflicts} x 409 of 16: {sorted(statuses)}"


def _code(body: bytes) -> str:
    with contextlib.suppress(msgspec.DecodeError):
        decoded = msgspec.json.decode(body)
        if isinstance(decoded, dict):
            return str(decoded.get("code"))
    return body[:80].decode(errors="replace")


# -- setup --------------------------------------------------------------------------------


def seed(db: Path) -> None:
    """Types the reproducers need, written straight into the database before the server starts.

    ``legacy`` is a version stored over today's cost budget (as before the budget existed).
    """
    from registry.core import canonical
    from registry.core.model import EventType
    from registry.store.sqlite import SqliteStore

    store = SqliteStore(db)
    now = "2026-01-01T00:00:00Z"
    wide = {"type": "object", "properties": {f"p{i:04}": {"type": "string"} for i in range(7500)}}
    schemas = {
        "orderCreated": {"type": "object"},
        "stallCold": {"type": "object", "properties": {"a": {"type": "string"}}},
        "manyErrors": {"type": "object", "properties": {"xs": {"items": {"type": "string"}}}},
        "legacy": fan_out(14, "allOf"),
        "wide": wide,
        "deep": {"type": "object", "properties": {"items": {"type": "array"}}},
    }
    for key, schema in schemas.items():
        store.create_event_type(event_type=EventType(key=key, created_at=now, updated_at=now))
        store.add_version(
            key=key, schema=schema, fingerprint=canonical.fingerprint(schema), params=None,
            created_at=now,
        )  # fmt: skip
    for i in range(3000):
        key = f"type{i:04}"
        store.create_event_type(event_type=EventType(key=key, created_at=now, updated_at=now))
    store.close()


def reproducers(db: Path) -> dict[str, Callable[[Server], Row]]:
    return {
        "ref oneOf fan-out (20 levels)": r_one_of,
        "ref allOf fan-out (28 levels)": r_all_of,
        "many errors (4,000 invalid items)": r_many_errors,
        "idle baseline (nothing running)": r_idle,
        "stored over-budget version": r_legacy,
        "7,500 props + 1,000 unknown params (first sight: compiles)": r_wide,
        "7,500 props + 1,000 unknown params (warm)": r_wide,
        "3,000 types + 2,000 unknown-type batch": r_unknown_types,
        "32 MiB of commas in a string": r_commas,
        "63 MiB NDJSON line, no newline": r_long_line,
        "deep JSON-in-string": r_deep_string,
        "GET /schemas/9223372036854775808": r_overflow_id,
        "2 s write-lock stall": lambda s: r_write_lock(s, db),
        "2,000 half-open connections": r_half_open,
        "16 concurrent writers": r_writers,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description="Fire issue 11's reproducers at a real server.")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--only", nargs="*", help="substrings of reproducer names to run")
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(max(soft, 8192), hard), hard))
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "hostile.db"
        seed(db)
        server = Server(db, args.workers)
        failed = 0
        try:
            monitor = Monitor(server)
            print(
                f"server pid {server.proc.pid} on 127.0.0.1:{server.port}, {args.workers} worker(s)"
            )
            print("| reproducer | status | seconds | RSS growth MB | max /health ms | ok | note |")
            print("|---|---|---|---|---|---|---|")
            for name, run in reproducers(db).items():
                if args.only and not any(o in name for o in args.only):
                    continue
                failed += not _measure(server, monitor, name, run)
            monitor.stop()
        finally:
            server.stop()
    print(
        f"\n{failed} reproducer(s) missed the bounds"
        if failed
        else "\nall reproducers within bounds"
    )
    return 1 if failed else 0


def _measure(server: Server, monitor: Monitor, name: str, run: Callable[[Server], Row]) -> bool:
    time.sleep(0.3)  # let the previous reproducer's effects settle
    before = server.rss_mb()
    start = time.monotonic()
    try:
        row = run(server)
    except (OSError, http.client.HTTPException, msgspec.DecodeError, KeyError) as exc:
        row = (0, 1, f"{type(exc).__name__}: {exc}")
    end = time.monotonic()
    status, expected, note = row[:3]
    seconds, (start, end) = (row[3], row[4]) if len(row) == 5 else (end - start, (start, end))
    time.sleep(0.05)
    health, peak = monitor.window(start, end)
    growth = max(0.0, peak - before)
    ok = (
        status == expected
        and seconds < LIMIT_SECONDS
        and growth < LIMIT_RSS_MB
        and health < LIMIT_HEALTH_MS
    )
    print(
        f"| {name} | {status} (want {expected}) | {seconds:.2f} | {growth:.1f} | {health:.1f} | "
        f"{'yes' if ok else 'NO'} | {note} |",
        flush=True,
    )
    return ok


if __name__ == "__main__":
    raise SystemExit(main())
