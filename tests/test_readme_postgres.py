"""The README's Deployment section: its PostgreSQL commands run as written (against a real
server: the URL is the test database's)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from registry.settings import describe_db

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
SECTION = README.split("\n## Deployment: PostgreSQL and replicas\n", 1)[1].split("\n## ", 1)[0]


def shell_block() -> list[str]:
    block = re.search(r"```sh\n(.*?)```", SECTION, re.DOTALL)
    assert block is not None, "the Deployment section has no sh block"
    return [line.split("  #")[0].strip() for line in block.group(1).splitlines() if line.strip()]


def move_blocks() -> tuple[str, list[str]]:
    """The "Moving a SQLite registry to PostgreSQL" commands and the output lines shown."""
    part = SECTION.split("**Moving a SQLite registry to PostgreSQL**", 1)[1]
    found = re.search(r"```sh\n(.*?)```\n\n```text\n(.*?)```", part, re.DOTALL)
    assert found is not None, "the move has no sh block followed by its text output"
    return found.group(1), found.group(2).strip().splitlines()


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


def test_the_documented_move_from_sqlite_runs_as_written(pg_url: str, tmp_path: Path) -> None:
    """A seeded SQLite file (as `serve` leaves it) exported and imported into PostgreSQL with
    the README's commands, in bash, the URL in EVENT_REGISTRY_DB as the section sets it."""
    commands, shown = move_blocks()
    documented = re.search(r"EVENT_REGISTRY_DB='(postgresql://[^']+)'", SECTION)
    assert documented is not None
    url = pg_url.replace("postgresql://postgres@", "postgresql://postgres:secret@")
    env = {k: v for k, v in os.environ.items() if not k.startswith("EVENT_REGISTRY_")}
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    env = {**env, "PYTHONPATH": str(ROOT), "PATH": path, "EVENT_REGISTRY_DB": url}
    seeded = subprocess.run(
        [sys.executable, "-m", "registry", "seed", "--db", "event-registry.db"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert seeded.returncode == 0, seeded.stderr
    done = subprocess.run(
        ["bash", "-c", "set -euo pipefail\n" + commands],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    output = (done.stdout + done.stderr).splitlines()
    for shown_line in shown:  # the documented URL stands for this one, its password hidden alike
        line = shown_line.replace(describe_db(documented.group(1)), describe_db(url))
        if line.endswith("…"):
            assert any(o.startswith(line[:-1]) for o in output), output
        else:
            assert line in output, output
    assert "secret" not in done.stdout + done.stderr
