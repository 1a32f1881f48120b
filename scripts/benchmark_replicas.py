"""Benchmark replicas (not a test; numbers depend on the machine), issue 13.

Measures, on one machine, with ``event-registry serve`` processes (1 uvicorn worker each):
  1. POST /validate (4 keep-alive clients in all, spread over the replicas) and
     POST /validate/batch (10,000 NDJSON events per replica, the replicas at once) on
     SQLite (1 process), PostgreSQL with 1 replica and PostgreSQL with 2 replicas;
  2. the propagation delay: a version registered on replica A, until replica B's /validate
     reports it (and B's ``latest``), over 20 registrations: median and maximum.

PostgreSQL: a throwaway server started like the tests do (tests/postgres_server.py; needs
PostgreSQL's binaries, e.g. the Debian package postgresql-15), a fresh database per setup.

Run:  pip install -e '.[test]' && python scripts/benchmark_replicas.py [--quick]
Everything binds 127.0.0.1; every load loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import msgspec

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

from bench_load import batch_rate, http_request, load  # noqa: E402
from bench_workload import SCHEMA, order_event  # noqa: E402

from tests.replicas import Replica  # noqa: E402

KEY = "orderCreated"


def prepare(url: str) -> None:
    with httpx.Client(base_url=url, timeout=60) as client:
        assert client.post("/event-types", json={"key": KEY}).status_code == 201
        client.put(f"/event-types/{KEY}/config", json={"compatibility": "NONE"})
        assert client.post(f"/event-types/{KEY}/versions", json={"schema": SCHEMA}).is_success


async def throughput(ports: list[int], quick: bool) -> dict[str, float]:
    raw = msgspec.json.encode(order_event(3))
    per_client = 500 if quick else 2_500
    clients = 4 // len(ports)
    runs = [http_request(p, "/validate", raw) for p in ports]
    await asyncio.gather(
        *(load(p, r, clients=clients, per_client=200) for p, r in zip(ports, runs, strict=True))
    )
    start = time.perf_counter()
    results = await asyncio.gather(
        *(
            load(p, r, clients=clients, per_client=per_client)
            for p, r in zip(ports, runs, strict=True)
        )
    )
    elapsed = time.perf_counter() - start
    events = 2_000 if quick else 10_000
    start = time.perf_counter()
    await asyncio.gather(*(batch_rate(p, raw, events) for p in ports))
    batch_elapsed = time.perf_counter() - start  # three batches per replica, at once
    return {
        "rps": per_client * clients * len(ports) / elapsed,
        "p99_ms": max(r["p99_ms"] for r in results),
        "batch": 3 * events * len(ports) / batch_elapsed,
    }


def propagation(a: str, b: str, rounds: int) -> dict[str, float]:
    """Seconds from A's 201 to B's /validate (and B's latest) reporting the new version."""
    event = order_event(3)
    seen_validate: list[float] = []
    seen_latest: list[float] = []
    with httpx.Client(base_url=a, timeout=60) as on_a, httpx.Client(base_url=b, timeout=60) as on_b:
        for n in range(rounds):
            on_b.post("/validate", json=event)  # B's caches are warm
            schema = {**SCHEMA, "title": f"round {n}"}
            r = on_a.post(f"/event-types/{KEY}/versions", json={"schema": schema})
            version = r.json()["version"]
            acked = time.perf_counter()
            latest = on_b.get(f"/event-types/{KEY}/versions/latest").json()["version"]
            seen_latest.append(time.perf_counter() - acked if latest == version else float("nan"))
            while on_b.post("/validate", json=event).json().get("version") != version:
                if time.perf_counter() - acked > 30:
                    raise RuntimeError("replica B never saw the new version")
            seen_validate.append(time.perf_counter() - acked)
    return {
        "validate_p50_ms": statistics.median(seen_validate) * 1e3,
        "validate_max_ms": max(seen_validate) * 1e3,
        "latest_max_ms": max(seen_latest) * 1e3,
    }


def measure(db: str, folder: Path, count: int, quick: bool) -> tuple[dict[str, float], Any]:
    started = [Replica(db, folder, f"bench-{count}-{n}") for n in range(count)]
    try:
        prepare(started[0].url)
        figures = asyncio.run(throughput([r.port for r in started], quick))
        moved = (
            propagation(started[0].url, started[1].url, 10 if quick else 20) if count > 1 else None
        )
        return figures, moved
    finally:
        for replica in started:
            replica.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark SQLite and PostgreSQL replicas.")
    parser.add_argument("--quick", action="store_true", help="fewer iterations")
    args = parser.parse_args()
    from tests.postgres_server import start_server

    server = start_server()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            rows = [("SQLite, 1 process", *measure(str(folder / "r.db"), folder, 1, args.quick))]
            for count in (1, 2):
                db = server.fresh_database()
                label = f"PostgreSQL, {count} replica{'s' if count > 1 else ''}"
                rows.append((label, *measure(db, folder, count, args.quick)))
    finally:
        server.close()
    print("\n## Replicas (serve processes of 1 worker, 4 keep-alive clients in all)\n")
    print("| store | POST /validate requests/s | p99 ms | /validate/batch events/s |")
    print("|---|---|---|---|")
    for label, figures, _ in rows:
        print(
            f"| {label} | {figures['rps']:,.0f} | {figures['p99_ms']:.2f} "
            f"| {figures['batch']:,.0f} |"
        )
    for label, _, moved in rows:
        if moved:
            print(
                f"\n{label}: a version registered on A is reported by B's /validate after "
                f"{moved['validate_p50_ms']:.1f} ms (median), {moved['validate_max_ms']:.1f} ms "
                f"(max); B's `latest` has it at once (first read {moved['latest_max_ms']:.1f} ms "
                "at most)."
            )


if __name__ == "__main__":
    main()
