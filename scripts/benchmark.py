"""Benchmark the validation hot path (not a test; numbers depend on the machine).

Measures, in one run on one machine:
  1. in-process: RegistryService.validate (envelope included) on a realistic orderCreated
     (15 params; 3 and 20 line items) against msgspec.json.decode of the same bytes (the floor),
     and a hand-written Python-jsonschema validator (the baseline);
  2. single-event HTTP: POST /validate against a bare litestar echo endpoint on the same server
     (uvicorn, 1 worker), 4 concurrent keep-alive connections: requests/s and p99 latency;
  3. batch over HTTP: POST /validate/batch with 10,000 NDJSON events: events/s, against in-process
     decode-only throughput and the hand-written baseline.

Run:  pip install -e '.[test]' && python scripts/benchmark.py [--quick]
The server binds 127.0.0.1 only; every load loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
import timeit
from typing import Any

import jsonschema
import msgspec

ITEM = {
    "type": "object",
    "required": ["externalItemId", "quantity"],
    "properties": {
        "externalItemId": {"type": "string", "maxLength": 100},
        "name": {"type": "string"},
        "category": {"type": "string"},
        "quantity": {"type": "integer", "minimum": 1},
        "cost": {"type": "number", "minimum": 0},
        "url": {"type": "string", "format": "uri"},
        "imageUrl": {"type": "string", "format": "uri"},
    },
}
SCHEMA = {
    "type": "object",
    "required": ["externalOrderId", "totalCost", "status"],
    "properties": {
        "email": {"type": "string", "format": "email"},
        "externalOrderId": {"type": "string"},
        "externalCustomerId": {"type": "string"},
        "totalCost": {"type": "number", "minimum": 0},
        "status": {"enum": ["INITIALIZED", "IN_PROGRESS", "DELIVERED", "CANCELLED"]},
        "date": {"type": "string", "format": "date-time"},
        "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
        "phone": {"type": "string"},
        "shipping": {"type": "number"},
        "discount": {"type": "number"},
        "taxes": {"type": "number"},
        "deliveryMethod": {"type": "string"},
        "paymentMethod": {"type": "string"},
        "deliveryAddress": {"type": "string"},
        "items": {"type": "array", "items": ITEM, "maxItems": 100},
    },
}


def order_event(items: int) -> dict[str, Any]:
    params = {
        "email": "buyer@example.org",
        "externalOrderId": "SO-5512",
        "externalCustomerId": "c-7f3a91",
        "totalCost": 120.0,
        "status": "INITIALIZED",
        "date": "2024-11-02T09:15:00Z",
        "currency": "USD",
        "phone": "+380501234567",
        "shipping": 5.5,
        "discount": 0,
        "taxes": 12.4,
        "deliveryMethod": "courier",
        "paymentMethod": "card",
        "deliveryAddress": "Kyiv, Main st 1",
        "items": [
            {
                "externalItemId": f"SKU-{i}",
                "name": "Kettle",
                "category": "kitchen",
                "quantity": 2,
                "cost": 60.0,
                "url": f"https://shop.example/sku-{i}",
                "imageUrl": f"https://shop.example/sku-{i}.png",
            }
            for i in range(items)
        ],
    }
    return {
        "eventTypeKey": "orderCreated",
        "keyValue": "buyer@example.org",
        "params": [{"name": k, "value": v} for k, v in params.items()],
    }


def hand_written_validator() -> Any:
    """What a team would write by hand: Python jsonschema on the params turned into an object."""
    validator = jsonschema.Draft202012Validator(
        SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )

    def validate(raw: bytes) -> list[str]:
        event = msgspec.json.decode(raw)
        params = {p["name"]: p.get("value") for p in event["params"]}
        return [e.message for e in validator.iter_errors(params)]

    return validate


def seeded_service() -> Any:
    from registry.core.service import RegistryService
    from registry.store.memory import InMemoryStore

    service = RegistryService(InMemoryStore())
    service.create_event_type(key="orderCreated")
    service.register_version(key="orderCreated", schema=SCHEMA)
    return service


def per_call_us(fn: Any, number: int) -> float:
    return min(timeit.repeat(fn, number=number, repeat=5)) / number * 1e6


def in_process(quick: bool) -> dict[str, float]:
    service, baseline = seeded_service(), hand_written_validator()
    n = 2_000 if quick else 10_000
    out: dict[str, float] = {}
    for items in (3, 20):
        raw = msgspec.json.encode(order_event(items))
        assert service.validate(msgspec.json.decode(raw), body_size=len(raw)).valid
        event = msgspec.json.decode(raw)
        decode = per_call_us(lambda raw=raw: msgspec.json.decode(raw), n)
        ours = per_call_us(lambda e=event, raw=raw: service.validate(e, body_size=len(raw)), n)
        hand = per_call_us(lambda raw=raw: baseline(raw), max(n // 50, 50))
        out |= {f"decode_{items}": decode, f"ours_{items}": ours, f"hand_{items}": hand}
        out[f"bytes_{items}"] = len(raw)
    return out


# -- HTTP ------------------------------------------------------------------------------------


def serve(port: int, db: str, auth: str = "off") -> None:
    """Child process: the registry app plus a bare echo endpoint, one uvicorn worker."""
    import uvicorn
    from litestar import Request, post

    from registry.app import create_app
    from registry.settings import Settings

    @post("/echo", status_code=200)
    async def echo(request: Request[Any, Any, Any]) -> Any:
        return msgspec.json.decode(await request.body())

    app = create_app(Settings(db=db, auth=auth))
    app.register(echo)
    service = app.dependencies["service"].dependency()
    service.create_event_type(key="orderCreated")
    service.register_version(key="orderCreated", schema=SCHEMA)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def one_request(reader: Any, writer: Any, request: bytes) -> bytes:
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return bytes(await reader.readexactly(length))


def http_request(
    port: int, path: str, body: bytes, ctype: str = "application/json", extra: str = ""
) -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: {ctype}\r\n"
        f"{extra}Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body


async def load(port: int, request: bytes, *, clients: int, per_client: int) -> dict[str, float]:
    """`clients` keep-alive connections, each sending `per_client` requests back to back."""
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


async def wait_ready(port: int) -> None:
    for _ in range(200):
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            await asyncio.sleep(0.05)
    raise RuntimeError("server did not start")


async def batch_rate(port: int, raw: bytes, events: int) -> float:
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


def decode_rate(raw: bytes, events: int) -> float:
    lines = b"\n".join([raw] * events).split(b"\n")
    start = time.perf_counter()
    for line in lines:
        msgspec.json.decode(line)
    return events / (time.perf_counter() - start)


async def with_auth(port: int, secret: str, quick: bool) -> dict[str, float]:
    """POST /validate on a server with auth on, each request carrying a validate token."""
    await wait_ready(port)
    raw = msgspec.json.encode(order_event(3))
    validate = http_request(port, "/validate", raw, extra=f"Authorization: Bearer {secret}\r\n")
    await load(port, validate, clients=4, per_client=200)
    return await load(port, validate, clients=4, per_client=500 if quick else 2_500)


def issue_token(db: str) -> str:
    """A validate token in the auth-on server's database (before that server starts)."""
    from registry.core.tokens import TokenService
    from registry.store.tokens_sqlite import SqliteTokenStore

    store = SqliteTokenStore(db)
    try:
        return TokenService(store).create(name="bench", scope="validate", creator="bench").secret
    finally:
        store.close()


async def over_http(port: int, quick: bool) -> dict[str, Any]:
    await wait_ready(port)
    raw = msgspec.json.encode(order_event(3))
    per_client = 500 if quick else 2_500
    echo = http_request(port, "/echo", raw)
    validate = http_request(port, "/validate", raw)
    await load(port, validate, clients=4, per_client=200)  # warm up caches and connections
    await load(port, echo, clients=4, per_client=200)
    events = 2_000 if quick else 10_000
    return {
        "echo": await load(port, echo, clients=4, per_client=per_client),
        "validate": await load(port, validate, clients=4, per_client=per_client),
        "batch_events_per_s": await batch_rate(port, raw, events),
        "decode_events_per_s": decode_rate(raw, events),
    }


def report(local: dict[str, float], http: dict[str, Any]) -> None:
    print("\n## In-process, one valid orderCreated (µs per event, lower is better)\n")
    print(
        "| items | bytes | msgspec decode (floor) | registry validate (envelope included) "
        "| × floor | hand-written jsonschema (decode included) | speed-up vs decode+validate |"
    )
    print("|---|---|---|---|---|---|---|")
    for n in (3, 20):
        d, o, h = local[f"decode_{n}"], local[f"ours_{n}"], local[f"hand_{n}"]
        print(
            f"| {n} | {local[f'bytes_{n}']:.0f} | {d:.1f} | {o:.1f} | {o / d:.2f}× "
            f"| {h:.0f} | {h / (o + d):.0f}× |"
        )
    e, v = http["echo"], http["validate"]
    print("\n## Single event over HTTP (uvicorn, 1 worker, 4 keep-alive clients)\n")
    print("| endpoint | requests/s | p50 ms | p99 ms |")
    print("|---|---|---|---|")
    print(f"| bare echo | {e['rps']:.0f} | {e['p50_ms']:.2f} | {e['p99_ms']:.2f} |")
    print(f"| POST /validate (auth off) | {v['rps']:.0f} | {v['p50_ms']:.2f} | {v['p99_ms']:.2f} |")
    a = http["validate_auth"]
    print(
        f"| POST /validate (auth on, Bearer token) | {a['rps']:.0f} | {a['p50_ms']:.2f} "
        f"| {a['p99_ms']:.2f} |"
    )
    print(f"\n/validate reaches {v['rps'] / e['rps']:.2f}× the echo endpoint's requests/s.")
    print(
        f"With auth on it reaches {a['rps'] / v['rps']:.2f}× its requests/s with auth off "
        f"(p50 {a['p50_ms'] - v['p50_ms']:+.2f} ms)."
    )
    b, dec = http["batch_events_per_s"], http["decode_events_per_s"]
    hand_rate = 1e6 / local["hand_3"]
    print("\n## Batch over HTTP (NDJSON, 3-item orders)\n")
    print("| measure | events/s |")
    print("|---|---|")
    print(f"| POST /validate/batch | {b:,.0f} |")
    print(f"| decode only, in-process | {dec:,.0f} |")
    print(f"| single POST /validate | {v['rps']:,.0f} |")
    print(f"| hand-written jsonschema, in-process | {hand_rate:,.0f} |")
    print(
        f"\nbatch = {b / dec:.2f}× decode-only, {b / v['rps']:.1f}× single requests, "
        f"{b / hand_rate:.0f}× the hand-written baseline."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark the validation hot path.")
    parser.add_argument("--quick", action="store_true", help="fewer iterations")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--auth", default="off", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.db, args.auth)
        return
    local = in_process(args.quick)
    port = free_port()
    db = f"/tmp/event-registry-bench-{os.getpid()}.db"
    server = subprocess.Popen([sys.executable, __file__, "--serve", str(port), "--db", db])
    try:
        http = asyncio.run(over_http(port, args.quick))
    finally:
        server.terminate()
        server.wait(timeout=10)
    auth_port, auth_db = free_port(), db.replace(".db", "-auth.db")
    secret = issue_token(auth_db)
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(auth_port), "--db", auth_db, "--auth", "on"]
    )
    try:
        http["validate_auth"] = asyncio.run(with_auth(auth_port, secret, args.quick))
    finally:
        server.terminate()
        server.wait(timeout=10)
        for path in (db, auth_db):
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(path + suffix):
                    os.remove(path + suffix)
    report(local, http)


if __name__ == "__main__":
    main()
