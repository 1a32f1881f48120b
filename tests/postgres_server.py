"""A real PostgreSQL server for the tests: one per pytest process, started on first use.

The binaries come from ``pg_config --bindir`` or ``/usr/lib/postgresql/<n>/bin`` (Debian keeps
them off PATH). ``initdb`` refuses root, so as root the cluster is created and run by the
``postgres`` user (``runuser -u postgres --``) in a temporary folder it owns. The server listens
on a free 127.0.0.1 port with its unix socket inside that folder, durability off (fsync) since
the cluster is thrown away; every test gets a fresh database (``fresh_database``).

Absent binaries skip the test with the reason, except under CI (``CI``, ``EVENT_REGISTRY_CI`` or
``EVENT_REGISTRY_PG_REQUIRED`` set), where they fail it: CI installs PostgreSQL
(scripts/ci/postgres.sh).
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path

import pytest

STARTUP_SECONDS = 60
BOTH_DATABASES = ["sqlite", "postgres"]
"""For ``pytest.mark.parametrize("db_kind", BOTH_DATABASES)``: an API module on both stores."""


def in_ci() -> bool:
    """CI (or scripts/ci/postgres.sh, which installed PostgreSQL) needs these tests to run."""
    names = ("CI", "EVENT_REGISTRY_CI", "EVENT_REGISTRY_PG_REQUIRED")
    return any(os.environ.get(name) for name in names)


def bindir() -> Path | None:
    """The folder holding initdb/pg_ctl/postgres, or None when PostgreSQL is not installed."""
    candidates: list[str] = []
    if shutil.which("pg_config"):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=False)
        candidates.append(out.stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for folder in candidates:
        if folder and all((Path(folder) / tool).is_file() for tool in ("initdb", "pg_ctl")):
            return Path(folder)
    return None


def unavailable(reason: str) -> None:
    """Skip (a user's plain pytest) or fail (CI) a test that needs PostgreSQL."""
    message = f"PostgreSQL is needed: {reason} (scripts/ci/postgres.sh installs postgresql-15)"
    if in_ci():
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PostgresServer:
    """One throwaway cluster. ``stop``/``start`` keep the data (the fault tests restart it)."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="event-registry-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self._as_postgres = os.geteuid() == 0
        self._lock = threading.Lock()
        self._made = 0
        self._shared: dict[str, str] = {}
        os.chmod(self.root, 0o755)
        if self._as_postgres:
            shutil.chown(self.root, "postgres", "postgres")
        try:
            self._run(
                "initdb",
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-sync",
                "--locale=C",
            )
            self.start()
        except BaseException:
            shutil.rmtree(self.root, ignore_errors=True)
            raise

    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.bin / tool), *args]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=STARTUP_SECONDS, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(f"{tool} failed ({done.returncode}): {done.stderr or done.stdout}")

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.root / "server.log"),
            "-w",
            "-t",
            str(STARTUP_SECONDS),
            "-o",
            options,
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def fresh_database(self) -> str:
        """A new empty database's URL (CREATE DATABASE from template0 takes milliseconds)."""
        import psycopg

        with self._lock:
            self._made += 1
            name = f"t{self._made}_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(self.url(), autocommit=True, connect_timeout=10) as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        return self.url(name)

    def clean_database(self, slot: str = "main") -> str:
        """The URL of this server's shared test database ``slot``, migrated and emptied.

        Tests in one pytest process run one after another, so they can share a database; rows
        are deleted (milliseconds) where a CREATE DATABASE takes a second on a loaded machine.
        Tests that need a database of their own (replicas, migrations) use ``fresh_database``.
        """
        import psycopg

        from registry.store.postgres.connections import Pool

        if slot not in self._shared:
            url = self.fresh_database()
            Pool(url, timeout=30, size=1, name="migrate-test-db").close()  # applies migrations
            self._shared[slot] = url
        with psycopg.connect(self._shared[slot], autocommit=True, connect_timeout=10) as conn:
            tables = [
                row[0]
                for row in conn.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                    "AND tablename <> 'event_registry_migrations'"
                )
            ]
            with conn.transaction():
                conn.execute("SET LOCAL session_replication_role = replica")  # no FK order
                for table in tables:
                    conn.execute(f'DELETE FROM "{table}"')
                conn.execute(  # ids start at 1 again, as in a new database
                    "SELECT setval(c.oid::regclass, 1, false) FROM pg_class c "
                    "WHERE c.relkind = 'S' AND c.relnamespace = 'public'::regnamespace"
                )
        return self._shared[slot]

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


def start_server() -> PostgresServer:
    """A running server, or skip/fail the calling test with the reason."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        unavailable("psycopg is not installed (pip install -e '.[test]')")
    found = bindir()
    if found is None:
        unavailable("no initdb/pg_ctl under `pg_config --bindir` or /usr/lib/postgresql/*/bin")
        raise AssertionError("unreachable")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        unavailable("running as root without runuser to start the server as postgres")
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        try:
            return PostgresServer(found)
        except RuntimeError as exc:  # a port taken between choosing and binding: try another
            if time.monotonic() > deadline:
                unavailable(f"the server did not start: {exc}")
                raise
