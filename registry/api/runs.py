"""Which run a drop-in request belongs to, with no change to the client.

In order: an explicit ``X-Run-Id`` header or ``runId`` query parameter; the path prefix
``/run/<id>/`` (``/run/ci-42/api/v2/event``: every drop-in path is served under it); the
credentials the client already sends (:mod:`registry.core.credentials`: ``run-<id>.<rest>`` as
the Basic password, the Bearer token or ``X-Reteno-Access-Key``; ``run:<id>`` as the Basic
user). Only the run id is kept; the secret part of a key is never stored or echoed.
"""

from __future__ import annotations

from typing import Any

from litestar import Request

from registry.core import credentials
from registry.core.errors import InvalidRequest


def run_id_of(request: Request[Any, Any, Any], explicit: str | None) -> str | None:
    """``explicit`` (header, query or path prefix) when given, else what the credentials say."""
    if explicit:
        return explicit
    found = credentials.parse(
        request.headers.get("authorization"), request.headers.get(credentials.RETENO_HEADER)
    )
    return found.run_id


def split_run_path(rest: str) -> tuple[str, str]:
    """``"/ci-42/api/v2/event"`` -> ``("ci-42", "/api/v2/event")``; a bad run id: InvalidRequest."""
    run, _, path = rest.lstrip("/").partition("/")
    if not credentials.RUN_ID.fullmatch(run):
        raise InvalidRequest(
            f"/run/{run}/: a run id is 1..64 of A-Z a-z 0-9 _ - starting with a letter or digit",
            pointer="run",
        )
    return run, "/" + path
