"""End to end with auth on: a real ``serve`` with two worker processes on 127.0.0.1.

Runs the README's Security how-to (its ``event-registry tokens`` and ``curl`` lines), revokes a
token and checks that both workers refuse it within the documented second, checks the Host
allow-list of the served app, and proves the admin token is in no worker's environment and in
no line the server printed.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from registry.cli import main
from registry.core.tokens import REVOCATION_SECONDS
from tests.test_e2e_server import ROOT, free_port

README = (ROOT / "README.md").read_text(encoding="utf-8")
ADMIN_SECRET = "env-admin-secret-0123456789abcdef"
STARTUP_SECONDS = 60  # two workers on a loaded 2-core machine


def wait_for_health(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    pytest.fail(f"server did not answer /health within {STARTUP_SECONDS} s")


def how_to() -> list[str]:
    section = README.split("\n## Security\n", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    return block.replace("\\\n", " ").splitlines()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path, subprocess.Popen[bytes]]]:
    port, db = free_port(), tmp_path / "auth.db"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "EVENT_REGISTRY_LOG_LEVEL": "info",
        "EVENT_REGISTRY_ADMIN_TOKEN": ADMIN_SECRET,
        "EVENT_REGISTRY_SEED_CATALOG": "false",
    }
    log = tmp_path / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "registry",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--db",
                str(db),
                "--auth",
                "on",
                "--workers",
                "2",
            ],
            cwd=tmp_path,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(url, process, log)
        yield url, db, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        text = log.read_text(encoding="utf-8", errors="replace")
        assert ADMIN_SECRET not in text


def cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_the_readme_how_to_against_a_real_server(
    server: tuple[str, Path, subprocess.Popen[bytes]],
) -> None:
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed: the README how-to has curl lines")
    url, db, _ = server
    secrets: dict[str, str] = {}
    ran = []
    for line in how_to():
        command = line.split("  #", 1)[0].strip()
        if command.startswith("event-registry tokens create"):
            args = shlex.split(command)[1:]
            if "--db" not in args:
                args += ["--db", str(db)]
            args[args.index("--db") + 1] = str(db)
            out = cli(*args).strip()
            if "--format" in args:
                assert out.startswith('{"token":"er_')
                secrets["ID"] = json.loads(out)["info"]["id"]
            else:
                secrets["ADMIN"] = secrets["TOKEN"] = out.splitlines()[0]
        elif command.startswith("event-registry tokens list"):
            assert "bootstrap" in cli("tokens", "list", "--db", str(db))
        elif command.startswith("event-registry tokens revoke"):
            assert cli("tokens", "revoke", secrets["ID"], "--db", str(db)).startswith("revoked")
        elif command.startswith("curl"):
            shell = command.replace("localhost:8080", url.removeprefix("http://"))
            done = subprocess.run(
                ["bash", "-c", shell + " -w '%{http_code}'"],
                check=False,
                env={**os.environ, **secrets},
                capture_output=True,
                text=True,
                timeout=30,
            )
            assert done.stdout[-3:] == ("201" if "-d " in shell else "200"), (shell, done.stdout)
        else:
            continue
        ran.append(command.split()[0:3])
    assert len(ran) == 6
    assert secrets["ADMIN"].startswith("er_")


def test_revocation_reaches_every_worker_within_a_second(
    server: tuple[str, Path, subprocess.Popen[bytes]],
) -> None:
    url, _, _ = server
    admin = {"Authorization": f"Bearer {ADMIN_SECRET}"}
    with httpx.Client(base_url=url, timeout=10) as http:
        issued = http.post("/tokens", json={"name": "ci", "scope": "read"}, headers=admin).json()
        token = {"Authorization": f"Bearer {issued['token']}"}
        # new connections spread over both workers; each caches its verdict
        for _ in range(20):
            with httpx.Client(base_url=url, timeout=10) as fresh:
                assert fresh.get("/event-types", headers=token).status_code == 200
        assert http.delete(f"/tokens/{issued['info']['id']}", headers=admin).status_code == 200
        time.sleep(REVOCATION_SECONDS)
        for _ in range(20):
            with httpx.Client(base_url=url, timeout=10) as fresh:
                r = fresh.get("/event-types", headers=token)
                assert (r.status_code, r.json()["code"]) == (401, "invalid_token")


def test_the_served_app_refuses_a_foreign_host_header(
    server: tuple[str, Path, subprocess.Popen[bytes]],
) -> None:
    url, _, _ = server
    r = httpx.get(f"{url}/health", headers={"Host": "rebind.attacker.example"}, timeout=10)
    assert (r.status_code, r.json()["code"]) == (400, "host_not_allowed")
    assert httpx.get(f"{url}/health", timeout=10).json()["auth"] == "on"


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc (Linux)")
def test_no_worker_holds_the_admin_token_in_its_environment(
    server: tuple[str, Path, subprocess.Popen[bytes]],
) -> None:
    _, _, process = server
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
    assert len(children) >= 2  # two workers (plus, maybe, a resource tracker)
    for pid in [str(process.pid), *children]:
        environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        worker_env = dict(e.decode().partition("=")[::2] for e in environ if b"=" in e)
        if pid != str(process.pid):
            assert ADMIN_SECRET not in "".join(f"{k}={v}" for k, v in worker_env.items())
            assert re.fullmatch(r"[0-9a-f]{64}", worker_env["EVENT_REGISTRY_ADMIN_TOKEN_SHA256"])
