"""Fixtures of the browser tests: one Chromium and one live server (``--workers 2``, built-in
catalog seeded) per session, a fresh page per test.

Chromium is Debian's package, launched through Playwright's ``executable_path`` (never
``playwright install``); scripts/ci/chromium.sh installs it in CI. Without a browser (or without
the playwright package) the tests skip with the reason, except under CI (``CI`` or
``EVENT_REGISTRY_CI`` set), where that is a failure.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.live import LiveServer, live_server
from tests.ui.browser import FLAGS, chromium_path, in_ci


def _unavailable(reason: str) -> None:
    if in_ci():
        pytest.fail(f"{reason} (required under CI: scripts/ci/chromium.sh installs it)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium() -> str:
    path = chromium_path()
    if path is None:
        _unavailable("no Chromium on PATH (Debian: apt-get install chromium)")
    assert path is not None
    return path


@pytest.fixture(scope="session")
def browser_context(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -e '.[test]')")
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=chromium, args=FLAGS, headless=True,
            viewport={"width": 1280, "height": 800},
        )  # fmt: skip
        context.set_default_timeout(15_000)
        try:
            yield context
        finally:
            context.close()


@pytest.fixture(scope="session")
def ui_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("ui-server"), workers=2, seed=True) as server:
        yield server


class Page:
    """A Playwright page that records script errors and CSP violations; the test fails on any."""

    def __init__(self, page: Any, server: LiveServer) -> None:
        self.page = page
        self.server = server
        self.problems: list[str] = []
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("console", self._console)

    def _console(self, message: Any) -> None:
        if message.type == "error" and "Failed to load resource" not in message.text:
            self.problems.append(f"console error: {message.text}")

    def open(self, fragment: str) -> Any:
        """Load /ui with ``fragment`` and wait until the view has rendered."""
        self.page.goto(f"{self.server.url}/ui{fragment}")
        self.page.wait_for_selector("body[data-ready=true]")
        return self.page


@pytest.fixture
def ui(browser_context: Any, ui_server: LiveServer) -> Iterator[Page]:
    page = browser_context.new_page()
    wrapped = Page(page, ui_server)
    try:
        yield wrapped
    finally:
        page.close()
    assert wrapped.problems == []
