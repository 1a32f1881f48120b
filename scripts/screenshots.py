"""Screenshots of each web UI view, on a desktop (1280 px) and a phone (360 px), for the README.

Starts ``event-registry serve`` on 127.0.0.1 (a throwaway database with the built-in catalog),
posts a few events to a dry-run endpoint so the run view has something to show, and drives
Debian's Chromium through Playwright's ``executable_path`` (never ``playwright install``).

Run:  pip install -e '.[test]' && python scripts/screenshots.py [--out docs/screenshots]
tests/ui/test_screenshots.py runs :func:`shoot` against the test server.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.ui.browser import FLAGS, chromium_path  # noqa: E402

RUN = "checkout-test"
TOKEN_KEY = "event-registry-token"
VIEWS = {
    "catalog": ("#/", "#catalog-list li"),
    "type": ("#/type/orderCreated", "#examples li"),
    "playground": ("#/play?type=orderCreated&example=bad-status", "#violations li"),
    "evolve": ("#/evolve/orderCreated", "#compat-verdict[data-compatible='false']"),
    "run": (f"#/run/{RUN}", "#run-totals[data-total='3']"),
}
SIZES = {"desktop": (1280, 900), "360": (360, 780)}


def post_run_events(base: str, headers: dict[str, str]) -> None:
    """Three orderCreated events of run :data:`RUN`: one valid, two with mistakes."""
    common = [
        {"name": "email", "value": "buyer@example.org"},
        {"name": "externalOrderId", "value": "SO-1"},
        {"name": "date", "value": "2024-11-02T09:15:00"},
    ]
    httpx.delete(f"{base}/inspect/events", params={"runId": RUN}, headers=headers)
    for total, status in (("12.5", "DELIVERED"), ("12,5", "DELIVERED"), ("3", "SHIPPED")):
        params = [
            *common,
            {"name": "totalCost", "value": total},
            {"name": "status", "value": status},
        ]
        event = {"eventTypeKey": "orderCreated", "params": params}
        httpx.post(f"{base}/api/v2/event", json=event, headers={**headers, "X-Run-Id": RUN})


def _break_a_type(page: Any) -> None:
    """The evolve view with a change that breaks old payloads: totalCost becomes a number only."""
    schema = json.loads(page.input_value("#schema"))
    schema["properties"]["totalCost"]["type"] = "number"
    page.fill("#schema", json.dumps(schema, indent=2))


def shoot(context: Any, base: str, out: Path, token: str | None = None) -> list[Path]:
    """One PNG per view and size in ``out`` (``<view>-<size>.png``); returns their paths.
    ``token``: the server's API token (the page gets it as its Token form keeps it)."""
    out.mkdir(parents=True, exist_ok=True)
    post_run_events(base, {"Authorization": f"Bearer {token}"} if token else {})
    written = []
    for size, (width, height) in SIZES.items():
        page = context.new_page()
        if token:
            page.add_init_script(f"sessionStorage.setItem({TOKEN_KEY!r}, {json.dumps(token)})")
        try:
            page.set_viewport_size({"width": width, "height": height})
            for view, (fragment, ready) in VIEWS.items():
                page.goto(f"{base}/ui{fragment}")
                page.wait_for_selector("body[data-ready=true]")
                if view == "evolve":
                    page.wait_for_selector("#compat-verdict[data-compatible]")
                    _break_a_type(page)
                page.wait_for_selector(ready)
                if view == "evolve":
                    page.locator("td.finding").first.scroll_into_view_if_needed()
                if view == "run":
                    page.click("#run-failing details summary")
                path = out / f"{view}-{size}.png"
                page.screenshot(path=str(path))
                written.append(path)
        finally:
            page.close()
    return written


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def server(folder: Path) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "EVENT_REGISTRY_LOG_LEVEL": "warning"}
    command = [sys.executable, "-m", "registry", "serve", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--db", str(folder / "screens.db")]
    process = subprocess.Popen(command, cwd=folder, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise SystemExit(f"the server exited with {process.returncode}")
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            time.sleep(0.2)
        else:
            raise SystemExit("the server did not answer /health within 60 s")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    chromium = chromium_path()
    if chromium is None:
        raise SystemExit("no Chromium on PATH (Debian: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with (
        tempfile.TemporaryDirectory() as scratch,
        server(Path(scratch)) as base,
        sync_playwright() as playwright,
    ):
        context = playwright.chromium.launch_persistent_context(
            str(Path(scratch) / "profile"), executable_path=chromium, args=FLAGS
        )
        try:
            for path in shoot(context, base, args.out):
                print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
        finally:
            context.close()


if __name__ == "__main__":
    main()
