"""Which run a drop-in request belongs to, with no change to the client.

In order: an explicit ``X-Run-Id`` header or ``runId`` query parameter; the path prefix
``/run/<id>/`` (``/run/ci-42/api/v2/event``: every drop-in path is served under it); the
credentials the client already sends (:mod:`registry.core.credentials`: ``run-<id>.<rest>`` as
the Basic password, the Bearer token or ``X-Reteno-Access-Key``; ``run:<id>`` as the Basic
user). Only the run id is kept; the secret part of a key is never stored or echoed.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Router

from registry.core import credentials
from registry.core.errors import InvalidRequest

RUN_PREFIX = "/run/{run:str}"


def run_id_of(request: Request[Any, Any, Any], explicit: str | None) -> str | None:
    if explicit:
        return explicit
    from_path = request.path_params.get("run")
    if from_path is not None:
        if not credentials.RUN_ID.fullmatch(from_path):
            raise InvalidRequest(
                f"/run/{from_path}/: a run id is 1..64 of A-Z a-z 0-9 _ - starting with a "
                "letter or digit",
                pointer="run",
            )
        return str(from_path)
    found = credentials.parse(
        request.headers.get("authorization"), request.headers.get(credentials.RETENO_HEADER)
    )
    return found.run_id


def run_router(handlers: list[Any]) -> Router:
    """The drop-in controllers again under ``/run/<id>`` (kept out of the OpenAPI document:
    the same operations, documented once in README "Run tagging")."""
    return Router(path=RUN_PREFIX, route_handlers=handlers, include_in_schema=False)
