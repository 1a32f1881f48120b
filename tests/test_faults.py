"""Faults (issue 13, item 4): a replica killed mid-load, and PostgreSQL restarted mid-load.

* ``kill -9`` of one of two replicas while writers register versions on both loses no
  acknowledged write, on SQLite (two processes on one file) and on PostgreSQL; repeated.
* PostgreSQL stopped under load: every request answers in bounded time, failures are exactly
  ``503 store_unavailable``; once the server is back the same replica process serves again.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.postgres_server import PostgresServer, start_server
from tests.replicas import Replica, create_type, params_schema, replicas

pytestmark = pytest.mark.slow  # real server processes; `-m "not slow"` leaves them out

WRITERS = 4
ROUNDS = 2
KILL_AFTER = 6
"""Acknowledged writes before one replica is killed (the writers keep going on the other)."""


def _database(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if kind == "postgres":
        server: PostgresServer = request.getfixturevalue("pg_server")
        return server.fresh_database()
    return str(tmp_path / "registry.db")


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_kill_9_of_a_replica_under_writes_loses_no_acknowledged_write(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    db = _database(kind, tmp_path, request)
    for round_ in range(ROUNDS):
        with replicas(db, tmp_path, 2) as (victim, survivor):
            _kill_one_under_load(victim, survivor, f"order{round_}")


def _kill_one_under_load(victim: Replica, survivor: Replica, key: str) -> None:
    create_type(survivor.url, key)
    acked: list[tuple[int, str]] = []
    lock = threading.Lock()
    killed = threading.Event()

    def write(w: int) -> None:
        for i in range(40):
            target = (victim, survivor)[(w + i) % 2]
            try:
                r = httpx.post(
                    f"{target.url}/event-types/{key}/versions",
                    json=params_schema(f"w{w}_{i}"),
                    timeout=60,
                )
            except httpx.TransportError:
                continue  # the killed replica: not acknowledged
            assert r.status_code == 201, r.text
            with lock:
                acked.append((r.json()["version"], r.json()["fingerprint"]))
                if len(acked) >= KILL_AFTER and not killed.is_set():
                    killed.set()
                    victim.kill()
            if killed.is_set() and i >= 12:
                return

    threads = [threading.Thread(target=write, args=(w,)) for w in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=180)
    assert killed.is_set()
    assert victim.process.returncode == -9
    listed = httpx.get(f"{survivor.url}/event-types/{key}/versions", timeout=30)
    stored = [(v["version"], v["fingerprint"]) for v in listed.json()["versions"]]
    assert set(acked) <= set(stored)  # no acknowledged write lost
    numbers = [v for v, _ in stored]
    assert numbers == list(range(1, len(numbers) + 1))  # contiguous, unique
    assert len({fp for _, fp in stored}) == len(stored)
    assert len(acked) > KILL_AFTER  # the survivor kept acknowledging after the kill


@pytest.fixture
def own_server() -> Any:
    """A PostgreSQL server of this test's own: it is stopped and started again."""
    server = start_server()
    yield server
    server.close()


DB_TIMEOUT = 2.0
ANSWER_BOUND = 20.0
"""Longest a request may take during the outage: pool wait + connect (2 s each here), and
margin for a loaded machine; without the bounds a request would hang."""


def test_a_postgres_restart_gives_503_store_unavailable_then_recovers_without_a_restart(
    own_server: PostgresServer, tmp_path: Path
) -> None:
    url = own_server.fresh_database()
    replica = Replica(url, tmp_path, "replica", EVENT_REGISTRY_DB_TIMEOUT=str(DB_TIMEOUT))
    try:
        create_type(replica.url, "orderCreated")
        seen: list[tuple[int, str, float]] = []
        stop = threading.Event()
        event = {"eventTypeKey": "orderCreated", "params": [{"name": "x", "value": "1"}]}

        def load(w: int) -> None:
            n = 0
            with httpx.Client(base_url=replica.url, timeout=60) as client:
                while not stop.is_set():
                    n += 1
                    start = time.monotonic()
                    if n % 2:
                        body = params_schema(f"w{w}_{n}")
                        r = client.post("/event-types/orderCreated/versions", json=body)
                    else:
                        r = client.post("/validate", json=event)
                    code = r.json().get("code", "") if r.status_code >= 400 else ""
                    seen.append((r.status_code, code, time.monotonic() - start))
                    time.sleep(0.05)

        threads = [threading.Thread(target=load, args=(w,)) for w in range(2)]
        for t in threads:
            t.start()
        time.sleep(1.0)
        own_server.stop("fast")
        outage_started = len(seen)
        time.sleep(2 * DB_TIMEOUT + 2)
        failed_during_outage = [s for s in seen[outage_started:] if s[0] >= 400]
        own_server.start()
        back = time.monotonic()
        recovered = None
        while time.monotonic() - back < 60:  # a write and a validation both answer again
            body = params_schema(f"after-{time.monotonic()}")
            wrote = httpx.post(f"{replica.url}/event-types/orderCreated/versions", json=body)
            checked = httpx.post(f"{replica.url}/validate", json=event)
            if (wrote.status_code, checked.status_code) == (201, 200):
                recovered = time.monotonic() - back
                break
            time.sleep(0.2)
        stop.set()
        for t in threads:
            t.join(timeout=60)
        assert recovered is not None, "no write succeeded within 60 s of the server's return"
        assert replica.process.poll() is None  # the same process, never restarted
        assert failed_during_outage, "the outage was not noticed"
        assert {(status, code) for status, code, _ in seen if status >= 300} == {
            (503, "store_unavailable")
        }
        assert {status for status, _, _ in seen} <= {200, 201, 503}
        assert max(took for _, _, took in seen) < ANSWER_BOUND
        after = httpx.post(f"{replica.url}/validate", json=event, timeout=30)
        assert after.status_code == 200
        latest = httpx.get(f"{replica.url}/event-types/orderCreated/versions/latest", timeout=30)
        assert after.json()["version"] == latest.json()["version"]
    finally:
        replica.kill()
