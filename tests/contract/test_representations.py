"""RepresentationClock contract: every implementation (memory, SQLite, PostgreSQL) keeps the
same promises."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from registry.core.ports import RepresentationClock
from registry.store import representations
from registry.store.representations import MemoryRepresentations
from registry.store.sqlite import SqliteStore

T1, T2, T3 = "2026-12-01T10:00:01.000Z", "2026-12-01T10:00:02.000Z", "2026-12-01T10:00:03.000Z"


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def clock(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[RepresentationClock]:
    if request.param == "memory":
        yield MemoryRepresentations()
        return
    if request.param == "postgres":
        from registry.store.postgres.store import PostgresStore

        store: SqliteStore | PostgresStore = PostgresStore(request.getfixturevalue("pg_url"))
    else:
        store = SqliteStore(tmp_path / "r.db")
    yield store
    store.close()


def test_the_first_sight_records_now(clock: RepresentationClock) -> None:
    assert clock.modified(url="/a", etag='"x"', now=T1) == T1


def test_the_same_etag_keeps_its_time(clock: RepresentationClock) -> None:
    clock.modified(url="/a", etag='"x"', now=T1)
    assert clock.modified(url="/a", etag='"x"', now=T3) == T1


def test_a_new_etag_records_now(clock: RepresentationClock) -> None:
    clock.modified(url="/a", etag='"x"', now=T1)
    assert clock.modified(url="/a", etag='"y"', now=T2) == T2
    assert clock.modified(url="/a", etag='"x"', now=T3) == T3  # back to old content: a change


def test_the_time_never_moves_backwards(clock: RepresentationClock) -> None:
    clock.modified(url="/a", etag='"x"', now=T3)
    assert clock.modified(url="/a", etag='"y"', now=T1) == T3


def test_urls_are_independent(clock: RepresentationClock) -> None:
    clock.modified(url="/a", etag='"x"', now=T1)
    assert clock.modified(url="/a?tag=t", etag='"x"', now=T2) == T2
    assert clock.modified(url="/a", etag='"x"', now=T3) == T1


def test_sqlite_times_survive_a_restart(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "r.db")
    store.modified(url="/a", etag='"x"', now=T1)
    store.close()
    again = SqliteStore(tmp_path / "r.db")
    token = again.change_token()
    assert again.modified(url="/a", etag='"x"', now=T3) == T1
    assert again.change_token() == token  # an unchanged representation is only read
    again.close()


def test_the_number_of_urls_is_bounded_and_forgetting_only_moves_forward(
    clock: RepresentationClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(representations, "MAX_REPRESENTATIONS", 20)
    monkeypatch.setattr("registry.store.sqlite_operations.MAX_REPRESENTATIONS", 20)
    if isinstance(clock, MemoryRepresentations):
        clock = MemoryRepresentations(limit=20)
    clock.modified(url="/oldest", etag='"x"', now=T1)
    for i in range(30):
        clock.modified(url=f"/u{i}", etag='"x"', now=T2)
    assert clock.modified(url="/oldest", etag='"x"', now=T3) == T3  # forgotten: now, not T1
