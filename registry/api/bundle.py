"""GET /bundle: every live event type's latest schema in one conditional download for SDKs."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get
from litestar.params import QueryParameter

from registry.api.caching import REVALIDATE, conditional
from registry.api.deps import Service, principal_of, visible
from registry.api.wire import READ_ERRORS, Bundle, problem_responses


class BundleController(Controller):
    path = "/bundle"
    tags = ["versions"]

    @get(
        "/",
        responses=problem_responses(READ_ERRORS),
        operation_id="getBundle",
        sync_to_thread=True,
        summary="Latest schema of every live event type (one document, one ETag)",
        **conditional(REVALIDATE),
    )
    def bundle(
        self,
        request: Request[Any, Any, Any],
        service: Service,
        prefix: Annotated[str, QueryParameter(description="Only keys starting with this.")] = "",
        tag: Annotated[str | None, QueryParameter(description="Only types with this tag.")] = None,
    ) -> Bundle:
        versions = service.bundle(prefix=prefix, tag=tag)
        principal = principal_of(request)
        if principal.restricted:
            versions = [v for v in versions if visible(principal, service, v.key)]
        return Bundle.of(versions, prefix=prefix, tag=tag)
