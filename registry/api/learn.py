"""Learning from traffic over HTTP: infer a schema from samples or from recorded events."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.params import FromPath, JSONBody, QueryParameter

from registry.api.deps import DryRunDep, Service, principal_of, run_owner, visible
from registry.api.wire import READ_ERRORS, WRITE_ERRORS, problem_responses
from registry.core import learning
from registry.core.errors import EventTypeNotFound, InvalidRequest
from registry.core.learning import InferResult, LintResult
from registry.core.paramlist import compile_param_list
from registry.core.traffic import TrafficReport

MAX_SAMPLES = 10_000


class InferIn(msgspec.Struct, forbid_unknown_fields=True, rename="camel", kw_only=True):
    """Either ``samples`` (events as a client sends them) or a slice of the inspection log
    (``runId`` and/or ``since``; neither: every recorded event of the type)."""

    samples: list[Any] | msgspec.UnsetType = msgspec.UNSET
    run_id: Annotated[str, msgspec.Meta(min_length=1, max_length=200)] | msgspec.UnsetType = (
        msgspec.UNSET
    )
    since: str | msgspec.UnsetType = msgspec.UNSET
    """ISO 8601: recorded at or after."""
    limit: Annotated[int, msgspec.Meta(ge=1, le=MAX_SAMPLES)] = 1000
    """Most recorded events read (newest first)."""


def _set(value: Any) -> Any:
    return None if isinstance(value, msgspec.UnsetType) else value


class LearnController(Controller):
    path = "/event-types/{key:str}"
    tags = ["learning"]

    @post(
        "/infer",
        operation_id="inferSchema",
        sync_to_thread=True,
        status_code=200,
        summary="Propose a schema from sample events or recorded traffic (nothing is stored)",
        responses=problem_responses(WRITE_ERRORS),
    )
    def infer(
        self,
        request: Request[Any, Any, Any],
        key: FromPath[str],
        data: JSONBody[InferIn],
        service: Service,
        dryrun: DryRunDep,
    ) -> InferResult:
        _check_visible(request, service, key)
        samples = _set(data.samples)
        if samples is not None:
            if _set(data.run_id) is not None or _set(data.since) is not None:
                raise InvalidRequest(
                    "send samples, or name recorded traffic (runId/since): not both"
                )
            if len(samples) > MAX_SAMPLES:
                raise InvalidRequest(f"at most {MAX_SAMPLES} samples", pointer="samples")
            found, ignored = learning.samples_of(samples, key)
        else:
            found, ignored = learning.recorded_samples(
                dryrun,
                key=key,
                run_id=_set(data.run_id),
                since=_set(data.since),
                limit=data.limit,
                recorded_by=run_owner(request),
            )
        return learning.propose(service, key=key, samples=found, ignored=ignored)

    @get(
        "/traffic",
        operation_id="trafficReport",
        sync_to_thread=True,
        summary="What clients actually sent: per param types, presence, top values, by client",
        responses=problem_responses(READ_ERRORS),
    )
    def traffic(
        self,
        request: Request[Any, Any, Any],
        key: FromPath[str],
        service: Service,
        dryrun: DryRunDep,
        run_id: Annotated[
            str | None,
            QueryParameter(name="runId", required=False, max_length=200, description="One run."),
        ] = None,
        since: Annotated[
            str | None,
            QueryParameter(required=False, description="ISO 8601; recorded at or after."),
        ] = None,
        limit: Annotated[
            int,
            QueryParameter(ge=1, le=MAX_SAMPLES, description="Most recorded events read."),
        ] = 1000,
    ) -> TrafficReport:
        _check_visible(request, service, key)
        return learning.traffic(
            dryrun,
            key=key,
            run_id=run_id,
            since=since,
            limit=limit,
            recorded_by=run_owner(request),
        )


def _check_visible(request: Request[Any, Any, Any], service: Any, key: str) -> None:
    principal = principal_of(request)
    if principal.restricted and not visible(principal, service, key):
        raise EventTypeNotFound(key)  # the not-found body: existence does not leak


class LintIn(msgspec.Struct, forbid_unknown_fields=True, rename="camel", kw_only=True):
    """Exactly one of ``schema`` or ``params``; ``rules`` (``["all"]`` for every rule) and
    ``disable`` choose the rules (default: the default rules)."""

    schema: dict[str, Any] | bool | msgspec.UnsetType = msgspec.UNSET
    params: list[Any] | msgspec.UnsetType = msgspec.UNSET
    key: Annotated[str, msgspec.Meta(max_length=100)] | None = None
    """The type the schema is for (the cross-type rule leaves that type's versions out)."""
    rules: list[str] | None = None
    disable: list[str] = []


class LintController(Controller):
    path = "/lint"
    tags = ["learning"]

    @post(
        "/",
        operation_id="lintSchema",
        sync_to_thread=True,
        status_code=200,
        summary="Lint a schema or param list (advice; nothing is stored)",
        responses=problem_responses(WRITE_ERRORS),
    )
    def lint(
        self, request: Request[Any, Any, Any], data: JSONBody[LintIn], service: Service
    ) -> LintResult:
        schema, params = _set(data.schema), _set(data.params)
        if (schema is None) == (params is None):
            raise InvalidRequest("send exactly one of schema or params")
        document = schema if schema is not None else compile_param_list(params)
        principal = principal_of(request)
        return learning.lint_candidate(
            service,
            schema=document,
            key=data.key,
            rules=data.rules,
            disabled=data.disable,
            sees=lambda k: not principal.restricted or visible(principal, service, k),
        )
