"""import_records where PostgreSQL differs: replicas importing at once (the contract itself
is tests/contract/test_dump.py)."""

from __future__ import annotations

import threading

from registry.core.errors import StoreNotEmpty
from registry.store.memory import InMemoryStore
from registry.store.postgres.store import PostgresStore
from tests.contract.test_dump import populate


def test_two_imports_at_once_one_lands_the_other_is_refused_cleanly(pg_url: str) -> None:
    """The emptiness check and the inserts are one step (a table lock): the second import
    waits, then finds the first one's rows (StoreNotEmpty), never a duplicate-key error."""
    source = InMemoryStore()
    populate(source)
    records = source.export_records()
    stores = [PostgresStore(pg_url), PostgresStore(pg_url)]  # two replicas
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def run(store: PostgresStore) -> None:
        start.wait()
        try:
            store.import_records(records=records)
            outcomes.append("imported")
        except StoreNotEmpty:
            outcomes.append("store_not_empty")
        except Exception as exc:
            outcomes.append(repr(exc))

    threads = [threading.Thread(target=run, args=(s,)) for s in stores]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert sorted(outcomes) == ["imported", "store_not_empty"]
        assert stores[0].export_records() == records
    finally:
        for s in stores:
            s.close()
