"""``validate --url`` posts to /validate/batch in chunks; ``--only-invalid``; the progress bar."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from registry.cli.checking import CHUNK_EVENTS, PROGRESS_FROM, SINGLE_ABOVE
from tests.harness import URL, Cli

ROOT = Path(__file__).resolve().parents[2]
PLAN = str(ROOT / "tests" / "data" / "plan")


def event(n: int, *, valid: bool = True) -> dict[str, Any]:
    total: Any = n if valid else "abc"
    return {"eventTypeKey": "orderCreated", "keyValue": "buyer@example.org",
            "params": [{"name": "externalOrderId", "value": f"SO-{n}"},
                       {"name": "totalCost", "value": total}]}  # fmt: skip


def ndjson(path: Path, count: int, *, invalid_every: int = 0, junk_at: int = -1) -> Path:
    lines = []
    for n in range(count):
        bad = bool(invalid_every) and n % invalid_every == 0
        lines.append("{not json" if n == junk_at else json.dumps(event(n, valid=not bad)))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def seeded(cli: Cli) -> Cli:
    assert cli("push", PLAN, "--url", URL).exit_code == 0
    cli.seen.clear()
    return cli


def test_events_go_in_chunks_to_the_batch_endpoint(seeded: Cli, tmp_path: Path) -> None:
    count = 2 * CHUNK_EVENTS + 7
    samples = ndjson(tmp_path / "many.ndjson", count, invalid_every=100, junk_at=3)
    remote = seeded("validate", str(samples), "--url", URL, "--format", "json")
    sent = [(r.method, r.url.path) for r in seeded.seen]
    assert sent == [("POST", "/validate/batch")] * 3
    local = seeded("validate", str(samples), "--schemas", PLAN, "--format", "json")
    assert remote.exit_code == local.exit_code == 1
    assert json.loads(remote.output) == json.loads(local.output)
    summary = json.loads(remote.output)["summary"]
    assert (summary["total"], summary["malformed"], summary["invalid"]) == (count, 1, 12)


def test_a_large_event_still_goes_alone_to_validate(seeded: Cli, tmp_path: Path) -> None:
    big = {
        **event(1),
        "params": [*event(1)["params"], {"name": "blob", "value": "x" * SINGLE_ABOVE}],
    }
    path = tmp_path / "mixed.ndjson"
    path.write_text(f"{json.dumps(event(0))}\n{json.dumps(big)}\n{json.dumps(event(2))}\n")
    result = seeded("validate", str(path), "--url", URL, "--format", "json")
    assert [r.url.path for r in seeded.seen] == ["/validate/batch", "/validate"]
    reports = [r["report"] for r in json.loads(result.output)["results"]]
    assert [r["valid"] for r in reports] == [True, False, True]
    assert reports[1]["errors"][0]["code"] == "payload_too_large"


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_only_invalid_lists_the_failures_and_counts_everything(
    seeded: Cli, tmp_path: Path, fmt: str
) -> None:
    samples = str(ndjson(tmp_path / "some.ndjson", 10, invalid_every=4))
    result = seeded("validate", samples, "--url", URL, "--only-invalid", "--format", fmt)
    every = seeded("validate", samples, "--url", URL, "--format", fmt)
    assert result.exit_code == every.exit_code == 1
    if fmt == "json":
        document, full = json.loads(result.output), json.loads(every.output)
        assert [r["index"] for r in document["results"]] == [0, 4, 8]
        assert document["summary"] == full["summary"]
        assert document["failed"] is True
        return
    rows = [line for line in result.output.splitlines() if not line.startswith(" ")]
    assert [row.split()[0] for row in rows[:-1]] == [f"{samples}:{n}" for n in (1, 5, 9)]
    assert rows[-1] == every.output.splitlines()[-1]
    assert rows[-1].startswith("10 event(s): 7 valid, 3 invalid")


def test_only_invalid_of_a_clean_input_lists_nothing_and_exits_0(
    seeded: Cli, tmp_path: Path
) -> None:
    samples = str(ndjson(tmp_path / "clean.ndjson", 5))
    result = seeded("validate", samples, "--url", URL, "--only-invalid")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "5 event(s): 5 valid, 0 invalid (0 error(s), 0 warning(s))"
    ]


def _run(samples: Path, *, tty: bool) -> tuple[int, str, str]:
    """``validate`` offline in a subprocess, stderr on a pseudo-terminal or a pipe."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "100"}
    command = [sys.executable, "-m", "registry", "validate", str(samples), "--schemas", PLAN,
               "--only-invalid"]  # fmt: skip
    if not tty:
        done = subprocess.run(command, capture_output=True, env=env, timeout=120, check=False)
        return done.returncode, done.stdout.decode(), done.stderr.decode()
    leader, follower = pty.openpty()
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=follower, env=env) as process:
        os.close(follower)
        chunks = []
        while True:
            try:
                data = os.read(leader, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        assert process.stdout is not None
        stdout = process.stdout.read().decode()
        code = process.wait(timeout=120)
    os.close(leader)
    return code, stdout, b"".join(chunks).decode(errors="replace")


def test_a_progress_bar_on_a_terminal_for_long_inputs_only(tmp_path: Path) -> None:
    samples = ndjson(tmp_path / "long.ndjson", PROGRESS_FROM + 1)
    code, stdout, terminal = _run(samples, tty=True)
    assert code == 0
    assert "validating" in terminal
    assert f"{PROGRESS_FROM + 1}/{PROGRESS_FROM + 1}" in terminal
    assert stdout.splitlines()[-1].startswith(f"{PROGRESS_FROM + 1} event(s):")
    code, stdout, stderr = _run(samples, tty=False)
    assert code == 0
    assert stderr == ""
    short = ndjson(tmp_path / "short.ndjson", 10)
    code, _, terminal = _run(short, tty=True)
    assert code == 0
    assert "validating" not in terminal
