"""SQLite connections shared by the stores: one writer, one reader per thread, one token reader.

Writes go through one connection, serialised by ``write_lock`` and an IMMEDIATE transaction
(which may wait up to ``busy_timeout`` for another process's write lock). Reads never touch that
lock: under WAL each thread reads on a connection of its own (autocommit, so every statement
sees the latest commit), and ``data_version`` comes from a dedicated connection whose lock is
held for one PRAGMA only. A ``:memory:`` database cannot be opened twice, so there everything
shares the write connection under the write lock (tests only).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils.db import Database

from registry.core.errors import StoreBusy
from registry.store.migrations import MIGRATIONS

BUSY_TIMEOUT = 30.0
"""Seconds a write waits for another connection's write lock before giving up."""

CLOSE_DRAIN_SECONDS = 30.0
"""Seconds ``close`` waits for reads under way in other threads to finish."""


class Connections:
    def __init__(self, path: str | Path, *, busy_timeout: float = BUSY_TIMEOUT) -> None:
        self._path = str(path)
        self.busy_timeout = busy_timeout
        self.shared = self._path == ":memory:"
        self.write_lock = threading.RLock()
        self._opened: list[sqlite3.Connection] = []
        self._opened_lock = threading.Lock()
        self.writer = Database(self._open())
        with self.write_lock:
            MIGRATIONS.apply(self.writer)
        self._readers = threading.local()
        self._token_lock = threading.Lock()
        self._token = self.writer.conn if self.shared else self._open(read_only=True)
        self._reads = threading.Condition()  # guards _active and _closed
        self._active = 0
        self._closed = False

    def _open(self, *, read_only: bool = False) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self._path, check_same_thread=False, isolation_level=None, timeout=self.busy_timeout
        )
        if not self.shared:
            conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute(f"PRAGMA busy_timeout={int(self.busy_timeout * 1000)}")
        if read_only:
            conn.execute("PRAGMA query_only=ON")
        with self._opened_lock:
            self._opened.append(conn)
        return conn

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """This thread's read connection."""
        if self.shared:
            with self.write_lock:
                yield self.writer.conn
            return
        with self._reads:
            if self._closed:
                raise sqlite3.ProgrammingError("Cannot operate on a closed database.")
            self._active += 1
        try:
            conn = getattr(self._readers, "conn", None)
            if conn is None:
                conn = self._readers.conn = self._open(read_only=True)
            yield conn
        finally:
            with self._reads:
                self._active -= 1
                if not self._active:
                    self._reads.notify_all()

    @contextmanager
    def writing(self) -> Iterator[Database]:
        """An IMMEDIATE transaction: takes the write lock up front so concurrent writers queue.

        Raises StoreBusy when another connection keeps the lock beyond ``busy_timeout``.
        """
        with self.write_lock:
            try:
                self.writer.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                if "locked" in str(exc) or "busy" in str(exc):
                    raise StoreBusy(self.busy_timeout) from None
                raise
            try:
                yield self.writer
            except BaseException:
                self.writer.execute("ROLLBACK")
                raise
            self.writer.execute("COMMIT")

    def data_version(self) -> int:
        """Changes whenever a connection other than the token's own commits (never waits)."""
        with self._token_lock:
            (version,) = self._token.execute("PRAGMA data_version").fetchone()
        return int(version)

    def close(self, *, drain_seconds: float = CLOSE_DRAIN_SECONDS) -> None:
        """Close every connection, after the reads under way (up to ``drain_seconds``) end.

        Closing a connection while another thread steps a statement on it crashes the
        process; reads that start after this are refused with ProgrammingError.
        """
        with self._reads:
            self._closed = True
            self._reads.wait_for(lambda: not self._active, timeout=drain_seconds)
        with self.write_lock, self._token_lock, self._opened_lock:
            for conn in self._opened:
                conn.close()
            self._opened.clear()
