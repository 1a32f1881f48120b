"""The README's curl walk-through, run as written against a server started as the Quickstart says.

Every shell block between "## Walk-through with curl" and the next section ("Many events at
once" included) runs in bash, in order, with ``BASE`` pointing at ``event-registry serve --port
<free port>`` started in a temporary folder (so it seeds the built-in catalog, as a user's
server does). What the README shows is then checked against what really came back:

* ``# -> NNN`` comments in a block: the HTTP status of each ``curl`` call, in order;
* a ``json`` block right after it: the answer, member by member. Members the README leaves out
  are not checked; ``"…"`` stands for any value and ``"abc…"`` for any string starting ``abc``;
  lists are compared element by element and must have the same length;
* a ``text`` block right after it: each line appears in the output (a trailing ``…`` matches
  the rest of the line).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
ANY = "…"
# every curl call also writes its status to stderr; a -w in the block itself wins (curl keeps
# the last -w), so such calls report nothing
PRELUDE = "set -euo pipefail\ncurl() { command curl -w '%{stderr}%{http_code}\\n' \"$@\"; }\n"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed"),
]


def section() -> str:
    start = README.index("## Walk-through with curl")
    return README[start : README.index("\n## ", start + 1)]


def steps() -> list[tuple[str, str | None, str | None]]:
    """``(shell, expected kind, expected text)`` for every ``sh`` block, in README order."""
    blocks = [(m.group(1), m.group(2)) for m in FENCE.finditer(section())]
    found = []
    for i, (kind, body) in enumerate(blocks):
        if kind != "sh":
            continue
        follows = blocks[i + 1] if i + 1 < len(blocks) and blocks[i + 1][0] != "sh" else None
        found.append((body, *(follows or (None, None))))
    return found


def matches(shown: Any, real: Any, where: str = "") -> list[str]:
    """Where ``real`` differs from what the README shows (empty: it matches)."""
    if shown == ANY:
        return []
    if isinstance(shown, str) and shown.endswith(ANY) and isinstance(real, str):
        return [] if real.startswith(shown[:-1]) else [f"{where}: {real!r} !~ {shown!r}"]
    if isinstance(shown, dict) and isinstance(real, dict):
        return [
            problem
            for key, value in shown.items()
            for problem in (
                matches(value, real[key], f"{where}/{key}")
                if key in real
                else [f"{where}/{key}: missing"]
            )
        ]
    if isinstance(shown, list) and isinstance(real, list):
        if len(shown) != len(real):
            return [f"{where}: {len(real)} items, the README shows {len(shown)}"]
        return [
            p
            for i, (a, b) in enumerate(zip(shown, real, strict=True))
            for p in matches(a, b, f"{where}/{i}")
        ]
    return [] if shown == real else [f"{where}: {real!r} != {shown!r}"]


def test_the_matcher_is_strict() -> None:
    assert (
        matches({"a": 1, "b": ANY, "c": "sha256:…"}, {"a": 1, "b": [2], "c": "sha256:ff", "d": 0})
        == []
    )
    assert matches({"a": 1}, {"a": 2}) == ["/a: 2 != 1"]
    assert matches({"a": [1]}, {"a": [1, 2]}) == ["/a: 2 items, the README shows 1"]
    assert matches({"c": "sha256:…"}, {"c": "md5:ff"}) == ["/c: 'md5:ff' !~ 'sha256:…'"]
    assert matches({"x": 1}, {}) == ["/x: missing"]


def test_the_walkthrough_has_its_steps() -> None:
    found = steps()
    assert found[0][0].strip() == "BASE=${BASE:-http://localhost:8080}"
    assert sum(kind == "json" for _, kind, _ in found) >= 4
    assert all("localhost:8080" not in shell for shell, _, _ in found[1:])


STARTUP_SECONDS = 60  # seeding the catalog on a loaded 2-core machine


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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
        time.sleep(0.1)
    pytest.fail(f"server did not answer /health within {STARTUP_SECONDS} s")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``event-registry serve`` as the Quickstart runs it, in an empty folder, on a free port."""
    folder = tmp_path_factory.mktemp("quickstart")
    script = Path(sys.executable).parent / "event-registry"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "registry"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("EVENT_REGISTRY_")}
    port = free_port()
    log = folder / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*command, "serve", "--port", str(port)],
            cwd=folder,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(url, process, log)
        assert (folder / "event-registry.db").is_file()
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_every_block_answers_what_the_readme_shows(base: str) -> None:
    found = steps()
    prefix = found[0][0]
    for shell, kind, expected in found[1:]:
        done = subprocess.run(
            ["bash", "-c", PRELUDE + prefix + shell],
            env={**os.environ, "BASE": base},
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert done.returncode == 0, f"{shell}\n{done.stderr}"
        shown_statuses = re.findall(r"^# -> (\d{3})\b", shell, re.MULTILINE)
        if shown_statuses:
            statuses = re.findall(r"^\d{3}$", done.stderr, re.MULTILINE)
            assert statuses == shown_statuses, shell
        if kind == "json":
            assert expected is not None
            problems = matches(json.loads(expected), json.loads(done.stdout))
            assert problems == [], f"{shell}\n{done.stdout}"
        elif kind == "text":
            assert expected is not None
            lines = done.stdout.replace("\r\n", "\n").splitlines()
            for line in expected.splitlines():
                if line.endswith(ANY):
                    assert any(real.startswith(line[:-1]) for real in lines), (line, lines)
                else:
                    assert line in lines, (line, lines)
