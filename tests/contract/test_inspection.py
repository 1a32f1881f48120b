"""One suite, every InspectionLog implementation (memory, SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest

from registry.core.inspection import InspectedEvent, InspectionQuery
from registry.core.ports import InspectionLog
from registry.store.inspection_memory import InMemoryInspectionLog
from registry.store.inspection_sqlite import SqliteInspectionLog
from registry.store.sqlite import SqliteStore


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def log(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[InspectionLog]:
    made: InspectionLog
    if request.param == "memory":
        made = InMemoryInspectionLog()
    elif request.param == "postgres":
        from registry.store.postgres.inspection import PostgresInspectionLog

        made = PostgresInspectionLog(request.getfixturevalue("pg_url"))
    else:
        made = SqliteInspectionLog(tmp_path / "registry.db")
    yield made
    made.close()


def entry(
    n: int,
    *,
    run: str | None = "run-1",
    key: str | None = "orderCreated",
    codes: tuple[str, ...] = (),
    param: str | None = "totalCost",
) -> InspectedEvent:
    errors = [{"code": c, "severity": "error", "path": "/params", "message": c, "param": param}
              for c in codes]  # fmt: skip
    return InspectedEvent(
        received_at=f"2026-01-01T00:00:{n:02d}.000Z",
        run_id=run,
        format="v2",
        request_id=f"req-{n}",
        event_type_key=key,
        valid=not codes,
        http_status=200,
        payload={"eventTypeKey": key, "n": n},
        report={"valid": not codes, "errors": errors, "warnings": []},
    )


def test_record_assigns_increasing_ids_and_round_trips(log: InspectionLog) -> None:
    stored = log.record(entries=[entry(1), entry(2, codes=("type_mismatch",))])
    assert [e.id for e in stored] == sorted(e.id for e in stored)
    assert stored[0].id > 0
    page = log.query(query=InspectionQuery())
    assert page.items == list(reversed(stored))
    assert page.next_cursor is None


def test_filters(log: InspectionLog) -> None:
    log.record(entries=[entry(1), entry(2, run="other"), entry(3, key="pageViewed"),
                        entry(4, codes=("required_missing",))])  # fmt: skip
    ids = lambda **kw: [e.payload["n"] for e in log.query(query=InspectionQuery(**kw)).items]  # noqa: E731
    assert ids(run_id="run-1") == [4, 3, 1]
    assert ids(event_type_key="pageViewed") == [3]
    assert ids(valid=False) == [4]
    assert ids(valid=True, run_id="run-1") == [3, 1]
    assert ids(code="required_missing") == [4]
    assert ids(code="nope") == []
    assert ids(since="2026-01-01T00:00:03.000Z") == [4, 3]


def test_keyset_pagination_newest_first(log: InspectionLog) -> None:
    log.record(entries=[entry(n) for n in range(1, 8)])
    seen: list[int] = []
    before = None
    while True:
        page = log.query(query=InspectionQuery(limit=3, before_id=before))
        seen += [e.payload["n"] for e in page.items]
        if page.next_cursor is None:
            break
        before = int(page.next_cursor)
    assert seen == [7, 6, 5, 4, 3, 2, 1]


def test_summary_counts_by_type_code_and_param(log: InspectionLog) -> None:
    log.record(entries=[
        entry(1), entry(2, codes=("type_mismatch", "required_missing")),
        entry(3, codes=("type_mismatch",), param="status", key="orderUpdated"),
        entry(4, run="other", codes=("unknown_event_type",), key=None, param=None),
    ])  # fmt: skip
    summary = log.summary(run_id="run-1")
    assert (summary.total, summary.valid, summary.invalid) == (3, 1, 2)
    assert summary.last_seen == "2026-01-01T00:00:03.000Z"
    assert summary.by_event_type["orderCreated"].total == 2
    assert summary.by_event_type["orderCreated"].invalid == 1
    assert summary.by_code["type_mismatch"].events == 2
    assert summary.by_code["type_mismatch"].sample_payload["n"] == 3  # the newest
    assert summary.by_code["required_missing"].sample_payload["n"] == 2
    assert summary.by_param == {"totalCost": 2, "status": 1}
    everything = log.summary(run_id=None)
    assert everything.total == 4
    assert everything.by_event_type[""].total == 1
    assert log.summary(run_id="nobody").total == 0


def test_delete_one_run_or_all(log: InspectionLog) -> None:
    log.record(entries=[entry(1), entry(2, run="other"), entry(3, run=None)])
    assert log.delete(run_id="run-1") == 1
    assert [e.payload["n"] for e in log.query(query=InspectionQuery()).items] == [3, 2]
    assert log.delete(run_id=None) == 2
    assert log.query(query=InspectionQuery()).items == []


def test_purge_by_age_and_by_count(log: InspectionLog) -> None:
    log.record(entries=[entry(n, codes=("type_mismatch",)) for n in range(1, 11)])
    removed = log.purge(received_before="2026-01-01T00:00:03.000Z", keep_newest=100)
    assert removed == 2
    removed = log.purge(received_before="2000-01-01T00:00:00.000Z", keep_newest=5)
    assert removed == 3
    left = [e.payload["n"] for e in log.query(query=InspectionQuery()).items]
    assert left == [10, 9, 8, 7, 6]
    assert log.summary(run_id=None).by_code["type_mismatch"].events == 5
    assert log.purge(received_before="2000-01-01T00:00:00.000Z", keep_newest=0) == 5


def test_sqlite_log_shares_the_registry_database(tmp_path: Path) -> None:
    db = tmp_path / "shared.db"
    SqliteStore(db).close()
    first = SqliteInspectionLog(db)
    first.record(entries=[entry(1)])
    first.close()
    second = SqliteInspectionLog(db)
    assert second.summary(run_id="run-1").total == 1
    second.close()


def test_entries_are_erased_by_contact_hash_and_others_stay(log: InspectionLog) -> None:
    log.record(
        entries=[entry(1), entry(2), entry(3)],
        contacts=[["hmac-sha256:ann"], ["hmac-sha256:bob"], ["hmac-sha256:ann", "hmac-sha256:x"]],
    )
    assert log.delete_contact(contact="hmac-sha256:ann") == 2
    left = log.query(query=InspectionQuery()).items
    assert [e.received_at for e in left] == [entry(2).received_at]
    assert log.delete_contact(contact="hmac-sha256:ann") == 0
    assert log.delete_contact(contact="hmac-sha256:bob") == 1


def test_entries_without_contacts_are_never_erased_by_one(log: InspectionLog) -> None:
    log.record(entries=[entry(1)])
    assert log.delete_contact(contact="hmac-sha256:ann") == 0
    assert len(log.query(query=InspectionQuery()).items) == 1


def test_the_secret_is_random_and_stable(log: InspectionLog) -> None:
    first = log.secret()
    assert len(first) == 32
    assert log.secret() == first


def test_the_sqlite_secret_is_shared_by_every_process_on_the_file(tmp_path: Path) -> None:
    one, two = SqliteInspectionLog(tmp_path / "r.db"), SqliteInspectionLog(tmp_path / "r.db")
    try:
        assert one.secret() == two.secret()
        assert one.secret() != SqliteInspectionLog(tmp_path / "other.db").secret()
    finally:
        one.close()
        two.close()


def test_count_follows_records_deletes_and_purges(log: InspectionLog) -> None:
    assert log.count() == 0
    log.record(entries=[entry(n, run="a" if n < 4 else "b") for n in range(1, 7)])
    assert log.count() == 6
    assert log.delete(run_id="a") == 3
    assert log.count() == 3
    log.purge(received_before="2026-01-01T00:00:00.000Z", keep_newest=1)
    assert log.count() == 1


def test_the_user_agent_and_the_client_format_round_trip(log: InspectionLog) -> None:
    """The traffic report splits by both (migration 0008_traffic)."""
    mobile = msgspec.structs.replace(
        entry(1), format="mobile", user_agent="okhttp/4.12.0 RetenoSDK/2.0"
    )
    stored = log.record(entries=[mobile, entry(2)])
    items = log.query(query=InspectionQuery()).items
    assert [(e.format, e.user_agent) for e in items] == [
        ("v2", None),
        ("mobile", "okhttp/4.12.0 RetenoSDK/2.0"),
    ]
    assert items[1] == stored[0]
