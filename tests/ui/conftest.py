"""Fixtures of the browser tests: one Chromium and one live server (``--workers 2``, built-in
catalog seeded) per session, a fresh page per test.

Chromium is Debian's package, launched through Playwright's ``executable_path`` (never
``playwright install``); scripts/ci/chromium.sh installs it in CI. Without a browser (or without
the playwright package) the tests skip with the reason, except under CI (``CI`` or
``EVENT_REGISTRY_CI`` set), where that is a failure.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
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
            str(profile),
            executable_path=chromium,
            args=FLAGS,
            headless=True,
            viewport={"width": 1280, "height": 800},
        )
        context.set_default_timeout(15_000)
        try:
            yield context
        finally:
            context.close()


ADMIN = "ui-tests-admin-token-0123456789"
"""The server's admin token: auth is on, as on a shared registry; the page sends it as Bearer."""
TOKEN_KEY = "event-registry-token"


@pytest.fixture(scope="session")
def ui_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("ui-server")
    with live_server(folder, workers=2, seed=True, auth="on", admin_token=ADMIN) as server:
        yield server


class Page:
    """A Playwright page that records script errors and CSP violations; the test fails on any."""

    def __init__(self, page: Any, server: LiveServer) -> None:
        self.page = page
        self.server = server
        self.http = httpx.Client(
            base_url=server.url, headers={"Authorization": f"Bearer {ADMIN}"}, timeout=30
        )
        self.problems: list[str] = []
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._signed_in = False
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("console", self._console)
        page.on("request", lambda request: self.requests.append((request.url, request.headers)))

    def _console(self, message: Any) -> None:
        if message.type == "error" and "Failed to load resource" not in message.text:
            self.problems.append(f"console error: {message.text}")

    def open(self, fragment: str, *, signed_in: bool = True) -> Any:
        """Load /ui with ``fragment`` and wait until the view has rendered; ``signed_in``: with
        the admin token in the tab's sessionStorage, as the page's Token form puts it."""
        if signed_in and not self._signed_in:
            self.page.add_init_script(f"sessionStorage.setItem({TOKEN_KEY!r}, {json.dumps(ADMIN)})")
            self._signed_in = True
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
        wrapped.http.close()
    assert wrapped.problems == []
