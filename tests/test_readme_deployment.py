"""The README's Deployment section, run as written.

Every ``sh`` block of "## Deployment" runs in bash, in order, in the folder of an
``event-registry serve`` started there as the Quickstart says (seeded catalog, default db file),
with ``BASE`` pointing at it. A ``json`` block right after a block is its output, member by
member (``"…"`` is any value); a ``text`` block lists lines of the output (a trailing ``…``
matches the rest of the line). The log-line example and the probe configuration are checked
against the code.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from registry.logs import ACCESS_LOGGER, JsonFormatter, request_line
from registry.settings import Settings
from tests.live import LiveServer, free_port
from tests.live import _wait_for_health as wait_for_health

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
ANY = "…"

pytestmark = pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")


def blocks() -> list[tuple[str, str]]:
    start = README.index("\n## Deployment\n")
    section = README[start : README.index("\n## ", start + 1)]
    return [(m.group(1), m.group(2)) for m in FENCE.finditer(section)]


def matches(expected: Any, got: Any) -> bool:
    if expected == ANY:
        return True
    if isinstance(expected, dict):
        return isinstance(got, dict) and all(
            k in got and matches(v, got[k]) for k, v in expected.items()
        )
    return bool(expected == got)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """``event-registry serve --port P`` in an empty folder: the default database file there."""
    folder = tmp_path_factory.mktemp("deployment")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("EVENT_REGISTRY_")}
    log = folder / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "registry", "serve", "--port", str(port)],
            cwd=folder,
            env={**env, "PYTHONPATH": str(ROOT), "EVENT_REGISTRY_LOG_LEVEL": "warning"},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    running = LiveServer(
        url=f"http://127.0.0.1:{port}",
        host="127.0.0.1",
        port=port,
        db=folder / "event-registry.db",
        log=log,
    )
    try:
        wait_for_health(running, process)
        yield running
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_every_shell_block_answers_what_the_readme_shows(server: LiveServer) -> None:
    found = blocks()
    ran = 0
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("EVENT_REGISTRY_")}
    for i, (kind, body) in enumerate(found):
        if kind != "sh":
            continue
        done = subprocess.run(
            ["bash", "-c", "set -euo pipefail\n" + body],
            cwd=server.db.parent,
            env={**env, "BASE": server.url, "PATH": path, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, f"{body}\n{done.stdout}\n{done.stderr}"
        ran += 1
        follow_kind, expected = found[i + 1] if i + 1 < len(found) else ("", "")
        output = done.stdout + done.stderr
        if follow_kind == "json":
            assert matches(json.loads(expected), json.loads(done.stdout)), done.stdout
        elif follow_kind == "text":
            for line in expected.strip().splitlines():
                if line.endswith(ANY):
                    assert any(o.startswith(line[:-1]) for o in output.splitlines()), output
                else:
                    assert line in output.splitlines(), output
    assert ran == 3


def test_the_log_line_example_has_exactly_the_members_a_request_line_has() -> None:
    shown = next(
        json.loads(body)
        for kind, body in blocks()
        if kind == "json" and ACCESS_LOGGER in body and "duration_ms" in body
    )
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    log = logging.getLogger("tests.readme.deployment")
    log.setLevel(logging.INFO)
    log.addHandler(Keep())
    log.propagate = False
    request_line(
        log,
        request_id="ci-4711",
        method="POST",
        route="/validate",
        status=200,
        seconds=0.000412,
        actor="ci-bot",
    )
    written = json.loads(JsonFormatter().format(records[0]))
    assert set(written) == set(shown)
    assert written["message"] == shown["message"]
    keep = ("request_id", "method", "route", "status", "duration_ms", "actor", "level")
    assert {k: written[k] for k in keep} == {k: shown[k] for k in keep}


def test_the_probe_configuration_names_the_probes_on_the_default_port() -> None:
    probes = yaml.safe_load(next(body for kind, body in blocks() if kind == "yaml"))
    assert probes["livenessProbe"]["httpGet"] == {"path": "/health/live", "port": Settings().port}
    assert probes["readinessProbe"]["httpGet"] == {
        "path": "/health/ready",
        "port": Settings().port,
    }
