"""Against a real ``serve`` process: read timeouts and the connection cap (raw sockets), the hot
path while a write waits for the database lock, and 16 concurrent writers on one type.
"""

from __future__ import annotations

import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.live import LiveServer, live_server

pytestmark = pytest.mark.slow
TIMEOUT = 1.0  # header and body timeout of the guarded server
CAP = 12  # its connection cap
HOLD_SECONDS = 2.0
RESET = b"RESET"
SCHEMA = {"type": "object", "properties": {"orderId": {"type": "string"}}}


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(
        tmp_path_factory.mktemp("guarded"),
        header_timeout_seconds=str(TIMEOUT),
        body_timeout_seconds=str(TIMEOUT),
        max_connections=str(CAP),
    ) as server:
        yield server


def connect(server: LiveServer) -> socket.socket:
    return socket.create_connection((server.host, server.port), timeout=10)


def read_until_closed(sock: socket.socket) -> bytes:
    """Everything the server sent before closing (``RESET`` if it reset the connection first:
    closing a socket with unread request bytes does that)."""
    received = b""
    try:
        while chunk := sock.recv(65536):
            received += chunk
    except ConnectionResetError:
        return received or RESET
    return received


def test_half_sent_headers_are_answered_408_and_closed_after_the_timeout(
    guarded: LiveServer,
) -> None:
    with connect(guarded) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        started = time.monotonic()
        answer = read_until_closed(sock)
        elapsed = time.monotonic() - started
    assert TIMEOUT * 0.9 <= elapsed < TIMEOUT + 1.5, elapsed
    assert answer.startswith(b"HTTP/1.1 408 Request Timeout\r\n")
    assert b"content-type: application/problem+json" in answer
    assert b'"code":"request_timeout"' in answer


def test_a_silent_connection_is_closed_after_the_header_timeout(guarded: LiveServer) -> None:
    with connect(guarded) as sock:
        started = time.monotonic()
        answer = read_until_closed(sock)
        elapsed = time.monotonic() - started
    assert TIMEOUT * 0.9 <= elapsed < TIMEOUT + 1.5, elapsed
    assert answer.startswith(b"HTTP/1.1 408 ")


def test_a_stalled_body_is_closed_after_the_body_timeout(guarded: LiveServer) -> None:
    with connect(guarded) as sock:
        sock.sendall(
            b"POST /validate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b'Content-Length: 200\r\n\r\n{"eventTypeKey":'
        )
        started = time.monotonic()
        answer = read_until_closed(sock)
        elapsed = time.monotonic() - started
    assert TIMEOUT * 0.9 <= elapsed < TIMEOUT + 1.5, elapsed
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert b"request body" in answer


def test_a_body_that_keeps_flowing_is_not_cut_off(guarded: LiveServer) -> None:
    """The body timeout is between two reads, so a slow but steady client gets through."""
    body = b'{"eventTypeKey":"nobody","params":{}}'
    with connect(guarded) as sock:
        sock.sendall(
            b"POST /validate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Connection: close\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n"
        )
        for start in range(0, len(body), 8):  # about 2.5 timeouts in all
            time.sleep(TIMEOUT / 2)
            sock.sendall(body[start : start + 8])
        answer = read_until_closed(sock)
    assert answer.startswith(b"HTTP/1.1 200 OK\r\n"), answer[:200]


def test_connections_beyond_the_cap_are_refused_and_slowloris_drains(guarded: LiveServer) -> None:
    """2x the cap of half-open requests: the excess gets 503 at once, the rest 408 after the
    header timeout, and then the server answers normally."""
    socks = [connect(guarded) for _ in range(2 * CAP)]
    try:
        for sock in socks:
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        started = time.monotonic()
        answers = [read_until_closed(sock) for sock in socks]
        elapsed = time.monotonic() - started
    finally:
        for sock in socks:
            sock.close()
    statuses = [answer[:12] for answer in answers]
    refused = statuses.count(b"HTTP/1.1 503") + statuses.count(RESET)
    timed_out = statuses.count(b"HTTP/1.1 408")
    assert refused + timed_out == 2 * CAP, statuses
    assert refused >= CAP, statuses  # never more than the cap open at once
    assert b"HTTP/1.1 503" in statuses, statuses
    assert all(b'"code":"too_many_connections"' in a for a in answers if a[9:12] == b"503")
    assert elapsed < TIMEOUT + 2.0, elapsed
    assert httpx.get(f"{guarded.url}/health", timeout=5).status_code == 200


def hold_write_lock(db: Path, seconds: float, locked: threading.Event) -> None:
    """Another process's connection holds the database's write lock."""
    conn = sqlite3.connect(str(db), isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    locked.set()
    time.sleep(seconds)
    conn.execute("COMMIT")
    conn.close()


def test_validate_and_health_stay_fast_while_a_write_waits_for_the_lock(
    guarded: LiveServer,
) -> None:
    with httpx.Client(base_url=guarded.url, timeout=30) as api:
        for key in ("stallWarm", "stallCold"):
            assert api.post("/event-types", json={"key": key}).status_code == 201
            assert api.post(f"/event-types/{key}/versions", json={"schema": SCHEMA}).status_code
        event = {
            "eventTypeKey": "stallWarm",
            "keyValue": "c-1",
            "params": [{"name": "orderId", "value": "1"}],
        }
        assert api.post("/validate", json=event).json()["valid"] is True

        locked = threading.Event()
        blocker = threading.Thread(target=hold_write_lock, args=(guarded.db, HOLD_SECONDS, locked))
        blocker.start()
        locked.wait()
        write: dict[str, float | int] = {}

        def blocked_write() -> None:
            started = time.monotonic()
            with httpx.Client(base_url=guarded.url, timeout=30) as writer:
                write["status"] = writer.post("/event-types", json={"key": "stallNew"}).status_code
            write["seconds"] = time.monotonic() - started

        writer = threading.Thread(target=blocked_write)
        writer.start()
        time.sleep(0.3)  # the write now waits inside BEGIN IMMEDIATE, holding the store's lock
        latencies: dict[str, list[float]] = {"validate": [], "validate_cold": [], "health": []}
        cold = {"eventTypeKey": "stallCold", "keyValue": "c-2", "params": {"orderId": "2"}}
        while blocker.is_alive() and len(latencies["health"]) < 20:
            for name, call in (
                ("validate", lambda: api.post("/validate", json=event)),
                ("validate_cold", lambda: api.post("/validate", json=cold)),
                ("health", lambda: api.get("/health")),
            ):
                started = time.perf_counter()
                response = call()
                latencies[name].append(time.perf_counter() - started)
                assert response.status_code == 200
            time.sleep(0.02)
        blocker.join()
        writer.join()
    print({name: f"max {max(v) * 1000:.1f} ms over {len(v)}" for name, v in latencies.items()})
    assert write["status"] == 201
    assert write["seconds"] >= HOLD_SECONDS - 0.5  # it really waited for the lock
    assert max(max(v) for v in latencies.values()) < 0.05, latencies
    assert all(len(v) >= 5 for v in latencies.values()), latencies


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("workers"), workers=2) as server:
        yield server


def concurrently(server: LiveServer, bodies: list[dict]) -> list[httpx.Response]:
    barrier = threading.Barrier(len(bodies))
    responses: list[httpx.Response | None] = [None] * len(bodies)

    def register(i: int) -> None:
        with httpx.Client(base_url=server.url, timeout=60) as client:
            client.get("/health")  # connect first, so the posts start together
            barrier.wait()
            responses[i] = client.post("/event-types/racy/versions", json=bodies[i])

    threads = [threading.Thread(target=register, args=(i,)) for i in range(len(bodies))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [r for r in responses if r is not None]


def test_sixteen_writers_on_one_type_across_two_workers(two_workers: LiveServer) -> None:
    with httpx.Client(base_url=two_workers.url, timeout=30) as api:
        assert api.post("/event-types", json={"key": "racy"}).status_code == 201
        assert api.put("/event-types/racy/config", json={"compatibility": "NONE"}).is_success
    different = [{"schema": {"type": "object", "maxProperties": i}} for i in range(16)]
    responses = concurrently(two_workers, different)
    assert [r.status_code for r in responses] == [201] * 16, [r.text for r in responses]
    assert sorted(r.json()["version"] for r in responses) == list(range(1, 17))

    identical = [{"schema": {"type": "object", "title": "same"}}] * 16
    responses = concurrently(two_workers, identical)
    assert sorted(r.status_code for r in responses) == [200] * 15 + [201]
    assert {r.json()["version"] for r in responses} == {17}
    with httpx.Client(base_url=two_workers.url, timeout=30) as api:
        versions = api.get("/event-types/racy/versions").json()["versions"]
    assert [v["version"] for v in versions] == list(range(1, 18))
