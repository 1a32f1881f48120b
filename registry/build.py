"""The one builder of :class:`RegistryService` from :class:`Settings`, over a given store.

It imports no store (no SQLite, PostgreSQL, inspection-log or token store), so the offline
``validate --schemas`` path builds the service over ``InMemoryStore`` without loading them;
:mod:`registry.wiring` opens the configured store and builds through here too, so every entry
point honours the same limits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from registry.core.schema_check import SchemaLimits
from registry.core.service import RegistryService
from registry.settings import Settings

if TYPE_CHECKING:
    from registry.core.ports import SchemaStore
    from registry.metrics import Metrics


def schema_limits(settings: Settings) -> SchemaLimits:
    """The limits a submitted schema must stay within, from the settings."""
    return SchemaLimits(
        max_depth=settings.max_schema_depth,
        max_bytes=settings.max_schema_bytes,
        max_cost=settings.max_schema_cost,
        max_reference_depth=settings.max_reference_depth,
    )


def service_over(
    settings: Settings, store: SchemaStore, *, metrics: Metrics | None = None
) -> RegistryService:
    """The registry's use cases over ``store``; with ``metrics``, its store calls are timed
    and its validations counted."""
    if metrics is None:
        return RegistryService(store, limits=schema_limits(settings))
    return RegistryService(metrics.timed(store), limits=schema_limits(settings), telemetry=metrics)
