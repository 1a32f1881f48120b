"""The PostgreSQL connection pool, its bounded waits, the error mapping and the change token.

Every wait is bounded: a pooled connection (``timeout``), a new connection (``connect_timeout``),
a statement (``statement_timeout`` = ``timeout``, plus :data:`LOCK_TIMEOUT` for the lock waits
of concurrent writers). A dead connection (server restarted) is noticed when it is taken from
the pool (``check``) and replaced, so the process recovers without a restart. Driver errors
become core errors here, in one place: unreachable or too slow is ``StoreUnavailable``.

The change token (``SchemaStore.change_token``) never costs a round trip: each write transaction
takes a number from the sequence ``change_counter`` and announces it with ``pg_notify`` on
:data:`CHANNEL` (delivered at commit); a background thread LISTENs and counts what it hears, and
once a :data:`POLL_SECONDS` interval passes in silence it also compares the sequence's value
(so even a lost notification is seen within that interval). While the listener is disconnected
the token raises ``StoreUnavailable``: a replica that cannot hear changes must not serve from
caches that may be stale.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import psycopg.errors
from psycopg_pool import ConnectionPool, PoolTimeout

from registry.core.errors import InvalidRequest, StoreBusy, StoreUnavailable
from registry.store.postgres import migrations

CHANNEL = "event_registry_changes"
LOCK_TIMEOUT = 30.0
"""Seconds a write waits for another transaction's row lock (as SQLite's busy timeout)."""
POLL_SECONDS = 1.0
"""The listener's fallback look at the change counter when no notification arrives."""
RECONNECT_SECONDS = 0.25
"""Pause between two reconnection attempts of the listener after it lost the database."""
PROPAGATION_SECONDS = 2.0
"""The documented bound: a write acknowledged by one replica is seen by every other one's
``latest``, ``/validate`` and ``/bundle`` within this (NOTIFY arrives in milliseconds; a lost one
is caught by the POLL_SECONDS look; the rest is margin for a loaded machine). Reads that go to the
database (``latest``, ``/bundle``) see it at once; /validate's caches follow the change token."""
log = logging.getLogger("registry")


def _options(timeout: float) -> dict[str, Any]:
    statement_ms = int((timeout + LOCK_TIMEOUT) * 1000)
    return {
        "connect_timeout": max(2, round(timeout)),  # libpq: whole seconds, at least 2
        "options": f"-c lock_timeout={int(LOCK_TIMEOUT * 1000)} "
        f"-c statement_timeout={statement_ms} -c idle_in_transaction_session_timeout=60000",
        "keepalives": 1,
        "keepalives_idle": 10,
        "keepalives_interval": 5,
        "keepalives_count": 3,
        "application_name": "event-registry",
    }


class Pool:
    """A psycopg pool whose connections are autocommit; ``transaction`` and ``reading`` map
    driver errors to core ones."""

    def __init__(self, url: str, *, timeout: float, size: int, name: str) -> None:
        self.url = url
        self.timeout = timeout
        self._options = _options(timeout)
        self._pool = ConnectionPool(
            url,
            min_size=1,
            max_size=max(1, size),
            timeout=timeout,
            kwargs={"autocommit": True, **self._options},
            check=ConnectionPool.check_connection,
            name=name,
            open=False,
        )
        try:
            self._pool.open(wait=True, timeout=timeout)
        except PoolTimeout:
            self._pool.close()
            raise StoreUnavailable(timeout) from None
        with self.reading() as conn:
            migrations.apply(conn)

    def connect(self) -> psycopg.Connection[Any]:
        """A connection of its own (the listener's), outside the pool."""
        return psycopg.connect(self.url, autocommit=True, **self._options)

    @contextmanager
    def reading(self) -> Iterator[psycopg.Connection[Any]]:
        """A pooled autocommit connection: each statement sees the latest commit."""
        with self.errors(), self._pool.connection() as conn:
            yield conn

    @contextmanager
    def transaction(self) -> Iterator[psycopg.Connection[Any]]:
        """One transaction (committed on leaving, rolled back on an exception)."""
        with self.errors(), self._pool.connection() as conn, conn.transaction():
            yield conn

    @contextmanager
    def errors(self) -> Iterator[None]:
        try:
            yield
        except psycopg.errors.LockNotAvailable:
            raise StoreBusy(LOCK_TIMEOUT) from None
        except PoolTimeout:
            raise StoreUnavailable(self.timeout) from None
        except psycopg.errors.QueryCanceled:
            raise StoreUnavailable(self.timeout + LOCK_TIMEOUT) from None
        except psycopg.errors.UntranslatableCharacter as exc:
            raise InvalidRequest(f"text the database cannot store: {exc}") from None
        except psycopg.DataError as exc:
            # text with a NUL character (PostgreSQL text cannot hold U+0000), and the like
            raise InvalidRequest(f"a value the database cannot store: {exc}") from None
        except (psycopg.OperationalError, psycopg.InterfaceError):
            # the server went away (restart, network), or a connection it closed was reused
            raise StoreUnavailable(self.timeout) from None

    def close(self) -> None:
        self._pool.close()


def announce(conn: psycopg.Connection[Any]) -> None:
    """Inside a write transaction: bump the counter and notify the listeners at commit."""
    conn.execute(f"SELECT pg_notify('{CHANNEL}', nextval('change_counter')::text)")


class ChangeListener:
    """Counts the change notifications of every replica; ``token`` is a local read."""

    def __init__(self, pool: Pool) -> None:
        self._pool = pool
        self._lock = threading.Lock()
        self._heard = 0
        self._connected = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pg-change-listener", daemon=True)
        self._thread.start()
        if not self._connected.wait(pool.timeout):
            raise StoreUnavailable(pool.timeout)

    def token(self) -> int:
        if not self._connected.is_set():
            raise StoreUnavailable(self._pool.timeout)
        return self._heard

    def bump(self) -> None:
        """A write of this process committed (its notification follows; both count)."""
        with self._lock:
            self._heard += 1

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._listen()
            except psycopg.Error as exc:
                if self._stop.is_set():
                    return
                if self._connected.is_set():
                    log.warning("change listener lost the database (%s); reconnecting", exc)
                self._connected.clear()
                self.bump()  # whatever happened meanwhile is unknown: caches refresh
                self._stop.wait(RECONNECT_SECONDS)

    def _listen(self) -> None:
        with self._pool.connect() as conn:
            conn.execute(f"LISTEN {CHANNEL}")
            seen = self._counter(conn)
            self.bump()  # changes made before (re)connecting were not heard
            self._connected.set()
            while not self._stop.is_set():
                heard = False
                for _ in conn.notifies(timeout=POLL_SECONDS, stop_after=64):
                    heard = True
                    self.bump()
                if not heard and not self._stop.is_set():
                    now = self._counter(conn)
                    if now != seen:
                        seen = now
                        self.bump()

    @staticmethod
    def _counter(conn: psycopg.Connection[Any]) -> int:
        row = conn.execute(
            "SELECT last_value + CASE WHEN is_called THEN 1 ELSE 0 END FROM change_counter"
        ).fetchone()
        return int(row[0]) if row else 0

    def close(self) -> None:
        """The thread leaves within POLL_SECONDS (it is not waited for: a daemon)."""
        self._stop.set()
