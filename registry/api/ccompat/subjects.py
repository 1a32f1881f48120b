"""Subjects and their versions (subject = event type key; README "Confluent-compatible API")."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, post
from litestar.params import FromPath, JSONBody, QueryParameter

from registry.api.ccompat.errors import (
    MEDIA_TYPE,
    OPERATION_NOT_PERMITTED,
    SCHEMA_NOT_FOUND,
    SUBJECT_NOT_FOUND,
    SUBJECT_SOFT_DELETED,
    VERSION_NOT_FOUND,
    VERSION_NOT_SOFT_DELETED,
    VERSION_SOFT_DELETED,
    ConfluentError,
)
from registry.api.ccompat.wire import (
    SchemaIn,
    core_references,
    flag,
    parse_schema,
    parse_version,
    version_out,
)
from registry.api.deps import Service, WhoActs, principal_of
from registry.core.errors import EventTypeNotFound, RegistryError
from registry.core.model import EventType, EventTypeQuery, SchemaVersion
from registry.core.service import RegistryService

Flag = Annotated[str | None, QueryParameter(required=False, description="true or false")]
OPTS: dict[str, Any] = {
    "sync_to_thread": True,
    "media_type": MEDIA_TYPE,
    "include_in_schema": False,
}


def answer(content: Any, status: int = 200) -> Response[Any]:
    return Response(content, status_code=status, media_type=MEDIA_TYPE)


def subject_of(service: RegistryService, subject: str, *, deleted: bool) -> EventType:
    """The event type behind ``subject``; soft-deleted ones only with ``deleted``."""
    found = service.get_event_type(key=subject, include_deleted=True)
    if found.deleted and not deleted:
        raise ConfluentError(404, SUBJECT_NOT_FOUND, f"Subject '{subject}' not found.")
    return found


def version_of(service: RegistryService, subject: str, raw: str, *, deleted: bool) -> SchemaVersion:
    """Version ``raw`` (``latest``/-1 the newest usable); disabled ones only with ``deleted``."""
    number = parse_version(raw)
    subject_of(service, subject, deleted=deleted)
    if number is None:
        return service.get_version(key=subject, version="latest")
    version = service.get_version(key=subject, version=number)
    if not version.usable and not deleted:
        raise ConfluentError(404, VERSION_NOT_FOUND, f"Version {number} not found.")
    return version


def latest_number(service: RegistryService) -> Any:
    return lambda subject: service.get_version(key=subject, version="latest").version


def all_subjects(service: RegistryService, *, prefix: str, deleted: bool) -> list[EventType]:
    found: list[EventType] = []
    cursor: str | None = None
    while True:
        page = service.list_event_types(
            query=EventTypeQuery(prefix=prefix, include_deleted=deleted, after=cursor, limit=500)
        )
        found += page.items
        if page.next_cursor is None:
            return found
        cursor = page.next_cursor


class SubjectController(Controller):
    path = "/subjects"
    tags = ["ccompat"]

    @get("/", operation_id="ccompatListSubjects", **OPTS)
    def list_subjects(
        self,
        request: Request[Any, Any, Any],
        service: Service,
        deleted: Flag = None,
        deleted_only: Annotated[
            str | None, QueryParameter(name="deletedOnly", required=False)
        ] = None,
        deleted_only_snake: Annotated[
            str | None, QueryParameter(name="deleted_only", required=False)
        ] = None,
        subject_prefix: Annotated[str, QueryParameter(name="subjectPrefix", required=False)] = "",
    ) -> Response[Any]:
        only = flag(deleted_only) or flag(deleted_only_snake)
        types = all_subjects(service, prefix=subject_prefix, deleted=flag(deleted) or only)
        principal = principal_of(request)  # a restricted token lists only what it sees
        return answer(
            [t.key for t in types if (t.deleted or not only) and principal.sees(t.key, t.tags)]
        )

    @post("/{subject:str}", operation_id="ccompatLookupSchema", **OPTS)
    def lookup(
        self,
        subject: FromPath[str],
        data: JSONBody[SchemaIn],
        service: Service,
        deleted: Flag = None,
    ) -> Response[Any]:
        subject_of(service, subject, deleted=flag(deleted))
        found = service.lookup_version(
            key=subject,
            schema=parse_schema(data),
            references=core_references(data, latest_number(service)),
        )
        if found is None or (not found.usable and not flag(deleted)):
            raise ConfluentError(404, SCHEMA_NOT_FOUND, "Schema not found")
        return answer(version_out(found))

    @delete("/{subject:str}", operation_id="ccompatDeleteSubject", status_code=200, **OPTS)
    def delete_subject(
        self, subject: FromPath[str], service: Service, who: WhoActs, permanent: Flag = None
    ) -> Response[Any]:
        current = service.get_event_type(key=subject, include_deleted=True)
        if current.deleted and not flag(permanent):
            raise ConfluentError(
                404,
                SUBJECT_SOFT_DELETED,
                f"Subject '{subject}' was soft deleted. Set permanent=true to delete permanently",
            )
        numbers = [v.version for v in service.list_versions(key=subject)]
        service.delete_event_type(key=subject, permanent=flag(permanent), actor=who)
        return answer(numbers)


class SubjectVersionController(Controller):
    path = "/subjects/{subject:str}/versions"
    tags = ["ccompat"]

    @get("/", operation_id="ccompatListVersions", **OPTS)
    def list_versions(
        self,
        subject: FromPath[str],
        service: Service,
        deleted: Flag = None,
        deleted_only: Annotated[
            str | None, QueryParameter(name="deletedOnly", required=False)
        ] = None,
    ) -> Response[Any]:
        only = flag(deleted_only)
        subject_of(service, subject, deleted=flag(deleted) or only)
        versions = service.list_versions(key=subject)
        if only:
            return answer([v.version for v in versions if not v.usable])
        return answer([v.version for v in versions if v.usable or flag(deleted)])

    @post("/", operation_id="ccompatRegister", status_code=200, **OPTS)
    def register(
        self,
        subject: FromPath[str],
        data: JSONBody[SchemaIn],
        service: Service,
        who: WhoActs,
        normalize: Flag = None,
    ) -> Response[Any]:
        del normalize  # identity is always the canonical form (README: normalize)
        if data.id is not None or data.version is not None:
            raise ConfluentError(
                422,
                OPERATION_NOT_PERMITTED,
                "explicit ids and versions (IMPORT mode) are not supported: ids and version "
                "numbers are assigned in sequence",
            )
        schema = parse_schema(data)
        references = core_references(data, latest_number(service))
        revived = _revive(service, subject, who)
        try:
            registration = service.register_version(
                key=subject, schema=schema, references=references, actor=who
            )
        except RegistryError:
            if revived:  # a refused registration leaves the subject as it was
                service.delete_event_type(key=subject, actor=who)
                if revived == "created":
                    service.delete_event_type(key=subject, permanent=True, actor=who)
            raise
        return answer({"id": registration.version.schema_id})

    @get("/{version:str}", operation_id="ccompatGetVersion", **OPTS)
    def get_version(
        self, subject: FromPath[str], version: FromPath[str], service: Service, deleted: Flag = None
    ) -> Response[Any]:
        return answer(version_out(version_of(service, subject, version, deleted=flag(deleted))))

    @get("/{version:str}/schema", operation_id="ccompatGetVersionSchema", **OPTS)
    def get_version_schema(
        self, subject: FromPath[str], version: FromPath[str], service: Service, deleted: Flag = None
    ) -> Response[Any]:
        return answer(version_of(service, subject, version, deleted=flag(deleted)).schema)

    @get("/{version:str}/referencedby", operation_id="ccompatReferencedBy", **OPTS)
    def referenced_by(
        self, subject: FromPath[str], version: FromPath[str], service: Service
    ) -> Response[Any]:
        target = version_of(service, subject, version, deleted=True)
        referrers = service.referenced_by(key=subject, version=target.version)
        return answer(sorted({v.schema_id for v in referrers}))

    @delete("/{version:str}", operation_id="ccompatDeleteVersion", status_code=200, **OPTS)
    def delete_version(
        self,
        subject: FromPath[str],
        version: FromPath[str],
        service: Service,
        who: WhoActs,
        permanent: Flag = None,
    ) -> Response[Any]:
        target = version_of(service, subject, version, deleted=True)
        if flag(permanent):
            if target.usable:
                raise ConfluentError(
                    404,
                    VERSION_NOT_SOFT_DELETED,
                    f"Subject '{subject}' Version {target.version} was not deleted first before "
                    "being permanently deleted",
                )
            raise ConfluentError(
                422,
                OPERATION_NOT_PERMITTED,
                f"versions are immutable here: version {target.version} stays disabled (soft "
                "deleted, readable with deleted=true); delete the subject permanently to remove it",
            )
        if not target.usable:
            raise ConfluentError(
                404,
                VERSION_SOFT_DELETED,
                f"Subject '{subject}' Version {target.version} was soft deleted. Set "
                "permanent=true to delete permanently",
            )
        service.set_version_state(key=subject, version=target.version, state="disabled", actor=who)
        return answer(target.version)


def _revive(service: RegistryService, subject: str, who: Any) -> str | None:
    """Create the subject's event type when it is new, restore it when soft-deleted (as
    Confluent does when a schema is registered again); says which it did."""
    try:
        current = service.get_event_type(key=subject, include_deleted=True)
    except EventTypeNotFound:
        service.create_event_type(key=subject, actor=who)
        return "created"
    if current.deleted:
        service.restore_event_type(key=subject, actor=who)
        return "restored"
    return None
