"""The Host header allow-list of the served app (DNS rebinding defence) and the cross-site rule.

A page on another origin can make a browser send a *simple* request (a form post: no custom
headers, a form or text body, or none) without a CORS preflight. So a POST must declare a JSON
body (``Content-Type: application/json`` or ``+json`` / NDJSON), which no form can; an empty
body with that header is fine. PUT, PATCH and DELETE are always preflighted by browsers.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.exceptions import HTTPException
from litestar.types import ASGIApp, Receive, Scope, Send

from registry.api.auth import header
from registry.core.auth import host_name
from registry.core.errors import HostNotAllowed

JSON_TYPES = ("application/json", "application/x-ndjson")


def is_json(media_type: str) -> bool:
    return media_type in JSON_TYPES or media_type.endswith("+json")


async def require_json(request: Request[Any, Any, Any]) -> None:
    """415 for a POST that is not declared JSON, and for a PUT/PATCH body that is not JSON."""
    if request.method not in ("POST", "PUT", "PATCH"):
        return
    media_type = request.content_type[0]
    if is_json(media_type):
        return
    if request.method != "POST" and not media_type and not await request.body():
        return
    raise HTTPException(
        status_code=415,
        detail=f"send JSON with 'Content-Type: application/json' (got {media_type or 'none'!r}); "
        "a POST without a body needs that header too",
    )


def host_middleware(app: ASGIApp, allowed: frozenset[str] | None) -> ASGIApp:
    """Refuse requests whose Host names no allowed host (``allowed=None``: any host)."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if allowed is not None and scope["type"] == "http":
            name = host_name(header(scope, b"host") or "")
            if name not in allowed:
                raise HostNotAllowed
        await app(scope, receive, send)

    return middleware
