"""`serve --workers 2`: /metrics answered by either worker counts the requests of both, and the
metrics folder serve made for them is gone once it stops."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.live import live_server

DEADLINE_SECONDS = 120
"""Both workers must have answered within this (each starts in a few seconds; loaded CI)."""


def scrape(url: str) -> tuple[float, dict[str, float]]:
    """(requests counted for /health/live, requests answered per worker pid)."""
    text = httpx.get(f"{url}/metrics", timeout=10).text
    live, per_pid = 0.0, {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            if s.name == "event_registry_http_requests_total" and s.labels["route"] == (
                "/health/live"
            ):
                live += s.value
            if s.name == "event_registry_worker_requests":
                per_pid[s.labels["pid"]] = s.value
    return live, per_pid


def test_a_scrape_sums_the_counts_of_both_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))  # where serve creates the metrics folder
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    sent = 0
    with live_server(tmp_path, workers=2) as server:
        (folder,) = scratch.glob("event-registry-metrics-*")
        deadline = time.monotonic() + DEADLINE_SECONDS
        while True:
            for _ in range(10):  # a new connection each: the kernel hands them to either worker
                assert httpx.get(f"{server.url}/health/live", timeout=10).status_code == 200
                sent += 1
            _, per_pid = scrape(server.url)
            if len([n for n in per_pid.values() if n > 0]) >= 2:
                break
            assert time.monotonic() < deadline, f"one worker answered everything: {per_pid}"
        for _ in range(3):  # whichever worker answers the scrape sums both
            live, _ = scrape(server.url)
            assert live == sent
        assert any(folder.glob("*.db"))  # the workers' value files
    assert list(scratch.glob("event-registry-metrics-*")) == []
