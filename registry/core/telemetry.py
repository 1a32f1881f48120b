"""What the core tells the outside about its work, as a port (no metrics library here).

:class:`Telemetry` is implemented by ``registry/metrics.py`` (Prometheus); the default,
:data:`NO_TELEMETRY`, does nothing, so the CLI, the offline plan registry and tests that do not
look pay nothing but a method call.
"""

from __future__ import annotations

from typing import Literal, Protocol

from registry.core.report import Report

Cache = Literal["compiled", "type"]
"""``compiled``: the compiled validator of a schema id; ``type``: an event type's resolved view."""


class Telemetry(Protocol):
    def validated(self, report: Report) -> None:
        """One event was validated (every entry point: /validate, batches, dry-run endpoints)."""
        ...

    def cache_lookup(self, cache: Cache, *, hit: bool) -> None:
        """The validator looked in one of its caches."""
        ...


class NoTelemetry:
    def validated(self, report: Report) -> None:
        """Nothing."""

    def cache_lookup(self, cache: Cache, *, hit: bool) -> None:
        """Nothing."""


NO_TELEMETRY = NoTelemetry()
