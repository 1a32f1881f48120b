"""Two ``event-registry serve`` replicas on one PostgreSQL database (issue 13, item 2).

8 concurrent writers spread over both register versions of one type (compatibility NONE): every
acknowledged version is present on both, numbered 1..n without gaps or duplicates, holding the
content it was acknowledged with; a write on one replica shows on the other one's ``latest``,
``/validate`` and ``/bundle`` within the documented bound.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx
import pytest

from registry.store.postgres.connections import PROPAGATION_SECONDS
from tests.postgres_server import PostgresServer
from tests.replicas import create_type, params_schema, replicas

pytestmark = pytest.mark.slow  # real server processes; `-m "not slow"` leaves them out

WRITERS = 8
PER_WRITER = 5


def test_eight_writers_over_two_replicas_never_skip_or_duplicate_a_version(
    pg_server: PostgresServer, tmp_path: Path
) -> None:
    with replicas(pg_server.fresh_database(), tmp_path, 2) as (a, b):
        create_type(a.url, "orderCreated")
        acked: list[tuple[int, str]] = []
        failures: list[str] = []
        barrier = threading.Barrier(WRITERS)

        def write(w: int) -> None:
            barrier.wait()
            for i in range(PER_WRITER):
                url = (a, b)[(w + i) % 2].url  # each writer alternates between the replicas
                r = httpx.post(
                    f"{url}/event-types/orderCreated/versions",
                    json=params_schema(f"w{w}_{i}"),
                    timeout=60,
                )
                if r.status_code == 201:
                    acked.append((r.json()["version"], r.json()["fingerprint"]))
                else:
                    failures.append(f"{r.status_code} {r.text[:200]}")

        threads = [threading.Thread(target=write, args=(w,)) for w in range(WRITERS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert failures == []
        assert len(acked) == WRITERS * PER_WRITER
        assert sorted(v for v, _ in acked) == list(range(1, WRITERS * PER_WRITER + 1))
        for replica in (a, b):
            listed = httpx.get(f"{replica.url}/event-types/orderCreated/versions", timeout=30)
            stored = {(v["version"], v["fingerprint"]) for v in listed.json()["versions"]}
            assert stored == set(acked)


def _seen_within(deadline: float, probe) -> float:  # type: ignore[no-untyped-def]
    """Seconds until ``probe()`` holds, polling; fails past ``deadline`` seconds."""
    start = time.monotonic()
    while not probe():
        if time.monotonic() - start > deadline:
            pytest.fail(f"not seen on the other replica within {deadline} s")
        time.sleep(0.005)
    return time.monotonic() - start


def test_a_write_on_one_replica_is_read_on_the_other_within_the_bound(
    pg_server: PostgresServer, tmp_path: Path
) -> None:
    with replicas(pg_server.fresh_database(), tmp_path, 2) as (a, b):
        create_type(a.url, "orderCreated")
        with (
            httpx.Client(base_url=a.url, timeout=30) as on_a,
            httpx.Client(base_url=b.url, timeout=30) as on_b,
        ):
            event = {"eventTypeKey": "orderCreated", "params": [{"name": "x", "value": "1"}]}
            for n in range(1, 4):
                on_b.post("/validate", json=event)  # B's caches hold version n - 1 (or none)
                on_b.get("/bundle")
                r = on_a.post("/event-types/orderCreated/versions", json=params_schema(f"p{n}"))
                assert r.status_code == 201
                assert r.json()["version"] == n

                def latest(n: int = n) -> bool:
                    got = on_b.get("/event-types/orderCreated/versions/latest")
                    return got.status_code == 200 and got.json()["version"] == n

                def validated(n: int = n) -> bool:
                    return on_b.post("/validate", json=event).json().get("version") == n

                def bundled(n: int = n) -> bool:
                    types = on_b.get("/bundle").json()["eventTypes"]
                    return types.get("orderCreated", {}).get("version") == n

                for probe in (latest, validated, bundled):
                    assert _seen_within(PROPAGATION_SECONDS, probe) <= PROPAGATION_SECONDS
