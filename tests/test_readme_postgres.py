"""The README's Deployment section: its PostgreSQL commands run as written (against a real
server: the URL is the test database's)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
SECTION = README.split("\n## Deployment: PostgreSQL and replicas\n", 1)[1].split("\n## ", 1)[0]


def shell_block() -> list[str]:
    block = re.search(r"```sh\n(.*?)```", SECTION, re.DOTALL)
    assert block is not None, "the Deployment section has no sh block"
    return [line.split("  #")[0].strip() for line in block.group(1).splitlines() if line.strip()]


def test_the_documented_migrate_command_migrates_a_postgresql_database(pg_url: str) -> None:
    lines = shell_block()
    assert any(line.startswith("pip install 'event-registry[postgres]'") for line in lines)
    assert any(line.startswith("export EVENT_REGISTRY_DB='postgresql://") for line in lines)
    migrate = next(line for line in lines if line.startswith("event-registry migrate"))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "EVENT_REGISTRY_DB": pg_url}
    argv = shlex.split(migrate)[1:]
    done = subprocess.run(
        [sys.executable, "-m", "registry", *argv],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    expected = (
        "up to date; applied migrations: 0001_initial, 0002_inspection, 0003_tokens, "
        "0004_references"
    )
    assert expected in done.stdout
    assert expected in " ".join(SECTION.split())  # the README shows what it prints
    assert any(line.startswith("event-registry serve") for line in lines)


def test_migrate_never_prints_the_password(pg_url: str) -> None:
    with_password = pg_url.replace("postgresql://postgres@", "postgresql://postgres:s3cret@")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "EVENT_REGISTRY_DB": with_password}
    done = subprocess.run(
        [sys.executable, "-m", "registry", "migrate"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )  # the test server trusts local connections: the password is accepted and ignored
    assert done.returncode == 0, done.stderr
    assert "postgresql://postgres:***@127.0.0.1:" in done.stdout
    assert "s3cret" not in done.stdout + done.stderr
