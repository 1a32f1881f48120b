"""Schemas by global id, schema types and the server's version (Confluent's paths)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Response, get, route
from litestar.params import FromPath

from registry import __version__
from registry.api.ccompat.subjects import OPTS, Flag, answer
from registry.api.ccompat.wire import SCHEMA_TYPES, flag, schema_out
from registry.api.deps import Service
from registry.core.model import SchemaVersion
from registry.core.service import RegistryService


def _holders(service: RegistryService, schema_id: int, *, deleted: bool) -> list[SchemaVersion]:
    """Versions holding ``schema_id``; disabled versions and soft-deleted subjects only with
    ``deleted``."""
    versions = service.versions_with_schema(schema_id=schema_id)
    if deleted:
        return versions
    live = {
        v.key
        for v in versions
        if not service.get_event_type(key=v.key, include_deleted=True).deleted
    }
    return [v for v in versions if v.usable and v.key in live]


class SchemaIdController(Controller):
    path = "/schemas"
    tags = ["ccompat"]

    @get("/ids/{schema_id:int}", operation_id="ccompatGetSchemaById", **OPTS)
    def by_id(self, schema_id: FromPath[int], service: Service) -> Response[Any]:
        return answer(schema_out(service.get_schema(schema_id=schema_id)))

    @get("/ids/{schema_id:int}/schema", operation_id="ccompatGetSchemaDocumentById", **OPTS)
    def document(self, schema_id: FromPath[int], service: Service) -> Response[Any]:
        return answer(service.get_schema(schema_id=schema_id).schema)

    @get("/ids/{schema_id:int}/subjects", operation_id="ccompatGetSchemaSubjects", **OPTS)
    def subjects(
        self, schema_id: FromPath[int], service: Service, deleted: Flag = None
    ) -> Response[Any]:
        holders = _holders(service, schema_id, deleted=flag(deleted))
        return answer(sorted({v.key for v in holders}))

    @get("/ids/{schema_id:int}/versions", operation_id="ccompatGetSchemaVersions", **OPTS)
    def versions(
        self, schema_id: FromPath[int], service: Service, deleted: Flag = None
    ) -> Response[Any]:
        holders = _holders(service, schema_id, deleted=flag(deleted))
        return answer([{"subject": v.key, "version": v.version} for v in holders])

    @get("/types", operation_id="ccompatGetSchemaTypes", **OPTS)
    def types(self) -> Response[Any]:
        return answer(list(SCHEMA_TYPES))


class MetadataController(Controller):
    path = "/v1/metadata"
    tags = ["ccompat"]

    @get("/version", operation_id="ccompatGetServerVersion", **OPTS)
    def server_version(self) -> Response[Any]:
        return answer({"version": __version__, "commitId": ""})


@route(
    "/{rest:path}",
    http_method=["GET", "POST", "PUT", "DELETE"],
    operation_id="ccompatNotServed",
    status_code=404,
    **OPTS,
)
def not_served(rest: FromPath[str]) -> Response[Any]:
    """Confluent's body for a path this subset does not serve (README lists what it serves)."""
    return answer(
        {
            "error_code": 404,
            "message": f"/{rest.lstrip('/')[:200]} is not served by this Confluent-compatible "
            "subset (see README 'Confluent-compatible API')",
        },
        status=404,
    )
