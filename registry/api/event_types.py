"""Event types: create, list, get, update, soft/permanent delete, restore."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, delete, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter

from registry.api.caching import REVALIDATE, conditional
from registry.api.deps import Service, WhoActs, principal_of
from registry.api.wire import (
    READ_ERRORS,
    WRITE_ERRORS,
    EventTypeIn,
    EventTypeOut,
    EventTypePage,
    EventTypePatch,
    problem_responses,
)
from registry.core.model import EventTypeQuery

IncludeDeleted = Annotated[
    bool,
    QueryParameter(name="includeDeleted", description="Also return soft-deleted event types."),
]


class EventTypeController(Controller):
    path = "/event-types"
    tags = ["event types"]

    @post(
        "/",
        responses=problem_responses(WRITE_ERRORS),
        operation_id="createEventType",
        sync_to_thread=True,
        summary="Create an event type",
    )
    def create(self, data: JSONBody[EventTypeIn], service: Service, who: WhoActs) -> EventTypeOut:
        created = service.create_event_type(
            key=data.key,
            description=data.description,
            owner=data.owner,
            tags=data.tags,
            actor=who,
        )
        return EventTypeOut.of(created)

    @get(
        "/",
        responses=problem_responses(READ_ERRORS),
        operation_id="listEventTypes",
        **conditional(REVALIDATE),
        sync_to_thread=True,
        summary="List event types",
    )
    def list_types(
        self,
        request: Request[Any, Any, Any],
        service: Service,
        include_deleted: IncludeDeleted = False,
        prefix: Annotated[str, QueryParameter(description="Only keys starting with this.")] = "",
        tag: Annotated[str | None, QueryParameter(description="Only types with this tag.")] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=500, description="Page size.")] = 50,
        cursor: Annotated[
            str | None, QueryParameter(description="`nextCursor` of the previous page.")
        ] = None,
    ) -> EventTypePage:
        page = service.list_event_types(
            query=EventTypeQuery(
                prefix=prefix, tag=tag, include_deleted=include_deleted, after=cursor, limit=limit
            )
        )
        principal = principal_of(request)
        items = [t for t in page.items if principal.sees(t.key, t.tags)]
        return EventTypePage(
            items=[EventTypeOut.of(t) for t in items], next_cursor=page.next_cursor
        )

    @get(
        "/{key:str}",
        responses=problem_responses(READ_ERRORS),
        operation_id="getEventType",
        **conditional(REVALIDATE),
        sync_to_thread=True,
        summary="Get one",
    )
    def get_one(
        self, key: FromPath[str], service: Service, include_deleted: IncludeDeleted = False
    ) -> EventTypeOut:
        return EventTypeOut.of(service.get_event_type(key=key, include_deleted=include_deleted))

    @patch(
        "/{key:str}",
        responses=problem_responses(WRITE_ERRORS),
        operation_id="updateEventType",
        sync_to_thread=True,
        summary="Update",
    )
    def update(
        self, key: FromPath[str], data: JSONBody[EventTypePatch], service: Service, who: WhoActs
    ) -> EventTypeOut:
        updated = service.update_event_type(
            key=key, description=data.description, owner=data.owner, tags=data.tags, actor=who
        )
        return EventTypeOut.of(updated)

    @delete(
        "/{key:str}",
        responses=problem_responses(WRITE_ERRORS),
        operation_id="deleteEventType",
        sync_to_thread=True,
        summary="Soft-delete, or with permanent=true delete a soft-deleted type for good",
    )
    def remove(
        self,
        key: FromPath[str],
        service: Service,
        who: WhoActs,
        permanent: Annotated[
            bool, QueryParameter(description="Delete for good (only after a soft delete).")
        ] = False,
    ) -> None:
        service.delete_event_type(key=key, permanent=permanent, actor=who)

    @post(
        "/{key:str}/restore",
        responses=problem_responses(WRITE_ERRORS),
        operation_id="restoreEventType",
        sync_to_thread=True,
        status_code=200,
        summary="Undo a soft delete",
    )
    def restore(self, key: FromPath[str], service: Service, who: WhoActs) -> EventTypeOut:
        return EventTypeOut.of(service.restore_event_type(key=key, actor=who))
