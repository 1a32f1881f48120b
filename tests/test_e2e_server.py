"""End to end: a real server process, a Yespo-style client, assertions on /inspect by run id.

Starts ``python -m registry serve`` on a free port bound to 127.0.0.1 (which seeds the built-in
catalog), waits for /health with a bounded retry loop and always terminates the process.
No polling for results: each event is committed before its response is sent.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.slow  # a real server process; `-m "not slow"` leaves it out

ROOT = Path(__file__).resolve().parents[1]
STARTUP_SECONDS = 60  # seeding the catalog on a loaded 2-core machine


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def base_url(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "EVENT_REGISTRY_LOG_LEVEL": "warning"}
    log = tmp_path / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "registry", "serve", "--host", "127.0.0.1", "--port", str(port),
             "--db", str(tmp_path / "e2e.db")],
            cwd=tmp_path, env=env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for_health(url, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _wait_for_health(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail(f"server did not answer /health within {STARTUP_SECONDS} s")


def test_a_yespo_client_against_the_real_server(base_url: str) -> None:
    run = f"e2e-{uuid.uuid4().hex[:8]}"
    auth = httpx.BasicAuth("any-user", "api-key-not-checked")
    with httpx.Client(base_url=base_url, auth=auth, headers={"X-Run-Id": run}, timeout=10) as yespo:
        v1 = yespo.post(
            "/api/v1/event",
            json={
                "eventTypeKey": "searchRequest",
                "keyValue": "c-1",
                "params": [
                    {"name": "search", "value": "kettle"},
                    {"name": "isFound", "value": "1"},
                ],
            },
        )
        v2 = yespo.post(
            "/api/v2/event",
            json={
                "eventTypeKey": "orderCreated",
                "keyValue": "buyer@example.org",
                "params": [
                    {"name": "email", "value": "buyer@example.org"},
                    {"name": "externalOrderId", "value": "SO-1"},
                    {"name": "totalCost", "value": 60},
                    {"name": "status", "value": "INITIALIZED"},
                    {"name": "date", "value": "2024-11-02T09:15:00"},
                    {
                        "name": "items",
                        "value": [
                            {
                                "externalItemId": "SKU-1",
                                "name": "Kettle",
                                "category": "kitchen",
                                "quantity": 1,
                                "cost": 60,
                                "url": "https://shop.example/1",
                            }
                        ],
                    },
                ],
            },
        )
        refused = yespo.post(
            "/api/v2/event",
            json={
                "eventTypeKey": "orderCreated",
                "params": [{"name": "email", "value": "buyer@example.org"}],
            },
        )
        past = yespo.post(
            "/api/v2/past_events",
            json={
                "events": [
                    {
                        "eventTypeKey": "searchRequest",
                        "keyValue": "c-1",
                        "occurred": "2023-03-22T14:30",
                        "params": [{"name": "search", "value": "mug"}],
                    },
                    {
                        "eventTypeKey": "searchRequest",
                        "keyValue": "c-1",
                        "occurred": "22.03.2023",
                        "params": [{"name": "search", "value": "mug"}],
                    },
                ]
            },
        )
    assert (v1.status_code, v2.status_code) == (200, 200)
    assert refused.status_code == 400
    assert refused.text.startswith("The event should have the following params: [")
    assert [r["status"] for r in past.json()["results"]] == [
        "ACCEPTED",
        "INCORRECT_OCCURRED_DATE_FORMAT",
    ]

    with httpx.Client(base_url=base_url, timeout=10) as api:
        items = api.get("/inspect/events", params={"runId": run}).json()["items"]
        summary = api.get("/inspect/summary", params={"runId": run}).json()
        other = api.get("/inspect/summary", params={"runId": "someone-else"}).json()
        reset = api.delete("/inspect/events", params={"runId": run}).json()
    assert [i["format"] for i in items] == ["past_events_v2", "past_events_v2", "v2", "v2", "v1"]
    assert [i["valid"] for i in items] == [False, True, False, True, True]
    assert items[2]["payload"]["params"][0]["value"] == "***"  # email masked at rest
    assert summary["total"] == 5
    assert summary["invalid"] == 2
    assert set(summary["byCode"]) >= {"required_missing", "invalid_occurred"}
    assert summary["byEventType"]["orderCreated"] == {
        "total": 2,
        "invalid": 1,
        "lastSeen": summary["byEventType"]["orderCreated"]["lastSeen"],
    }
    assert other["total"] == 0
    assert reset == {"deleted": 5}
