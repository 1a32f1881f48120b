"""The connection limits `serve` enforces come from Settings (EVENT_REGISTRY_*), validated."""

from __future__ import annotations

import gc
import sys

import pytest

from registry.core.errors import InvalidSettings
from registry.server import DEFAULT_LIMITS, GIL_SWITCH_SECONDS, ConnectionLimits, ServerConfig
from registry.settings import load_settings


def test_limits_come_from_the_environment() -> None:
    settings = load_settings(
        {
            "EVENT_REGISTRY_HEADER_TIMEOUT_SECONDS": "2.5",
            "EVENT_REGISTRY_BODY_TIMEOUT_SECONDS": "7",
            "EVENT_REGISTRY_MAX_CONNECTIONS": "64",
        }
    )
    assert ConnectionLimits.of(settings) == ConnectionLimits(
        header_timeout=2.5, body_timeout=7.0, max_connections=64
    )


def test_safe_defaults() -> None:
    assert (
        ConnectionLimits(header_timeout=10.0, body_timeout=30.0, max_connections=1000)
        == DEFAULT_LIMITS
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("HEADER_TIMEOUT_SECONDS", "0"),
        ("BODY_TIMEOUT_SECONDS", "-1"),
        ("MAX_CONNECTIONS", "0"),
        ("HEADER_TIMEOUT_SECONDS", "soon"),
    ],
)
def test_invalid_limits_name_their_variable(name: str, value: str) -> None:
    with pytest.raises(InvalidSettings, match=f"EVENT_REGISTRY_{name}"):
        load_settings({f"EVENT_REGISTRY_{name}": value})


def test_a_worker_hands_the_gil_to_its_event_loop_every_millisecond() -> None:
    """Each worker process loads its config before serving; that is where the interval is set,
    so the loop waits at most ~1 ms (not CPython's 5 ms) behind a validating thread."""
    before = sys.getswitchinterval()

    async def app(scope: object, receive: object, send: object) -> None:  # never called
        raise AssertionError

    config = ServerConfig(app, limits=DEFAULT_LIMITS)
    try:
        config.load()
        assert sys.getswitchinterval() == pytest.approx(GIL_SWITCH_SECONDS)
        assert GIL_SWITCH_SECONDS < 0.005
    finally:
        sys.setswitchinterval(before)


def test_a_worker_freezes_what_it_loaded_out_of_the_collector() -> None:
    """A full collection walks every tracked object; a first sight allocates enough to trigger
    one. Measured by scripts/hostile.py (the 7,500-prop first sight after five other rows):
    /health's worst 57-91 ms without the freeze, 10-12 ms with it."""
    before = sys.getswitchinterval()

    async def app(scope: object, receive: object, send: object) -> None:  # never called
        raise AssertionError

    gc.unfreeze()
    config = ServerConfig(app, limits=DEFAULT_LIMITS)
    try:
        config.load()
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()
        sys.setswitchinterval(before)
