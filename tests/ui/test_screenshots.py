"""scripts/screenshots.py draws every view at both sizes, and the README shows each one."""

from __future__ import annotations

import re
import struct
from pathlib import Path
from typing import Any

import pytest

from scripts.screenshots import SIZES, VIEWS, shoot
from tests.live import LiveServer
from tests.ui.conftest import ADMIN

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]
ROOT = Path(__file__).resolve().parents[2]


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", header[16:24])
    return int(width), int(height)


def test_the_script_draws_each_view_at_desktop_and_360px(
    browser_context: Any, ui_server: LiveServer, tmp_path: Path
) -> None:
    written = shoot(browser_context, ui_server.url, tmp_path, token=ADMIN)
    assert sorted(p.name for p in written) == sorted(
        f"{view}-{size}.png" for view in VIEWS for size in SIZES
    )
    for path in written:
        assert png_size(path) == SIZES[path.stem.rsplit("-", 1)[1]], path.name


def test_the_readme_shows_every_committed_screenshot() -> None:
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("\n## Web UI\n", 1)[1]
    shown = re.findall(r"\]\((docs/screenshots/[^)]+\.png)\)", section.split("\n## ", 1)[0])
    expected = sorted(f"docs/screenshots/{view}-{size}.png" for view in VIEWS for size in SIZES)
    assert sorted(shown) == expected
    for path in shown:
        assert png_size(ROOT / path) == SIZES[Path(path).stem.rsplit("-", 1)[1]], path
