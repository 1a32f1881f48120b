"""Real ``event-registry serve`` processes for the replica and fault tests.

Each replica is ``python -m registry serve`` on a free 127.0.0.1 port, in a session of its own
(so ``kill -9`` reaches it whole), without the catalog (start-up stays short); start-up is
bounded and every replica is killed at the end of the test.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.serving import free_port

ROOT = Path(__file__).resolve().parents[1]
STARTUP_SECONDS = 60  # generous: a loaded 2-core machine


class Replica:
    def __init__(self, db: str, folder: Path, name: str, **env: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = folder / f"{name}.log"
        environ = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "EVENT_REGISTRY_LOG_LEVEL": "warning",
            "EVENT_REGISTRY_SEED_CATALOG": "false",
            **env,
        }
        with self.log.open("wb") as output:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "registry",
                    "serve",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    "--db",
                    db,
                ],
                cwd=folder,
                env=environ,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"replica exited with {self.process.returncode}:\n{self.logged()}")
            try:
                if httpx.get(f"{self.url}/health", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.kill()
        pytest.fail(f"replica did not answer /health within {STARTUP_SECONDS} s:\n{self.logged()}")

    def logged(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def kill(self) -> None:
        """``kill -9`` of the replica's whole process group (uvicorn and any worker)."""
        if self.process.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


@contextmanager
def replicas(db: str, folder: Path, count: int, **env: str) -> Iterator[list[Replica]]:
    started: list[Replica] = []
    try:
        for n in range(count):
            started.append(Replica(db, folder, f"replica-{n}", **env))
        yield started
    finally:
        for replica in started:
            replica.kill()


def params_schema(name: str) -> dict[str, Any]:
    """A registration body whose content differs per ``name``."""
    return {"params": [{"name": name, "type": "string", "required": False}]}


def create_type(url: str, key: str) -> None:
    """An event type at compatibility NONE (every new version is accepted)."""
    with httpx.Client(base_url=url, timeout=30) as client:
        assert client.post("/event-types", json={"key": key}).status_code == 201
        config = client.put(f"/event-types/{key}/config", json={"compatibility": "NONE"})
        assert config.status_code == 200, config.text
