"""Registration never lets a version skip the check against its real predecessor.

``RacingStore`` plays the other writer: after the service looked for identical content and just
before it asks the store to insert, a competing version lands. The check runs under the store's
write lock against the versions as they are then, so the candidate is judged against the
newcomer; losing a race is never an error.
"""

from __future__ import annotations

import contextlib
import itertools
import threading
from typing import Any

import pytest

from registry.core.canonical import fingerprint
from registry.core.compatibility import Level, check
from registry.core.config import TypeConfig
from registry.core.errors import SchemaIncompatible
from registry.core.service import RegistryService
from registry.store.memory import InMemoryStore


def text(max_length: int) -> dict[str, Any]:
    return {"type": "object", "properties": {"a": {"type": "string", "maxLength": max_length}}}


class RacingStore(InMemoryStore):
    """Before each checked insert, another writer adds the next of ``competitors`` (if any)."""

    competitors: list[dict[str, Any]] = []

    def add_version(self, **kwargs: Any) -> Any:
        if kwargs.get("check") is not None and self.competitors:
            rival = self.competitors.pop(0)
            super().add_version(
                key=kwargs["key"],
                schema=rival,
                fingerprint=fingerprint(rival),
                params=None,
                created_at=kwargs["created_at"],
            )
        return super().add_version(**kwargs)


def service_on(store: InMemoryStore, *competitors: dict[str, Any]) -> RegistryService:
    """Type ``e`` with v1 (maxLength 5); then arm the rivals of the next registrations."""
    service = RegistryService(store)
    service.create_event_type(key="e")
    service.register_version(key="e", schema=text(5))
    if isinstance(store, RacingStore):
        store.competitors = list(competitors)
    return service


def test_candidate_is_checked_again_against_a_version_that_won_the_race() -> None:
    service = service_on(RacingStore(), text(10))
    with pytest.raises(SchemaIncompatible) as refused:
        service.register_version(key="e", schema=text(7))
    assert refused.value.conflicts_with == 2
    assert [v.version for v in service.list_versions(key="e")] == [1, 2]


def test_candidate_compatible_with_the_winner_is_registered_after_it() -> None:
    service = service_on(RacingStore(), text(7))
    registration = service.register_version(key="e", schema=text(10))
    assert (registration.created, registration.version.version) == (True, 3)


def test_winner_with_identical_content_is_returned_not_duplicated() -> None:
    service = service_on(RacingStore(), text(10))
    registration = service.register_version(key="e", schema=text(10))
    assert (registration.created, registration.version.version) == (False, 2)


def test_many_writers_at_once_all_succeed_in_order() -> None:
    """Formerly 409 concurrent_registration after 5 lost races; now each waits its turn."""
    service = service_on(InMemoryStore())
    service.set_type_config(key="e", config=TypeConfig(compatibility=Level.NONE))
    barrier = threading.Barrier(16)
    created: list[bool] = []

    def register(max_length: int) -> None:
        barrier.wait()
        created.append(service.register_version(key="e", schema=text(max_length)).created)

    threads = [threading.Thread(target=register, args=(10 + n,)) for n in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert created == [True] * 16
    assert [v.version for v in service.list_versions(key="e")] == list(range(1, 18))


def test_threads_registering_at_once_never_break_the_history() -> None:
    for _ in range(10):
        service = service_on(InMemoryStore())
        barrier = threading.Barrier(2)

        def register(
            max_length: int, service: RegistryService = service, barrier: Any = barrier
        ) -> None:
            barrier.wait()
            with contextlib.suppress(SchemaIncompatible):
                service.register_version(key="e", schema=text(max_length))

        threads = [threading.Thread(target=register, args=(n,)) for n in (10, 7)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        versions = service.list_versions(key="e")
        for old, new in itertools.pairwise(versions):
            assert check(old.schema, new.schema) == [], (old.version, new.version)
