"""Debian's Chromium driven by Playwright for Python, as the UI tests and scripts/screenshots.py
launch it: through ``executable_path`` only (never ``playwright install``), with the flags a root
CI machine needs and a fresh user-data folder each time."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
CANDIDATES = ("chromium", "chromium-browser")


def chromium_path() -> str | None:
    """``EVENT_REGISTRY_CHROMIUM``, else the first Chromium on PATH."""
    named = os.environ.get("EVENT_REGISTRY_CHROMIUM")
    if named:
        return named if Path(named).exists() else None
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def in_ci() -> bool:
    return any(os.environ.get(n) for n in ("CI", "EVENT_REGISTRY_CI"))
