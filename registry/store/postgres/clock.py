"""The PostgreSQL RepresentationClock (``Last-Modified`` times, table ``representations``).

An unchanged representation is one read; a change is one transaction under a per-URL advisory
lock (two replicas serving a new ETag at once record one time), bounded like the SQLite one.
"""

from __future__ import annotations

from typing import Any

import psycopg

from registry.store import representations
from registry.store.postgres.connections import Pool


def _read(pool: Pool, sql: str, url: str) -> list[tuple[Any, ...]]:
    with pool.reading() as conn:
        return conn.execute(sql, [url]).fetchall()


def modified(pool: Pool, *, url: str, etag: str, now: str) -> str:
    """The stored time while ``etag`` is the recorded one, else ``max(now, stored)`` (kept)."""
    sql = "SELECT etag, modified_at FROM representations WHERE url = %s"
    rows = _read(pool, sql, url)
    time, changed = representations.advance(rows[0] if rows else None, etag, now)
    if not changed:
        return time
    with pool.transaction() as conn:
        conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [url])
        row = conn.execute(sql, [url]).fetchone()
        time, changed = representations.advance(row, etag, now)
        if changed:
            conn.execute(
                "INSERT INTO representations VALUES (%s, %s, %s) ON CONFLICT (url) DO "
                "UPDATE SET etag = EXCLUDED.etag, modified_at = EXCLUDED.modified_at",
                [url, etag, time],
            )
            _forget_oldest(conn)
    return time


def _forget_oldest(conn: psycopg.Connection[Any]) -> None:
    limit = representations.MAX_REPRESENTATIONS
    row = conn.execute("SELECT count(*) FROM representations").fetchone()
    if row is not None and row[0] > limit:
        conn.execute(
            "DELETE FROM representations WHERE url IN (SELECT url FROM representations "
            "ORDER BY modified_at LIMIT %s)",
            [max(1, limit // 10)],
        )
