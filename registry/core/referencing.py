"""The schema-reference use cases of :class:`~registry.core.service.RegistryService` (a mixin,
like ``trail.py``): a submission checked with its references resolved (core/references.py),
lookups by content, and who references what."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import msgspec

from registry.core import canonical
from registry.core import references as refs_
from registry.core.errors import (
    EventTypeNotFound,
    InvalidRequest,
    ReferenceInvalid,
    SchemaProblem,
    VersionNotFound,
)
from registry.core.model import Reference, Schema, SchemaVersion, VersionRef
from registry.core.schema_check import SchemaLimits, check_schema

if TYPE_CHECKING:
    from registry.core.model import EventType
    from registry.core.ports import SchemaStore


class Candidate(msgspec.Struct, frozen=True):
    """A schema as submitted, its references and its self-contained form (``document``)."""

    schema: Schema
    references: tuple[Reference, ...]
    document: Schema
    fingerprint: str

    @property
    def resolved(self) -> Schema | None:
        return self.document if self.references else None


class ReferenceCases:
    """Mixed into RegistryService, which provides ``_store``, ``_limits``, ``_document``,
    ``get_event_type`` and ``get_version``."""

    _store: SchemaStore
    _limits: SchemaLimits

    if TYPE_CHECKING:  # provided by RegistryService

        def _document(self, *, schema: Schema | None, params: list[Any] | None) -> Schema: ...

        def get_event_type(self, *, key: str, include_deleted: bool = False) -> EventType: ...

        def get_version(self, *, key: str, version: VersionRef) -> SchemaVersion: ...

    def _candidate(
        self,
        key: str,
        *,
        schema: Schema | None,
        params: list[Any] | None,
        references: list[Reference] | None,
    ) -> Candidate:
        """The submission checked, with its references resolved into one document."""
        refs = tuple(references or ())
        if not refs:
            document = self._document(schema=schema, params=params)
            return Candidate(
                schema=document,
                references=(),
                document=document,
                fingerprint=canonical.fingerprint(document),
            )
        if schema is None or params is not None:
            raise InvalidRequest("references need 'schema' (a param list has no $ref)")
        next_number = len(self._store.list_versions(key=key)) + 1
        resolved = refs_.dereference(
            schema,
            refs,
            self._fetch_reference,
            max_depth=self._limits.max_reference_depth,
            self_target=(key, next_number),
        )
        check_schema(resolved, limits=self._limits)
        return Candidate(
            schema=schema,
            references=refs,
            document=resolved,
            fingerprint=refs_.fingerprint(schema, refs),
        )

    def _fetch_reference(self, ref: Reference) -> SchemaVersion:
        where = f"{ref.event_type_key} v{ref.version}"
        try:
            target = self._store.get_event_type(key=ref.event_type_key)
            if target.deleted:
                raise EventTypeNotFound(ref.event_type_key)
            return self._store.get_version(key=ref.event_type_key, version=ref.version)
        except (EventTypeNotFound, VersionNotFound):
            problem = SchemaProblem(
                pointer="/references",
                message=f"reference {ref.name!r}: {where} is not a registered version",
            )
            raise ReferenceInvalid([problem]) from None

    def lookup_version(
        self, *, key: str, schema: Schema, references: list[Reference] | None = None
    ) -> SchemaVersion | None:
        """The version of ``key`` holding this content (schema and references), if any."""
        self.get_event_type(key=key, include_deleted=True)
        candidate = self._candidate(key, schema=schema, params=None, references=references)
        return self._store.find_version(key=key, fingerprint=candidate.fingerprint)

    def versions_with_schema(self, *, schema_id: int) -> list[SchemaVersion]:
        """Every version holding the content ``schema_id``; SchemaNotFound when none exists."""
        self._store.get_schema(schema_id=schema_id)
        return self._store.versions_with_schema(schema_id=schema_id)

    def referenced_by(self, *, key: str, version: VersionRef) -> list[SchemaVersion]:
        """Versions whose references name this version of ``key`` (``GET .../referencedby``)."""
        target = self.get_version(key=key, version=version)
        return self._store.referenced_by(key=key, version=target.version)
