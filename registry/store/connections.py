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

from registry.store.migrations import MIGRATIONS

BUSY_TIMEOUT = 30.0
"""Seconds a write waits for another connection's write lock before giving up."""


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
        conn = getattr(self._readers, "conn", None)
        if conn is None:
            conn = self._readers.conn = self._open(read_only=True)
        yield conn

    @contextmanager
    def writing(self) -> Iterator[Database]:
        """An IMMEDIATE transaction: takes the write lock up front so concurrent writers queue."""
        with self.write_lock:
            self.writer.execute("BEGIN IMMEDIATE")
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

    def close(self) -> None:
        with self.write_lock, self._opened_lock:
            for conn in self._opened:
                conn.close()
            self._opened.clear()
