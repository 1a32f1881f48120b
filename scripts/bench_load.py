"""A small asyncio HTTP/1.1 load client for scripts/benchmark_replicas.py (several servers at
once from one process, which wrk cannot aim at together): keep-alive connections sending a
prepared request back to back, and a timed NDJSON batch. Loopback only; every loop is bounded
in count and time."""

from __future__ import annotations

import asyncio
import statistics
import time
from typing import Any

import msgspec


async def one_request(reader: Any, writer: Any, request: bytes) -> bytes:
    """Send one prepared request on a keep-alive connection and read its body."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return bytes(await reader.readexactly(length))


def http_request(port: int, path: str, body: bytes, ctype: str = "application/json") -> bytes:
    """The bytes of one POST, ready to send again and again."""
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: {ctype}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body


async def load(port: int, request: bytes, *, clients: int, per_client: int) -> dict[str, float]:
    """``clients`` keep-alive connections, each sending ``per_client`` requests back to back."""
    latencies: list[float] = []

    async def client() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for _ in range(per_client):
            start = time.perf_counter()
            await one_request(reader, writer, request)
            latencies.append(time.perf_counter() - start)
        writer.close()

    start = time.perf_counter()
    await asyncio.wait_for(asyncio.gather(*(client() for _ in range(clients))), timeout=120)
    elapsed = time.perf_counter() - start
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies) * 1e3,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1e3,
    }


async def batch_rate(port: int, raw: bytes, events: int) -> float:
    """Events per second of the best of three ``events``-line NDJSON batches of ``raw``."""
    batch = b"\n".join([raw] * events)
    request = http_request(port, "/validate/batch?results=invalid", batch, "application/x-ndjson")
    reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=1 << 24)
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        body = await asyncio.wait_for(one_request(reader, writer, request), timeout=120)
        timings.append(time.perf_counter() - start)
        assert msgspec.json.decode(body)["summary"]["valid"] == events
    writer.close()
    return events / min(timings)
