"""The operations use cases of :class:`~registry.core.service.RegistryService`: readiness,
export and import, and the stored versions over today's cost budget (``migrate`` lists them).
A mixin, as :mod:`registry.core.trail`, so the service stays the one door.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from registry.core.dump import Records, check_records, sort_records
from registry.core.errors import StoreNotReady
from registry.core.model import EventTypeQuery, SchemaVersion
from registry.core.validation.cost import schema_cost

if TYPE_CHECKING:
    from registry.core.ports import SchemaStore
    from registry.core.schema_check import SchemaLimits


class OperationsCases:
    """Mixed into RegistryService, which provides ``_store``, ``_limits`` and ``refresh``."""

    _store: SchemaStore
    _limits: SchemaLimits

    def refresh(self) -> None: ...  # pragma: no cover - provided by RegistryService

    def check_ready(self) -> list[str]:
        """The applied-state of the database (a round trip to it): raises StoreNotReady when it
        cannot be reached or lacks migrations; returns nothing else to know (an empty list)."""
        try:
            pending = self._store.pending_migrations()
        except Exception as exc:  # any failure to reach the database is "not ready"
            import logging  # here: the offline CLI never logs (a fast start)

            logging.getLogger("registry").warning(
                "readiness: the database cannot be reached: %s", exc
            )
            raise StoreNotReady(f"the database cannot be reached: {type(exc).__name__}") from None
        if pending:
            raise StoreNotReady(
                f"the database lacks {len(pending)} migration(s) ({', '.join(pending)}): "
                "run `event-registry migrate`"
            )
        return pending

    def export_records(self) -> Records:
        """Everything the registry holds, in the canonical order (core/dump.py)."""
        return sort_records(self._store.export_records())

    def import_records(self, *, records: Records) -> None:
        """Check ``records`` (DumpInvalid), then write them with their original ids into the
        empty store (StoreNotEmpty otherwise); cached views are dropped."""
        check_records(records)
        self._store.import_records(records=records)
        self.refresh()

    def over_budget(self, *, page_size: int = 500) -> list[tuple[SchemaVersion, int]]:
        """Stored versions whose evaluation cost exceeds today's budget, with their cost.

        They were registered before the budget existed (or under a larger one); they keep being
        served and are validated with the runtime caps. ``migrate`` lists them.
        """
        found: list[tuple[SchemaVersion, int]] = []
        cursor: str | None = None
        while True:
            page = self._store.list_event_types(
                query=EventTypeQuery(include_deleted=True, after=cursor, limit=page_size)
            )
            for event_type in page.items:
                for version in self._store.list_versions(key=event_type.key):
                    cost = schema_cost(version.document)
                    if cost > self._limits.max_cost:
                        found.append((version, cost))
            if page.next_cursor is None:
                return found
            cursor = page.next_cursor
