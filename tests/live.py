"""A real ``event-registry serve`` process on 127.0.0.1 for the tests that need one.

Started on a free port with a bounded wait for /health; always terminated (then killed).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[1]
STARTUP_SECONDS = 90
"""A bound, not a wait: start-up takes seconds, but the CI machine runs at load 15+."""


@dataclass(frozen=True)
class LiveServer:
    url: str
    host: str
    port: int
    db: Path | str
    """The SQLite file, or the PostgreSQL URL."""
    log: Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def live_server(
    folder: Path, *, workers: int = 1, seed: bool = False, db: str = "", **settings: str
) -> Iterator[LiveServer]:
    """``settings`` become EVENT_REGISTRY_<NAME> variables (e.g. header_timeout_seconds="1");
    ``db`` a ``postgresql://`` URL instead of the file ``live.db`` in ``folder``."""
    port = free_port()
    database: Path | str = db or folder / "live.db"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "EVENT_REGISTRY_LOG_LEVEL": "warning",
        "EVENT_REGISTRY_SEED_CATALOG": str(seed).lower(),
        **{f"EVENT_REGISTRY_{name.upper()}": value for name, value in settings.items()},
    }
    log = folder / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "registry", "serve", "--host", "127.0.0.1",
             "--port", str(port), "--db", str(database), "--workers", str(workers)],
            cwd=folder, env=env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    server = LiveServer(url=url, host="127.0.0.1", port=port, db=database, log=log)
    try:
        _wait_for_health(server, process)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _wait_for_health(server: LiveServer, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server exited with {process.returncode}:\n{server.log.read_text()}")
        try:
            if httpx.get(f"{server.url}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail(f"server did not answer /health within {STARTUP_SECONDS} s")
