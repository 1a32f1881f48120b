"""The audit-trail and change-feed use cases of :class:`~registry.core.service.RegistryService`.

A mixin so the service stays the one door to the store while this module keeps the trail's
rules in one place: building entries, querying them, purging them, and announcing sunsets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from registry.core import audit
from registry.core.audit import (
    FEED_ACTIONS,
    MAX_PAGE,
    SYSTEM,
    Action,
    Actor,
    AuditEntry,
    AuditPage,
    AuditQuery,
    ChangePage,
)
from registry.core.errors import InvalidRequest
from registry.core.inspection import normalise_since

if TYPE_CHECKING:
    from registry.core.model import EventType
    from registry.core.ports import SchemaStore


class TrailCases:
    """Mixed into RegistryService, which provides ``_store`` and ``_clock``."""

    _store: SchemaStore
    _clock: Any

    def _audit(self, actor: Actor, action: Action, **what: Any) -> AuditEntry:
        return audit.entry(actor, action, at=self._clock(), **what)

    def _type_change(
        self, actor: Actor, action: Action, before: EventType, after: EventType
    ) -> AuditEntry:
        return self._audit(
            actor,
            action,
            key=before.key,
            before=audit.type_fields(before),
            after=audit.type_fields(after),
        )

    def audit_log(
        self,
        *,
        key: str | None = None,
        actor: str | None = None,
        since: str | None = None,
        until: str | None = None,
        cursor: str | None = None,
        limit: int = 50,
    ) -> AuditPage:
        """Audit entries, oldest first, filtered; ``nextCursor`` pages on."""
        return self._store.list_audit(
            query=AuditQuery(
                key=key,
                actor=actor,
                since=normalise_since(since),
                until=normalise_since(until),
                after_id=audit.parse_cursor(cursor),
                limit=_limit(limit),
            )
        )

    def append_audit(self, *, audit: AuditEntry) -> bool:
        """Append an entry another store's change made (tokens kept in memory; the SQLite token
        store writes its entries itself, in its own transaction). False if already there."""
        return self._store.record_once(audit=audit)

    def purge_audit(self, *, before: str, actor: Actor = SYSTEM) -> int:
        """Delete entries older than ``before`` (ISO 8601); the purge itself is recorded."""
        cut = normalise_since(before)
        if cut is None:  # pragma: no cover -- before is a required parameter
            raise InvalidRequest("name the instant before which entries go", pointer="before")
        record = self._audit(actor, "audit.purge", after={"before": cut})
        return self._store.purge_audit(before=cut, audit=record)

    def changes(self, *, after: str | None = None, limit: int = 100) -> ChangePage:
        """Feed events after the cursor ``after``, oldest first (passed sunsets announced first).

        ``nextCursor`` is always set, to the last entry read (or ``after`` itself when nothing
        new is there), so a poller can keep passing it back.
        """
        self.announce_sunsets()
        start = audit.parse_cursor(after, pointer="after")
        page = self._store.list_audit(
            query=AuditQuery(actions=FEED_ACTIONS, after_id=start, limit=_limit(limit))
        )
        last = page.items[-1].id if page.items else (start or 0)
        return ChangePage(items=audit.changes_of(page.items), next_cursor=str(last))

    def latest_change_cursor(self) -> str:
        """A cursor from which only changes made from now on are read."""
        return str(self._store.last_audit_id())

    def announce_sunsets(self) -> int:
        """Append one ``version.sunset`` entry per deprecated version whose sunset date passed.

        A sunset date is the last day the version may be used: from the next day (UTC) on, the
        version is *sunset* (validation against it is an error). Idempotent across processes.
        """
        today = self._clock()[:10]
        announced = 0
        for version in self._store.sunsets_due(before=today):
            record = self._audit(
                SYSTEM,
                "version.sunset",
                key=version.key,
                version=version.version,
                before={"sunset": None},
                after={"sunset": version.sunset},
            )
            if not self._announced(record):  # a read first: no write lock once announced
                announced += self._store.record_once(audit=record)
        return announced

    def _announced(self, record: AuditEntry) -> bool:
        query = AuditQuery(key=record.key, actions=("version.sunset",), limit=MAX_PAGE)
        return any(
            e.version == record.version and e.changes == record.changes
            for e in self._store.list_audit(query=query).items
        )


def _limit(limit: int) -> int:
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidRequest(f"limit must be 1..{MAX_PAGE}", pointer="limit")
    return limit
