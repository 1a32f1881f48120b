"""The Host header allow-list of the served app (DNS rebinding defence)."""

from __future__ import annotations

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send

from registry.api.auth import header
from registry.core.auth import host_name
from registry.core.errors import HostNotAllowed


def host_middleware(app: ASGIApp, allowed: frozenset[str] | None) -> ASGIApp:
    """Refuse requests whose Host names no allowed host (``allowed=None``: any host)."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if allowed is not None and scope["type"] == ScopeType.HTTP:
            name = host_name(header(scope, b"host") or "")
            if name not in allowed:
                raise HostNotAllowed
        await app(scope, receive, send)

    return middleware
