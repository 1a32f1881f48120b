"""The wheel installs what a user needs: the package, the command and the catalog data files.

Builds the wheel from a copy of the source (``pip wheel``, the same PEP 517 build as ``python -m
build``), installs it into a fresh virtualenv and runs the installed ``event-registry``. The
fresh environment gets the wheel alone (``--no-deps``); the dependencies come from this test
environment through a ``.pth`` path line placed after the venv's own site-packages, so nothing
is downloaded and the wheel's ``registry`` is the one imported (checked). ``pip check`` then
proves every requirement the wheel declares is met.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
IGNORE = shutil.ignore_patterns(
    ".git",
    ".ci-venv",
    ".ci-node",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".*_cache",
    ".hypothesis",
    "*.db",
    "tests",
)

pytestmark = pytest.mark.slow


def run(*command: str | Path, cwd: Path) -> str:
    done = subprocess.run(
        [str(c) for c in command], cwd=cwd, capture_output=True, text=True, timeout=180, check=False
    )
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``bin`` folder of a fresh virtualenv holding the freshly built wheel."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=IGNORE)
    run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "-q",
        "-w",
        work / "dist",
        source,
        cwd=work,
    )
    [wheel] = (work / "dist").glob("event_registry-*.whl")
    env = work / "env"
    venv.EnvBuilder(with_pip=False).create(env)
    python = env / "bin" / "python"
    purelib = run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=work)
    (Path(purelib.strip()) / "zz_test_dependencies.pth").write_text(
        sysconfig.get_path("purelib") + "\n", encoding="utf-8"
    )
    run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        python,
        "install",
        "-q",
        "--no-deps",
        "--no-compile",
        wheel,
        cwd=work,
    )
    return env / "bin"


def test_the_installed_command_runs_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    assert "event-registry: event types, versioned schemas" in run(
        installed / "event-registry", "--help", cwd=tmp_path
    )
    where = run(
        installed / "python", "-c", "import registry; print(registry.__file__)", cwd=tmp_path
    )
    assert where.startswith(str(installed.parent)), where
    run(sys.executable, "-m", "pip", "--python", installed / "python", "check", cwd=tmp_path)


def test_the_installed_catalog_seeds_a_database(installed: Path, tmp_path: Path) -> None:
    shipped = len(list((ROOT / "schemas").glob("*/*.json")))
    output = run(installed / "event-registry", "seed", "--db", tmp_path / "x.db", cwd=tmp_path)
    assert re.search(rf"^catalog: {shipped} event types \({shipped} created\)$", output, re.M), (
        output
    )
    found = run(
        installed / "python",
        "-c",
        "from registry.catalog_files import find_catalog; print(find_catalog())",
        cwd=tmp_path,
    )
    assert found.strip() == str(installed.parent / "share" / "event-registry" / "schemas")


def test_the_installed_package_ships_the_web_ui(installed: Path, tmp_path: Path) -> None:
    """/ui works from a plain ``pip install .``: its files are package data, no Node build."""
    shipped = sorted(p.name for p in (ROOT / "registry" / "ui" / "static").iterdir())
    listed = run(
        installed / "python",
        "-c",
        "from registry.ui import static_files; print(' '.join(sorted(static_files())))",
        cwd=tmp_path,
    )
    assert listed.split() == shipped
