"""README "Run tagging": the Pipedream-style (node) and PHP-style (curl) examples, executed.

Both run unchanged against a real server on 127.0.0.1 (the base URL swapped for the test's port)
and tag their events by the key alone; the test then reads the run back from /inspect and gates
it with ``event-registry inspect``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.test_e2e_server import base_url

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
SECTION = README.split("\n### Run tagging\n", 1)[1].split("\n### ", 1)[0]
BLOCKS = dict(re.findall(r"```(js|sh)\n(.*?)```", SECTION, re.DOTALL))
DOCUMENTED = "http://127.0.0.1:8080"

__all__ = ["base_url"]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("node") is None or shutil.which("curl") is None,
                    reason="the README examples need node and curl")  # fmt: skip
def test_readme_run_tagging_examples_tag_their_run(base_url: str) -> None:
    env = {**os.environ, "YESPO_BASE": f"{base_url}/api/"}
    node = subprocess.run(
        ["node", "--input-type=module", "-e", BLOCKS["js"]],
        capture_output=True, text=True, env=env, timeout=30, check=False,
    )  # fmt: skip
    assert (node.returncode, node.stdout.strip()) == (0, "200"), node.stderr
    shell = subprocess.run(
        ["bash", "-c", BLOCKS["sh"].replace(DOCUMENTED, base_url)],
        capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert shell.returncode == 0, shell.stderr
    assert shell.stdout.splitlines()[0] == "200"
    items = httpx.get(f"{base_url}/inspect/events", params={"runId": "ci42"}).json()["items"]
    assert sorted(e["format"] for e in items) == ["orders", "v2"]
    assert all(e["valid"] for e in items)
    assert "my-key" not in str(items)
    assert "my-token" not in str(items)
    gate = subprocess.run(
        [sys.executable, "-m", "registry", "inspect", "--run-id", "ci42", "--url", base_url],
        capture_output=True, text=True, timeout=60, check=False, cwd=ROOT,
    )  # fmt: skip
    assert gate.returncode == 0, gate.stdout + gate.stderr
