"""finish_in_thread: a cancelled background task lets its thread finish before it stops, so a
lifespan that cancels and awaits its tasks can close the stores those threads read."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from registry.background import finish_in_thread


def run(main: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """asyncio.run on a thread of its own: the xdist worker may already run a loop (Playwright's
    sync API in the browser tests keeps one running on the main thread)."""
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, main()).result(timeout=60)


def test_cancelling_waits_for_the_thread_to_return() -> None:
    entered, finished = threading.Event(), threading.Event()

    def slow() -> str:
        entered.set()
        time.sleep(0.3)
        finished.set()
        return "done"

    async def main() -> None:
        task = asyncio.create_task(finish_in_thread(slow))
        while not entered.is_set():
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert finished.is_set()  # the thread returned before the cancellation went on

    run(main)


def test_the_result_and_errors_come_back_when_not_cancelled() -> None:
    def boom() -> None:
        raise ValueError("x")

    async def main() -> None:
        assert await finish_in_thread(lambda a, b: a + b, 2, 3) == 5
        with pytest.raises(ValueError, match="x"):
            await finish_in_thread(boom)

    run(main)
