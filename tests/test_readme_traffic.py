"""The README's "From traffic to schema in five minutes", run as written against a server.

The same rules as tests/test_readme_walkthrough.py (``# -> NNN`` statuses in order, the ``json``
block after a shell block matched member by member, ``"…"`` for any value). Blocks run in one
temporary folder, in order, with the installed ``event-registry`` first on ``PATH``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_readme_walkthrough import FENCE, PRELUDE, README, base, matches

__all__ = ["base"]  # the server fixture, started as the Quickstart says

pytestmark = [pytest.mark.slow]


def section() -> str:
    start = README.index("## From traffic to schema in five minutes")
    return README[start : README.index("\n## ", start + 1)]


def steps() -> list[tuple[str, str | None, str | None]]:
    blocks = [(m.group(1), m.group(2)) for m in FENCE.finditer(section())]
    found = []
    for i, (kind, body) in enumerate(blocks):
        if kind != "sh":
            continue
        follows = blocks[i + 1] if i + 1 < len(blocks) and blocks[i + 1][0] != "sh" else None
        found.append((body, *(follows or (None, None))))
    return found


def test_the_section_records_infers_reviews_and_registers() -> None:
    shells = "\n".join(shell for shell, _, _ in steps())
    for needle in ("X-Run-Id", "/infer", "event-registry infer", "/versions"):
        assert needle in shells
    assert sum(kind == "json" for _, kind, _ in steps()) >= 4


def test_every_block_answers_what_the_readme_shows(base: str, tmp_path: Path) -> None:
    found = steps()
    prefix = found[0][0]
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    for shell, kind, expected in found[1:]:
        done = subprocess.run(
            ["bash", "-c", PRELUDE + prefix + shell],
            env={**os.environ, "BASE": base, "PATH": path},
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, f"{shell}\n{done.stderr}"
        shown = re.findall(r"^# -> (\d{3})\b", shell, re.MULTILINE)
        assert re.findall(r"^\d{3}$", done.stderr, re.MULTILINE) == shown, shell
        if kind == "json":
            assert expected is not None
            problems = matches(json.loads(expected), json.loads(done.stdout))
            assert problems == [], f"{shell}\n{done.stdout}"
