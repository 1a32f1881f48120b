"""Schema evolution over HTTP: dry-run compatibility, typed diffs and examples."""

from __future__ import annotations

import msgspec
from litestar import Controller, delete, get, post, put
from litestar.params import FromPath, JSONBody

from registry.api.deps import Service, WhoActs
from registry.api.wire import (
    READ_ERRORS,
    WRITE_ERRORS,
    DiffOut,
    ExampleIn,
    ExampleList,
    VersionIn,
    problem_responses,
)
from registry.core.evolution import DryRun
from registry.core.model import Example, parse_version_ref


def _candidate(data: VersionIn) -> dict[str, object]:
    return {
        "schema": None if isinstance(data.schema, msgspec.UnsetType) else data.schema,
        "params": None if isinstance(data.params, msgspec.UnsetType) else data.params,
        "references": data.core_references(),
    }


class CompatibilityController(Controller):
    path = "/event-types/{key:str}/compatibility"
    tags = ["evolution"]

    @post(
        "/",
        operation_id="checkCompatibility",
        sync_to_thread=True,
        status_code=200,
        summary="Dry-run: would this schema be accepted under the configured level?",
        responses=problem_responses(WRITE_ERRORS),
    )
    def against_level(
        self, key: FromPath[str], data: JSONBody[VersionIn], service: Service
    ) -> DryRun:
        return service.dry_run(key=key, **_candidate(data))  # type: ignore[arg-type]

    @post(
        "/{version:str}",
        operation_id="checkCompatibilityWithVersion",
        sync_to_thread=True,
        status_code=200,
        summary="Dry-run against one version (n or 'latest'), even a disabled one",
        responses=problem_responses(WRITE_ERRORS),
    )
    def against_version(
        self,
        key: FromPath[str],
        version: FromPath[str],
        data: JSONBody[VersionIn],
        service: Service,
    ) -> DryRun:
        ref = parse_version_ref(version)
        return service.dry_run(key=key, version=ref, **_candidate(data))  # type: ignore[arg-type]


class DiffController(Controller):
    path = "/event-types/{key:str}/versions"
    tags = ["evolution"]

    @get(
        "/{a:str}/diff/{b:str}",
        operation_id="diffVersions",
        sync_to_thread=True,
        summary="Typed diff from version a to b; each change says which direction it breaks",
        responses=problem_responses(READ_ERRORS),
    )
    def diff(
        self, key: FromPath[str], a: FromPath[str], b: FromPath[str], service: Service
    ) -> DiffOut:
        old, new = parse_version_ref(a), parse_version_ref(b)
        changes = service.diff_versions(key=key, a=old, b=new)
        return DiffOut(
            event_type_key=key,
            from_version=service.get_version(key=key, version=old).version,
            to_version=service.get_version(key=key, version=new).version,
            changes=changes,
        )


class ExamplesController(Controller):
    path = "/event-types/{key:str}/examples"
    tags = ["evolution"]

    @get(
        "/",
        operation_id="listExamples",
        sync_to_thread=True,
        summary="Named example payloads with their expected verdicts",
        responses=problem_responses(READ_ERRORS),
    )
    def list_examples(self, key: FromPath[str], service: Service) -> ExampleList:
        return ExampleList(event_type_key=key, examples=service.list_examples(key=key))

    @put(
        "/{name:str}",
        operation_id="putExample",
        sync_to_thread=True,
        summary="Create or replace a named example",
        responses=problem_responses(WRITE_ERRORS),
    )
    def put_example(
        self,
        key: FromPath[str],
        name: FromPath[str],
        data: JSONBody[ExampleIn],
        service: Service,
        who: WhoActs,
    ) -> Example:
        return service.put_example(
            key=key,
            name=name,
            payload=data.payload,
            expect_valid=data.expect_valid,
            description=data.description,
            actor=who,
        )

    @delete(
        "/{name:str}",
        operation_id="deleteExample",
        sync_to_thread=True,
        summary="Delete a named example",
        responses=problem_responses(WRITE_ERRORS),
    )
    def delete_example(
        self, key: FromPath[str], name: FromPath[str], service: Service, who: WhoActs
    ) -> None:
        service.delete_example(key=key, name=name, actor=who)
