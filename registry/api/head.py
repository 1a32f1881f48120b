"""``HEAD`` on every ``GET`` route: the GET handler runs and the body is dropped (RFC 9110 9.3.2).

litestar routes HEAD only to handlers declared for it, so without this every ``curl -sI`` would
answer 405. Wrapping the app's ASGI handler (outside routing) keeps the handlers, the per-route
caching middleware (ETag, Cache-Control, 304) and the OpenAPI document unchanged: a HEAD gets
exactly the status and headers of the GET, ``Content-Length`` included, and no body.
"""

from __future__ import annotations

from typing import Any

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send


def head_as_get(app: ASGIApp) -> ASGIApp:
    """An ASGI app that answers ``HEAD`` as ``app`` answers ``GET``, without the body."""

    async def handler(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or scope["method"] != "HEAD":
            await app(scope, receive, send)
            return

        async def send_without_body(message: Any) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await app({**scope, "method": "GET"}, receive, send_without_body)

    return handler
