"""SQLite-only behaviour beyond the contract: readers never wait for writers, one version per
content even across processes, and migration 0004 on a database the old race left duplicates in.
"""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlite_utils.db import Database

from registry.core.canonical import fingerprint
from registry.core.compatibility import Level
from registry.core.config import TypeConfig
from registry.core.errors import ConcurrentRegistration, StoreBusy
from registry.core.model import EventType
from registry.settings import Settings
from registry.store.migrations import MIGRATIONS
from registry.store.sqlite import SqliteStore
from registry.wiring import build_service

NOW = "2026-01-01T00:00:00.000Z"
HOLD_SECONDS = 2.0
A = fingerprint({"type": "object"})


def et(key: str) -> EventType:
    return EventType(key=key, created_at=NOW, updated_at=NOW)


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def hold_write_lock(path: Path, seconds: float, locked: threading.Event) -> None:
    """Another connection (as another worker process would) holds the write lock."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    locked.set()
    time.sleep(seconds)
    conn.execute("COMMIT")
    conn.close()


def test_reads_and_the_change_token_never_wait_for_a_blocked_writer(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    store = SqliteStore(db)
    store.create_event_type(event_type=et("a"))
    locked = threading.Event()
    blocker = threading.Thread(target=hold_write_lock, args=(db, HOLD_SECONDS, locked))
    blocker.start()
    locked.wait()
    writer = threading.Thread(target=lambda: store.create_event_type(event_type=et("b")))
    writer.start()
    time.sleep(0.2)  # the writer is now inside BEGIN IMMEDIATE, holding the store's write lock
    assert writer.is_alive()
    latencies = [
        timed(store.change_token),
        timed(lambda: store.get_event_type(key="a")),
        timed(lambda: store.list_versions(key="a")),
        timed(store.get_global_config),
    ]
    blocker.join()
    writer.join()
    assert max(latencies) < 0.05, latencies
    assert store.get_event_type(key="b").key == "b"
    store.close()


def test_the_read_path_never_takes_the_writers_lock(tmp_path: Path) -> None:
    """No timing: a thread holds the store's write lock for the whole test; every read and the
    change token must still complete (they would hang forever if they took that lock)."""
    store = SqliteStore(tmp_path / "l.db")
    store.create_event_type(event_type=et("a"))
    held, release = threading.Event(), threading.Event()

    def writer_in_the_lock() -> None:
        with store._conns.write_lock:
            held.set()
            release.wait()

    holder = threading.Thread(target=writer_in_the_lock)
    holder.start()
    held.wait()
    done: list[str] = []
    reads = {
        "change_token": store.change_token,
        "get_event_type": lambda: store.get_event_type(key="a"),
        "list_versions": lambda: store.list_versions(key="a"),
        "list_examples": lambda: store.list_examples(key="a"),
        "get_global_config": store.get_global_config,
        "all_keys": store.all_keys,
    }
    for name, read in reads.items():
        reader = threading.Thread(target=lambda read=read, name=name: (read(), done.append(name)))
        reader.start()
        reader.join(timeout=10)
    release.set()
    holder.join()
    assert done == list(reads)
    store.close()


def test_a_registration_that_cannot_get_the_lock_is_refused_in_bounded_time(
    tmp_path: Path,
) -> None:
    db = tmp_path / "busy.db"
    store = SqliteStore(db, busy_timeout=0.2)
    store.create_event_type(event_type=et("a"))
    locked = threading.Event()
    blocker = threading.Thread(target=hold_write_lock, args=(db, 1.0, locked))
    blocker.start()
    locked.wait()
    with pytest.raises(ConcurrentRegistration):
        build_service(Settings(), store).register_version(key="a", schema={"type": "object"})
    blocker.join()
    assert store.list_versions(key="a") == []
    store.close()


def test_any_other_write_that_cannot_get_the_lock_is_store_busy(tmp_path: Path) -> None:
    db = tmp_path / "busy2.db"
    store = SqliteStore(db, busy_timeout=0.2)
    locked = threading.Event()
    blocker = threading.Thread(target=hold_write_lock, args=(db, 1.0, locked))
    blocker.start()
    locked.wait()
    with pytest.raises(StoreBusy):
        store.create_event_type(event_type=et("a"))
    blocker.join()
    store.create_event_type(event_type=et("a"))  # the store is fine afterwards
    assert store.get_event_type(key="a").key == "a"
    store.close()


def test_sixteen_threads_with_different_schemas_get_versions_one_to_sixteen(
    tmp_path: Path,
) -> None:
    store = SqliteStore(tmp_path / "t.db")
    service = build_service(Settings(), store)
    service.create_event_type(key="a")
    service.set_type_config(key="a", config=TypeConfig(compatibility=Level.NONE))
    barrier = threading.Barrier(16)
    errors: list[BaseException] = []

    def register(i: int) -> None:
        barrier.wait()
        try:
            service.register_version(key="a", schema={"type": "object", "maxProperties": i})
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=register, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    versions = service.list_versions(key="a")
    assert [v.version for v in versions] == list(range(1, 17))
    assert sorted(v.schema["maxProperties"] for v in versions) == list(range(16))
    store.close()


def test_sixteen_threads_with_identical_content_create_one_version(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "t.db")
    service = build_service(Settings(), store)
    service.create_event_type(key="a")
    service.set_type_config(key="a", config=TypeConfig(compatibility=Level.NONE))
    barrier = threading.Barrier(16)
    outcomes: list[tuple[int, bool]] = []

    def register() -> None:
        barrier.wait()
        done = service.register_version(key="a", schema={"type": "object", "title": "same"})
        outcomes.append((done.version.version, done.created))

    threads = [threading.Thread(target=register) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == [(1, False)] * 15 + [(1, True)]
    assert [v.version for v in service.list_versions(key="a")] == [1]
    store.close()


THREADS_PER_PROCESS = 4


def _register_in_process(db: str, barrier: multiprocessing.synchronize.Barrier, i: int, out):
    """One worker process with four writer threads: four processes make 16 writers at once."""
    store = SqliteStore(db)
    service = build_service(Settings(), store)

    def writer(j: int) -> None:
        n = i * THREADS_PER_PROCESS + j
        barrier.wait()
        same = service.register_version(key="a", schema={"type": "object", "title": "same"})
        barrier.wait()
        own = service.register_version(key="a", schema={"type": "object", "maxProperties": n})
        out.put((same.version.version, same.created, own.version.version, own.created))

    threads = [threading.Thread(target=writer, args=(j,)) for j in range(THREADS_PER_PROCESS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    store.close()


def test_sixteen_writers_in_four_processes_never_store_the_same_content_twice(
    tmp_path: Path,
) -> None:
    """Level NONE: 16 at once (4 processes x 4 threads) register identical content, then 16
    different schemas: one version for the identical content, then 2..17 with no gap, no error
    (a raised ConcurrentRegistration or StoreBusy kills a writer and its result is missing)."""
    db = str(tmp_path / "p.db")
    store = SqliteStore(db)
    service = build_service(Settings(), store)
    service.create_event_type(key="a")
    service.set_type_config(key="a", config=TypeConfig(compatibility=Level.NONE))
    ctx = multiprocessing.get_context("spawn")
    n = 4
    writers = n * THREADS_PER_PROCESS
    barrier, out = ctx.Barrier(writers), ctx.Queue()
    workers = [
        ctx.Process(target=_register_in_process, args=(db, barrier, i, out)) for i in range(n)
    ]
    for w in workers:
        w.start()
    results = [out.get(timeout=120) for _ in range(writers)]
    for w in workers:
        w.join(timeout=30)
    assert sorted((v, created) for v, created, _, _ in results) == [(1, False)] * (writers - 1) + [
        (1, True)
    ]
    assert all(created for *_, created in results)
    assert sorted(own for _, _, own, _ in results) == list(range(2, writers + 2))
    assert [v.version for v in service.list_versions(key="a")] == list(range(1, writers + 2))
    store.close()


def _pre_0004_database(path: Path) -> None:
    """A database as releases before 0004 left it after the race: content A at v1, v3 and v4."""
    db = Database(sqlite3.connect(str(path), isolation_level=None))
    MIGRATIONS.apply(db, stop_before="0004_fingerprint_unique")
    db.execute(
        "INSERT INTO event_types (key, created_at, updated_at) VALUES ('t', ?, ?), ('u', ?, ?)",
        [NOW, NOW, NOW, NOW],
    )
    db.execute(
        "INSERT INTO schemas (schema_id, fingerprint, schema) VALUES (1, ?, ?), (2, ?, ?)",
        [A, '{"type":"object"}', fingerprint({"type": "string"}), '{"type":"string"}'],
    )
    db.execute(
        """INSERT INTO versions (key, version, schema_id, created_at) VALUES
           ('t', 1, 1, ?), ('t', 2, 2, ?), ('t', 3, 1, ?), ('t', 4, 1, ?), ('u', 1, 1, ?)""",
        [NOW] * 5,
    )
    db.close()


def test_migration_0004_merges_duplicates_left_by_the_old_race(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _pre_0004_database(path)
    store = SqliteStore(path)
    assert "0004_fingerprint_unique" in store.applied_migrations()
    assert store.duplicate_versions() == [("t", 3, 1), ("t", 4, 1)]
    # merged, not deleted: pinned numbers still resolve, to the same content
    assert store.get_version(key="t", version=4).schema == {"type": "object"}
    assert [v.version for v in store.list_versions(key="t")] == [1, 2, 3, 4]
    assert store.find_version(key="t", fingerprint=A).version == 1
    service = build_service(Settings(), store)
    again = service.register_version(key="t", schema={"type": "object"})
    assert (again.version.version, again.created) == (1, False)
    # the index now refuses a second row with that content for the type
    with pytest.raises(sqlite3.IntegrityError):
        store._db.execute(
            "INSERT INTO versions (key, version, schema_id, created_at) VALUES ('t', 9, 1, ?)",
            [NOW],
        )
    store.close()


def test_migrate_reports_the_merged_duplicates(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from registry.cli import main

    path = tmp_path / "old.db"
    _pre_0004_database(path)
    result = CliRunner().invoke(main, ["migrate", "--db", str(path)])
    assert result.exit_code == 0, result.output
    merged = [line for line in result.output.splitlines() if line.startswith("merged duplicate")]
    assert merged == [
        "merged duplicate: t v3 holds the same schema as v1 (left by a registration race before "
        "0004_fingerprint_unique; still readable)",
        "merged duplicate: t v4 holds the same schema as v1 (left by a registration race before "
        "0004_fingerprint_unique; still readable)",
    ]


SLOW_READ = (
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000000)"
    " SELECT count(*) FROM n"
)


def test_close_waits_for_a_read_under_way_in_another_thread(tmp_path: Path) -> None:
    """Closing while another thread steps a statement crashed the CI worker (segfault): close
    now waits for the read, which returns its rows, and a read after close is refused."""
    store = SqliteStore(tmp_path / "r.db")
    started, results = threading.Event(), []

    def read() -> None:
        started.set()
        results.append(store._rows(SLOW_READ))

    reader = threading.Thread(target=read)
    reader.start()
    started.wait()
    time.sleep(0.05)  # the statement is stepping
    store.close()
    reader.join(timeout=60)
    assert results == [[(3_000_000,)]]
    with pytest.raises(sqlite3.ProgrammingError):
        store._rows("SELECT 1")
