"""Schema versions of an event type, and schemas by global id."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Response, get, patch, post
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, JSONBody, QueryParameter

from registry.api.caching import IMMUTABLE, REVALIDATE, by_version_ref, conditional
from registry.api.deps import Service, WhoActs
from registry.api.wire import (
    READ_ERRORS,
    WRITE_ERRORS,
    ReferrerList,
    ReferrerOut,
    RegistrationOut,
    SchemaOut,
    VersionIn,
    VersionList,
    VersionOut,
    VersionStateIn,
    problem_responses,
)
from registry.core.model import parse_version_ref

DEREFERENCE = QueryParameter(
    name="dereference",
    description="true: the self-contained form, every declared reference embedded under "
    "$defs (what a generic validator needs); false (default): exactly as registered",
)


class VersionController(Controller):
    path = "/event-types/{key:str}/versions"
    tags = ["versions"]

    @post(
        "/",
        operation_id="registerVersion",
        sync_to_thread=True,
        summary="Register a schema version (201 new, 200 when identical content exists)",
        responses={
            200: ResponseSpec(
                RegistrationOut, description="Identical content: the existing version"
            ),
            **problem_responses(WRITE_ERRORS),
        },
    )
    def register(
        self, key: FromPath[str], data: JSONBody[VersionIn], service: Service, who: WhoActs
    ) -> Response[RegistrationOut]:
        registration = service.register_version(
            key=key,
            schema=None if isinstance(data.schema, msgspec.UnsetType) else data.schema,
            params=None if isinstance(data.params, msgspec.UnsetType) else data.params,
            references=data.core_references(),
            actor=who,
        )
        out = RegistrationOut(
            **msgspec.structs.asdict(VersionOut.of(registration.version)),
            examples=registration.examples,
        )
        return Response(out, status_code=201 if registration.created else 200)

    @get(
        "/",
        responses=problem_responses(READ_ERRORS),
        operation_id="listVersions",
        **conditional(REVALIDATE),
        sync_to_thread=True,
        summary="List versions",
    )
    def list_versions(self, key: FromPath[str], service: Service) -> VersionList:
        versions = service.list_versions(key=key)
        return VersionList(event_type_key=key, versions=[VersionOut.of(v) for v in versions])

    @get(
        "/{version:str}",
        responses=problem_responses(READ_ERRORS),
        operation_id="getVersion",
        **conditional(REVALIDATE),
        sync_to_thread=True,
        summary="Get version n or 'latest'",
    )
    def get_version(
        self, key: FromPath[str], version: FromPath[str], service: Service
    ) -> VersionOut:
        return VersionOut.of(service.get_version(key=key, version=parse_version_ref(version)))

    @get(
        "/{version:str}/schema",
        responses=problem_responses(READ_ERRORS),
        operation_id="getVersionSchema",
        **conditional(by_version_ref),
        sync_to_thread=True,
        summary="The bare JSON Schema document of a version (what an SDK downloads)",
    )
    def get_version_schema(
        self,
        key: FromPath[str],
        version: FromPath[str],
        service: Service,
        dereference: Annotated[bool, DEREFERENCE] = False,
    ) -> dict[str, Any] | bool:
        found = service.get_version(key=key, version=parse_version_ref(version))
        return found.document if dereference else found.schema

    @get(
        "/{version:str}/referencedby",
        responses=problem_responses(READ_ERRORS),
        operation_id="getVersionReferencedBy",
        **conditional(REVALIDATE),
        sync_to_thread=True,
        summary="Versions whose references name this version (it cannot be purged meanwhile)",
    )
    def referenced_by(
        self, key: FromPath[str], version: FromPath[str], service: Service
    ) -> ReferrerList:
        target = service.get_version(key=key, version=parse_version_ref(version))
        referrers = service.referenced_by(key=key, version=target.version)
        return ReferrerList(
            event_type_key=key,
            version=target.version,
            referenced_by=[ReferrerOut(v.key, v.version, v.schema_id) for v in referrers],
        )

    @patch(
        "/{version:str}",
        operation_id="setVersionState",
        sync_to_thread=True,
        summary="Deprecate (with optional sunset date and note), disable or reactivate",
        responses=problem_responses(WRITE_ERRORS),
    )
    def set_state(
        self,
        key: FromPath[str],
        version: FromPath[str],
        data: JSONBody[VersionStateIn],
        service: Service,
        who: WhoActs,
    ) -> VersionOut:
        changed = service.set_version_state(
            key=key,
            version=parse_version_ref(version),
            state=data.state,
            sunset=data.sunset,
            note=data.note,
            actor=who,
        )
        return VersionOut.of(changed)


class SchemaController(Controller):
    path = "/schemas"
    tags = ["versions"]

    @get(
        "/{schema_id:int}",
        responses=problem_responses(READ_ERRORS),
        operation_id="getSchemaById",
        **conditional(IMMUTABLE),
        sync_to_thread=True,
        summary="A schema by its global id",
    )
    def get_schema(self, schema_id: FromPath[int], service: Service) -> SchemaOut:
        return SchemaOut.of(service.get_schema(schema_id=schema_id))

    @get(
        "/{schema_id:int}/schema",
        responses=problem_responses(READ_ERRORS),
        operation_id="getSchemaDocumentById",
        **conditional(IMMUTABLE),
        sync_to_thread=True,
        summary="The bare JSON Schema document with this global id (for generic validators)",
        description="Exactly the registered document, not the envelope `/schemas/{id}` answers "
        "with: hand this URL (or `/event-types/{key}/versions/{n}/schema`) to a generic JSON "
        "Schema tool such as `check-jsonschema --schemafile`. It validates the params object.",
    )
    def get_schema_document(
        self,
        schema_id: FromPath[int],
        service: Service,
        dereference: Annotated[bool, DEREFERENCE] = False,
    ) -> dict[str, Any] | bool:
        found = service.get_schema(schema_id=schema_id)
        return found.document if dereference else found.schema
