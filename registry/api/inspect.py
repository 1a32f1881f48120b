"""The inspection log: what the dry-run endpoints (and /validate?record=true) received."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, delete, get
from litestar.params import QueryParameter

from registry.api.deps import DryRunDep, run_owner
from registry.api.wire import READ_ERRORS, WRITE_ERRORS, problem_responses
from registry.core.inspection import InspectionPage, InspectionSummary

RunId = Annotated[
    str | None,
    QueryParameter(name="runId", required=False, max_length=200, description="One run only."),
]


class Deleted(msgspec.Struct):
    deleted: int


class InspectionController(Controller):
    path = "/inspect"
    tags = ["inspection"]

    @get(
        "/events",
        responses=problem_responses(READ_ERRORS),
        operation_id="listInspectedEvents",
        sync_to_thread=True,
        summary="Recorded events, newest first (keyset pagination)",
    )
    def events(
        self,
        *,
        request: Request[Any, Any, Any],
        dryrun: DryRunDep,
        run_id: RunId = None,
        event_type_key: Annotated[
            str | None,
            QueryParameter(name="eventTypeKey", required=False, description="Only this type."),
        ] = None,
        valid: Annotated[
            bool | None,
            QueryParameter(name="valid", required=False, description="Only (in)valid ones."),
        ] = None,
        code: Annotated[
            str | None,
            QueryParameter(
                name="code", required=False, description="Only events with this violation code."
            ),
        ] = None,
        since: Annotated[
            str | None,
            QueryParameter(
                name="since", required=False, description="ISO 8601; received at or after."
            ),
        ] = None,
        limit: Annotated[
            int, QueryParameter(name="limit", ge=1, le=500, description="Page size.")
        ] = 50,
        cursor: Annotated[
            str | None,
            QueryParameter(
                name="cursor", required=False, description="`nextCursor` of the previous page."
            ),
        ] = None,
    ) -> InspectionPage:
        return dryrun.query(
            run_id=run_id,
            event_type_key=event_type_key,
            valid=valid,
            code=code,
            since=since,
            limit=limit,
            cursor=cursor,
            recorded_by=run_owner(request),
        )

    @get(
        "/summary",
        responses=problem_responses(READ_ERRORS),
        operation_id="inspectionSummary",
        sync_to_thread=True,
        summary="Counts by event type, code and param; one sample payload per code",
    )
    def summary(
        self, request: Request[Any, Any, Any], dryrun: DryRunDep, run_id: RunId = None
    ) -> InspectionSummary:
        return dryrun.summary(run_id=run_id, recorded_by=run_owner(request))

    @delete(
        "/events",
        responses=problem_responses(WRITE_ERRORS),
        operation_id="resetInspectedEvents",
        sync_to_thread=True,
        status_code=200,
        summary="Delete one run's recorded events (all of them only with all=true; a validate "
        "token deletes only what it recorded), or every event of one contact (contact=..., admin)",
    )
    def reset(
        self,
        request: Request[Any, Any, Any],
        dryrun: DryRunDep,
        run_id: RunId = None,
        everything: Annotated[
            bool, QueryParameter(name="all", description="Required to delete without a runId.")
        ] = False,
        contact: Annotated[
            str | None,
            QueryParameter(
                name="contact",
                required=False,
                max_length=300,
                description="Erase every event naming this keyValue/email/phone/... (admin).",
            ),
        ] = None,
    ) -> Deleted:
        owner = run_owner(request)
        return Deleted(
            deleted=dryrun.reset(
                run_id=run_id, everything=everything, contact=contact, recorded_by=owner
            )
        )
