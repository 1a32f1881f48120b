"""Background work in threads that never outlives the stores it reads.

Cancelling a task that awaits ``anyio.to_thread.run_sync`` stops the *await*, not the thread:
the thread runs on, and a lifespan that then closes the SQLite connections pulls them from
under a statement still stepping in that thread (seen as a segmentation fault in CI).
:func:`finish_in_thread` is the cure: on cancellation it waits for the thread to return before
the cancellation goes on, so a lifespan that cancels and awaits its tasks knows that no thread
of theirs still runs.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from typing import Any, TypeVar

import anyio.to_thread

T = TypeVar("T")


async def finish_in_thread(fn: Callable[..., T], *args: Any) -> T:
    """``fn(*args)`` in a worker thread; cancelled, it first lets the thread finish."""
    work = asyncio.ensure_future(anyio.to_thread.run_sync(functools.partial(fn, *args)))
    try:
        return await asyncio.shield(work)
    except asyncio.CancelledError:
        await asyncio.wait([work])
        if not work.cancelled():
            work.exception()  # retrieved, so asyncio logs no "never retrieved" warning
        raise
