"""In-memory inspection log: the reference implementation of the InspectionLog contract."""

from __future__ import annotations

import secrets
import threading

import msgspec

from registry.core.inspection import (
    InspectedEvent,
    InspectionPage,
    InspectionQuery,
    InspectionSummary,
    matches,
    summarise,
)


class InMemoryInspectionLog:
    """A list guarded by one lock; ids grow from 1 like SQLite's AUTOINCREMENT."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[InspectedEvent] = []
        self._contacts: dict[int, frozenset[str]] = {}
        self._next_id = 1
        self._secret = secrets.token_bytes(32)

    def record(
        self, *, entries: list[InspectedEvent], contacts: list[list[str]] | None = None
    ) -> list[InspectedEvent]:
        with self._lock:
            stored = []
            for i, entry in enumerate(entries):
                stored.append(msgspec.structs.replace(entry, id=self._next_id))
                if contacts is not None and contacts[i]:
                    self._contacts[self._next_id] = frozenset(contacts[i])
                self._next_id += 1
            self._entries.extend(stored)
            return stored

    def secret(self) -> bytes:
        return self._secret

    def delete_contact(self, *, contact: str) -> int:
        with self._lock:
            kept = [e for e in self._entries if contact not in self._contacts.get(e.id, ())]
            removed = len(self._entries) - len(kept)
            self._keep(kept)
            return removed

    def _keep(self, kept: list[InspectedEvent]) -> None:
        ids = {e.id for e in kept}
        self._entries = kept
        self._contacts = {i: c for i, c in self._contacts.items() if i in ids}

    def query(self, *, query: InspectionQuery) -> InspectionPage:
        with self._lock:
            found = [e for e in reversed(self._entries) if matches(e, query)]
        items = found[: query.limit]
        more = len(found) > query.limit
        return InspectionPage(items=items, next_cursor=str(items[-1].id) if more else None)

    def summary(self, *, run_id: str | None, recorded_by: str | None = None) -> InspectionSummary:
        with self._lock:
            entries = [e for e in reversed(self._entries) if _owned(e, run_id, recorded_by)]
        return summarise(entries, run_id)

    def delete(self, *, run_id: str | None, recorded_by: str | None = None) -> int:
        with self._lock:
            kept = [e for e in self._entries if not _owned(e, run_id, recorded_by)]
            removed = len(self._entries) - len(kept)
            self._keep(kept)
            return removed

    def purge(self, *, received_before: str, keep_newest: int) -> int:
        with self._lock:
            recent = [e for e in self._entries if e.received_at >= received_before]
            kept = recent[-keep_newest:] if keep_newest > 0 else []
            removed = len(self._entries) - len(kept)
            self._keep(kept)
            return removed

    def count(self) -> int:
        with self._lock:
            return len(self._entries)

    def close(self) -> None:
        return None


def _owned(entry: InspectedEvent, run_id: str | None, recorded_by: str | None) -> bool:
    """In the run (any run for ``None``) and recorded by the token (any for ``None``)."""
    return (run_id is None or entry.run_id == run_id) and (
        recorded_by is None or entry.recorded_by == recorded_by
    )
