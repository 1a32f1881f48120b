"""GET /bundle: every live event type's latest schema in one conditional download for SDKs."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.params import QueryParameter

from registry.api.caching import REVALIDATE, conditional
from registry.api.deps import Service
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
        service: Service,
        prefix: Annotated[str, QueryParameter(description="Only keys starting with this.")] = "",
        tag: Annotated[str | None, QueryParameter(description="Only types with this tag.")] = None,
    ) -> Bundle:
        return Bundle.of(service.bundle(prefix=prefix, tag=tag), prefix=prefix, tag=tag)
