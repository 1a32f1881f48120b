"""The in-memory :class:`~registry.core.ports.RepresentationClock` and the bound on its size.

At most :data:`MAX_REPRESENTATIONS` URLs are remembered (query strings make the set open-ended);
beyond that the oldest tenth is forgotten. A forgotten URL that is served again records *now*,
which is later than anything it had: ``Last-Modified`` still never moves backwards.
"""

from __future__ import annotations

import threading

MAX_REPRESENTATIONS = 10_000


def advance(stored: tuple[str, str] | None, etag: str, now: str) -> tuple[str, bool]:
    """``(time, changed)`` for a representation that was ``stored`` as ``(etag, time)``."""
    if stored is None:
        return now, True
    old_etag, old_time = stored
    if old_etag == etag:
        return old_time, False
    return max(now, old_time), True


class MemoryRepresentations:
    def __init__(self, limit: int = MAX_REPRESENTATIONS) -> None:
        self._lock = threading.Lock()
        self._seen: dict[str, tuple[str, str]] = {}
        self._limit = limit

    def modified(self, *, url: str, etag: str, now: str) -> str:
        with self._lock:
            time, changed = advance(self._seen.get(url), etag, now)
            if changed:
                self._seen[url] = (etag, time)
                if len(self._seen) > self._limit:
                    oldest = sorted(self._seen, key=lambda u: self._seen[u][1])
                    for stale in oldest[: max(1, self._limit // 10)]:
                        del self._seen[stale]
            return time
