"""The audit trail (``/audit``) and the change feed built on it (``/changes``, SSE)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from functools import partial
from typing import Annotated, Any

import anyio.to_thread
import msgspec
from litestar import Controller, Request, delete, get
from litestar.params import HeaderParameter, QueryParameter
from litestar.response import ServerSentEvent, ServerSentEventMessage

from registry.api.deps import AppSettings, Service, WhoActs
from registry.api.head import HEAD_SCOPE_KEY
from registry.api.wire import READ_ERRORS, WRITE_ERRORS, problem_responses
from registry.core.audit import AuditPage, ChangePage
from registry.core.service import RegistryService

KEEPALIVE_SECONDS = 15.0
Cursor = Annotated[
    str | None,
    QueryParameter(name="cursor", required=False, description="`nextCursor` of the last page."),
]
Limit = Annotated[int, QueryParameter(name="limit", ge=1, le=500, description="Page size.")]


class Purged(msgspec.Struct):
    deleted: int


class AuditController(Controller):
    path = "/audit"
    tags = ["audit"]

    @get(
        "/",
        responses=problem_responses(READ_ERRORS),
        operation_id="listAuditEntries",
        sync_to_thread=True,
        summary="Every state change (who, when, what, from where), oldest first",
    )
    def entries(
        self,
        service: Service,
        key: Annotated[
            str | None, QueryParameter(required=False, description="Only this event type.")
        ] = None,
        actor: Annotated[
            str | None, QueryParameter(required=False, description="Only this actor (token name).")
        ] = None,
        since: Annotated[
            str | None, QueryParameter(required=False, description="ISO 8601; at or after.")
        ] = None,
        until: Annotated[
            str | None, QueryParameter(required=False, description="ISO 8601; before.")
        ] = None,
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> AuditPage:
        return service.audit_log(
            key=key, actor=actor, since=since, until=until, cursor=cursor, limit=limit
        )

    @delete(
        "/",
        responses=problem_responses(WRITE_ERRORS),
        operation_id="purgeAuditEntries",
        sync_to_thread=True,
        status_code=200,
        summary="Delete entries older than `before` (admin); the purge itself is recorded",
    )
    def purge(
        self,
        service: Service,
        who: WhoActs,
        before: Annotated[str, QueryParameter(description="ISO 8601; entries before go.")],
    ) -> Purged:
        return Purged(deleted=service.purge_audit(before=before, actor=who))


class ChangesController(Controller):
    path = "/changes"
    tags = ["audit"]

    @get(
        "/",
        responses=problem_responses(READ_ERRORS),
        operation_id="listChanges",
        sync_to_thread=True,
        summary="Change feed for polling: registrations, deprecations, disables, sunsets, deletes",
    )
    def poll(
        self,
        service: Service,
        after: Annotated[
            str | None,
            QueryParameter(
                required=False,
                description="`nextCursor` of the last answer; omit for the whole history.",
            ),
        ] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=500, description="Page size.")] = 100,
    ) -> ChangePage:
        return service.changes(after=after, limit=limit)

    @get(
        "/stream",
        responses=problem_responses(READ_ERRORS),
        operation_id="streamChanges",
        media_type="text/event-stream",
        summary="The change feed as server-sent events (reconnect with Last-Event-ID)",
        description=(
            "Each event's `id` is its cursor, `event` its type, `data` the change as JSON. "
            "Without `after` or `Last-Event-ID` the stream starts with the next change. The "
            "server ends a stream after `changes_stream_seconds`; EventSource reconnects."
        ),
    )
    async def stream(
        self,
        request: Request[Any, Any, Any],
        service: Service,
        settings: AppSettings,
        after: Annotated[
            str | None,
            QueryParameter(required=False, description="Start after this cursor."),
        ] = None,
        last_event_id: Annotated[
            str | None,
            HeaderParameter(
                name="Last-Event-ID", required=False, description="Set by EventSource."
            ),
        ] = None,
    ) -> ServerSentEvent:
        if request.scope.get(HEAD_SCOPE_KEY):  # HEAD: the headers of the stream, no stream
            return ServerSentEvent([], retry_duration=int(settings.changes_poll_seconds * 1000))
        start = last_event_id or after
        if start is None:
            start = await anyio.to_thread.run_sync(service.latest_change_cursor)
        else:  # a bad cursor is a 400 now, not a broken stream later
            await anyio.to_thread.run_sync(lambda: service.changes(after=start, limit=1))
        return ServerSentEvent(
            _events(service, start, settings.changes_poll_seconds, settings.changes_stream_seconds),
            retry_duration=int(settings.changes_poll_seconds * 1000),
        )


async def _events(
    service: RegistryService, cursor: str, poll: float, lifetime: float
) -> AsyncIterator[ServerSentEventMessage]:
    """Changes after ``cursor`` as they land, for at most ``lifetime`` seconds."""
    ends = time.monotonic() + lifetime
    quiet_since = time.monotonic()
    while True:
        page = await anyio.to_thread.run_sync(partial(service.changes, after=cursor, limit=100))
        for change in page.items:
            yield ServerSentEventMessage(
                data=msgspec.json.encode(change).decode(), event=change.type, id=change.id
            )
        cursor = page.next_cursor or cursor
        now = time.monotonic()
        if page.items:
            quiet_since = now
        elif now - quiet_since >= KEEPALIVE_SECONDS:
            quiet_since = now
            yield ServerSentEventMessage(comment="keep-alive")
        if now >= ends:
            return
        await asyncio.sleep(min(poll, max(ends - now, 0.0)))
