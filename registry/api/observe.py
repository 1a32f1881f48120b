"""Around every HTTP request: the request id, the request metrics and the access log line.

Wraps the app's ASGI handler (as :mod:`registry.api.head` does), so requests no route matched
(404) and framework errors are counted and logged too. The route label is litestar's
``path_template`` of the matched route (``/event-types/{key}/versions``), never the raw path.

The request id is the client's ``X-Request-ID`` when it is sane (1-128 characters of letters,
digits and ``._:=+-``), else a new one; it is echoed in the response's ``X-Request-ID`` and
kept in the scope (``registry_request_id``) for handlers that want it.
"""

from __future__ import annotations

import logging
import os
import re
import time
from typing import Any

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send

from registry.api.head import HEAD_SCOPE_KEY
from registry.core.auth import PRINCIPAL_KEY
from registry.logs import ACCESS_LOGGER, request_line
from registry.metrics import UNMATCHED, Metrics

REQUEST_ID_HEADER = b"x-request-id"
REQUEST_ID_SCOPE_KEY = "registry_request_id"
_SANE_ID = re.compile(r"[A-Za-z0-9._:=+\-]{1,128}")


def request_id_of(scope: Scope) -> str:
    """The client's X-Request-ID when it is sane, else a new random one."""
    for name, value in scope.get("headers", ()):
        if name == REQUEST_ID_HEADER:
            candidate = value.decode("latin-1")
            if _SANE_ID.fullmatch(candidate):
                return candidate
            break
    return os.urandom(16).hex()  # 32 hex digits, as uuid4().hex, without building a UUID


def _actor(scope: Any) -> str | None:
    """The authenticated token's name (never the token); None for anonymous callers."""
    principal = scope.get(PRINCIPAL_KEY)
    if not getattr(principal, "authenticated", False):
        return None
    name = getattr(principal, "name", None)
    return name if isinstance(name, str) and name else None


def observe(app: ASGIApp, metrics: Metrics) -> ASGIApp:
    """``app`` with request ids, request metrics and one access log line per request."""
    log = logging.getLogger(ACCESS_LOGGER)

    async def handler(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        request_id = request_id_of(scope)
        scope[REQUEST_ID_SCOPE_KEY] = request_id  # type: ignore[literal-required]
        header = (REQUEST_ID_HEADER, request_id.encode("latin-1"))
        status = 500

        async def send_with_id(message: Any) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", ()), header]}
            await send(message)

        start = time.perf_counter()
        try:
            await app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - start
            method = "HEAD" if scope.get(HEAD_SCOPE_KEY) else scope["method"]
            route = scope.get("path_template") or UNMATCHED
            metrics.request(method=method, route=route, status=status, seconds=seconds)
            request_line(
                log,
                request_id=request_id,
                method=method if method.isascii() and len(method) <= 16 else "other",
                route=route,
                status=status,
                seconds=seconds,
                actor=_actor(scope),
            )

    return handler
