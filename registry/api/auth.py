"""Authentication and authorisation of every routed request (an ASGI middleware).

After it, ``scope["registry_principal"]`` holds the :class:`~registry.core.auth.Principal`
(:data:`~registry.core.auth.ANONYMOUS` with auth off). The secret comes from ``Authorization:
Bearer``, Basic (the token is the password) or, on the mobile SDK endpoint, the Reteno SDKs'
``X-Reteno-Access-Key``. A cached verdict costs no I/O; a store read (once a second per
secret) and the ``last_used_at`` write (once a minute per token) run in worker threads.
"""

from __future__ import annotations

import asyncio
import logging
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import anyio.to_thread
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send

from registry.api.access import ESCALATIONS, required_scope
from registry.core import credentials
from registry.core.auth import ANONYMOUS, PRINCIPAL_KEY, Principal
from registry.core.errors import (
    AuthenticationRequired,
    EventTypeNotFound,
    InsufficientScope,
    SchemaNotFound,
)
from registry.core.service import RegistryService
from registry.core.tokens import TokenService

log = logging.getLogger("registry")
MOBILE_PATH = "/api/v1/events"
PUBLIC_PRINCIPAL = Principal(name="anonymous", scope="read")
"""Who calls a public route (``/health``) while auth is on."""


def header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return value.decode("latin-1")
    return None


class Gate:
    """What the middleware needs: the token service (``None``: auth off), the registry (for a
    restricted token's tags) and a one-thread executor for ``last_used_at`` writes."""

    def __init__(self, tokens: TokenService | None, service: RegistryService) -> None:
        self.tokens = tokens
        self.service = service
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="token-touch")

    def close(self) -> None:
        self.executor.shutdown(wait=True)

    def _touch(self, token_id: str) -> None:
        assert self.tokens is not None
        try:
            self.tokens.touch(token_id)
        except Exception:
            log.exception("could not record the use of token %s", token_id)

    async def principal(self, scope: Scope) -> Principal:
        """The caller; raises AuthenticationRequired / InvalidToken / TokenExpired."""
        assert self.tokens is not None
        mobile = scope["path"].endswith(MOBILE_PATH)  # also under /run/<id>/
        reteno = header(scope, b"x-reteno-access-key") if mobile else None
        secret = credentials.parse(header(scope, b"authorization"), reteno).secret
        if not secret:
            raise AuthenticationRequired
        known, principal, due = self.tokens.cached(secret)
        if not known:
            await anyio.to_thread.run_sync(self.tokens.load, secret)
            known, principal, due = self.tokens.cached(secret)
        assert principal is not None
        if due and principal.token_id is not None:
            asyncio.get_running_loop().run_in_executor(
                self.executor, self._touch, principal.token_id
            )
        return principal

    async def check_restriction(self, principal: Principal, scope: Scope) -> None:
        """A restricted token reaches only the event types it sees; others look absent."""
        params = scope.get("path_params") or {}
        if "schema_id" in params:
            raise SchemaNotFound(int(params["schema_id"]))
        key = params.get("key", params.get("subject"))  # /ccompat/v7: a subject is a key
        if key is None or principal.sees(key):
            return
        tags: list[str] = []
        if principal.tags:
            tags = await anyio.to_thread.run_sync(self._tags, key)
        if not principal.sees(key, tags):
            raise EventTypeNotFound(key)

    def _tags(self, key: str) -> list[str]:
        try:
            return list(self.service.get_event_type(key=key, include_deleted=True).tags)
        except EventTypeNotFound:
            return []


def _query(scope: Scope, operation_id: str | None) -> dict[str, str]:
    if operation_id not in ESCALATIONS:
        return {}
    pairs = urllib.parse.parse_qsl(scope.get("query_string", b"").decode("latin-1"))
    return dict(pairs)


def auth_middleware(app: ASGIApp, gate: Gate) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        if gate.tokens is None:
            scope[PRINCIPAL_KEY] = ANONYMOUS  # type: ignore[literal-required]
            await app(scope, receive, send)
            return
        handler: Any = scope.get("route_handler")
        operation_id = getattr(handler, "operation_id", None)
        operation_id = operation_id if isinstance(operation_id, str) else None
        method = scope["method"]
        needed = required_scope(method, scope["path"], operation_id, _query(scope, operation_id))
        if needed is None:
            scope[PRINCIPAL_KEY] = PUBLIC_PRINCIPAL  # type: ignore[literal-required]
            await app(scope, receive, send)
            return
        principal = await gate.principal(scope)
        if not principal.allows(needed):
            raise InsufficientScope(needed, principal.scope)
        if principal.restricted:
            await gate.check_restriction(principal, scope)
        scope[PRINCIPAL_KEY] = principal  # type: ignore[literal-required]
        await app(scope, receive, send)

    return middleware
