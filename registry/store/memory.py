"""In-memory store: the reference implementation of the SchemaStore contract, used by tests."""

from __future__ import annotations

import threading
from typing import Any

import msgspec

from registry.core import audit as audit_rules
from registry.core.audit import AuditEntry, AuditPage, AuditQuery
from registry.core.config import TypeConfig
from registry.core.dump import ExampleRecord, Records, VersionRecord
from registry.core.errors import (
    EventTypeExists,
    EventTypeNotFound,
    ExampleNotFound,
    SchemaNotFound,
    StoreNotEmpty,
    VersionNotFound,
    VersionReferenced,
)
from registry.core.model import (
    EventType,
    EventTypeQuery,
    Example,
    Page,
    Reference,
    Schema,
    SchemaVersion,
    StoredSchema,
)
from registry.core.ports import VersionCheck


class InMemoryStore:
    """Dict-backed store; every method holds one lock, so each call is atomic.

    The lock is re-entrant: ``add_version`` runs its ``check`` (which reads the store) under it.
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._types: dict[str, EventType] = {}
        self._versions: dict[str, list[SchemaVersion]] = {}
        self._schemas: dict[int, StoredSchema] = {}
        self._by_fingerprint: dict[str, int] = {}
        self._global = TypeConfig()
        self._examples: dict[str, dict[str, Example]] = {}
        self._generation = 0
        self._audit: list[AuditEntry] = []
        self._audit_ids = 0

    def change_token(self) -> int:
        return self._generation

    def _touch(self, audit: AuditEntry | None = None) -> None:
        """Count the change and append its audit entry (callers hold the lock)."""
        self._generation += 1
        if audit is not None:
            self._audit_ids += 1
            self._audit.append(msgspec.structs.replace(audit, id=self._audit_ids))

    def create_event_type(
        self, *, event_type: EventType, audit: AuditEntry | None = None
    ) -> EventType:
        with self._lock:
            if event_type.key in self._types:
                raise EventTypeExists(event_type.key)
            self._types[event_type.key] = event_type
            self._versions[event_type.key] = []
            self._examples[event_type.key] = {}
            self._touch(audit)
            return event_type

    def get_event_type(self, *, key: str) -> EventType:
        with self._lock:
            return self._type(key)

    def _type(self, key: str) -> EventType:
        try:
            return self._types[key]
        except KeyError:
            raise EventTypeNotFound(key) from None

    def list_event_types(self, *, query: EventTypeQuery) -> Page:
        with self._lock:
            matching = [
                t
                for key, t in sorted(self._types.items())
                if key.startswith(query.prefix)
                and (query.after is None or key > query.after)
                and (query.include_deleted or not t.deleted)
                and (query.tag is None or query.tag in t.tags)
            ]
        items = matching[: query.limit]
        more = len(matching) > query.limit
        return Page(items=items, next_cursor=items[-1].key if more and items else None)

    def save_event_type(
        self, *, event_type: EventType, audit: AuditEntry | None = None
    ) -> EventType:
        with self._lock:
            self._type(event_type.key)
            self._types[event_type.key] = event_type
            self._touch(audit)
            return event_type

    def delete_event_type(self, *, key: str, audit: AuditEntry | None = None) -> None:
        with self._lock:
            self._type(key)
            referrers = [(v.key, v.version) for v in self.referenced_by(key=key) if v.key != key]
            if referrers:
                raise VersionReferenced(key, referrers)
            del self._types[key]
            del self._versions[key]
            del self._examples[key]
            self._touch(audit)

    def add_version(
        self,
        *,
        key: str,
        schema: Schema,
        fingerprint: str,
        params: list[Any] | None,
        created_at: str,
        check: VersionCheck | None = None,
        audit: AuditEntry | None = None,
        references: tuple[Reference, ...] = (),
        resolved: Schema | None = None,
    ) -> tuple[SchemaVersion, bool]:
        with self._lock:
            self._type(key)
            same = next((v for v in self._versions[key] if v.fingerprint == fingerprint), None)
            if same is not None:
                return same, False
            if check is not None:
                check(list(self._versions[key]))
            schema_id = self._by_fingerprint.get(fingerprint)
            if schema_id is None:
                schema_id = max(self._schemas, default=0) + 1
                self._schemas[schema_id] = StoredSchema(
                    schema_id=schema_id,
                    fingerprint=fingerprint,
                    schema=_copy(schema),
                    references=references,
                    resolved=_copy(resolved),
                )
                self._by_fingerprint[fingerprint] = schema_id
            versions = self._versions[key]
            version = SchemaVersion(
                key=key,
                version=len(versions) + 1,
                schema_id=schema_id,
                fingerprint=fingerprint,
                schema=_copy(schema),
                params=_copy(params),
                created_at=created_at,
                references=references,
                resolved=_copy(resolved),
            )
            versions.append(version)
            self._touch(_numbered(audit, version.version))
            return version, True

    def find_version(self, *, key: str, fingerprint: str) -> SchemaVersion | None:
        with self._lock:
            self._type(key)
            return next((v for v in self._versions[key] if v.fingerprint == fingerprint), None)

    def get_version(self, *, key: str, version: int) -> SchemaVersion:
        with self._lock:
            self._type(key)
            versions = self._versions[key]
            if not 1 <= version <= len(versions):
                raise VersionNotFound(key, version)
            return versions[version - 1]

    def list_versions(self, *, key: str) -> list[SchemaVersion]:
        with self._lock:
            self._type(key)
            return list(self._versions[key])

    def versions_with_schema(self, *, schema_id: int) -> list[SchemaVersion]:
        with self._lock:
            return [
                v
                for k in sorted(self._versions)
                for v in self._versions[k]
                if v.schema_id == schema_id
            ]

    def referenced_by(self, *, key: str, version: int | None = None) -> list[SchemaVersion]:
        with self._lock:
            return [
                v
                for k in sorted(self._versions)
                for v in self._versions[k]
                if any(
                    r.event_type_key == key and version in (None, r.version) for r in v.references
                )
            ]

    def get_schema(self, *, schema_id: int) -> StoredSchema:
        with self._lock:
            try:
                return self._schemas[schema_id]
            except KeyError:
                raise SchemaNotFound(schema_id) from None

    def set_version_state(
        self,
        *,
        key: str,
        version: int,
        state: str,
        sunset: str | None,
        note: str | None,
        audit: AuditEntry | None = None,
    ) -> SchemaVersion:
        with self._lock:
            self._type(key)
            versions = self._versions[key]
            if not 1 <= version <= len(versions):
                raise VersionNotFound(key, version)
            changed = msgspec.structs.replace(
                versions[version - 1], state=state, sunset=sunset, note=note
            )
            versions[version - 1] = changed
            self._touch(audit)
            return changed

    def get_global_config(self) -> TypeConfig:
        with self._lock:
            return self._global

    def put_global_config(
        self, *, config: TypeConfig, audit: AuditEntry | None = None
    ) -> TypeConfig:
        with self._lock:
            self._global = config
            self._touch(audit)
            return config

    def put_example(
        self, *, key: str, example: Example, audit: AuditEntry | None = None
    ) -> Example:
        with self._lock:
            self._type(key)
            self._examples[key][example.name] = msgspec.structs.replace(
                example, payload=_copy(example.payload)
            )
            self._touch(audit)
            return example

    def list_examples(self, *, key: str) -> list[Example]:
        with self._lock:
            self._type(key)
            return [e for _, e in sorted(self._examples[key].items())]

    def delete_example(self, *, key: str, name: str, audit: AuditEntry | None = None) -> None:
        with self._lock:
            self._type(key)
            if self._examples[key].pop(name, None) is None:
                raise ExampleNotFound(key, name)
            self._touch(audit)

    def list_audit(self, *, query: AuditQuery) -> AuditPage:
        with self._lock:
            found = [e for e in self._audit if audit_rules.matches(e, query)]
        return audit_rules.page(found[: query.limit + 1], query.limit)

    def last_audit_id(self) -> int:
        with self._lock:
            return self._audit[-1].id if self._audit else 0

    def record_once(self, *, audit: AuditEntry) -> bool:
        with self._lock:
            if any(_same_event(e, audit) for e in self._audit):
                return False
            self._touch(audit)
            return True

    def purge_audit(self, *, before: str, audit: AuditEntry | None = None) -> int:
        with self._lock:
            kept = [e for e in self._audit if e.at >= before]
            removed = len(self._audit) - len(kept)
            self._audit = kept
            self._touch(audit)
            return removed

    def sunsets_due(self, *, before: str) -> list[SchemaVersion]:
        with self._lock:
            return [
                v
                for key, t in sorted(self._types.items())
                if not t.deleted
                for v in self._versions[key]
                if v.state == "deprecated" and v.sunset is not None and v.sunset < before
            ]

    def all_keys(self) -> list[str]:
        with self._lock:
            return sorted(k for k, t in self._types.items() if not t.deleted)

    def export_records(self) -> Records:
        with self._lock:
            return Records(
                event_types=[t for _, t in sorted(self._types.items())],
                schemas=[s for _, s in sorted(self._schemas.items())],
                versions=[_record(v) for _, vs in sorted(self._versions.items()) for v in vs],
                examples=[
                    ExampleRecord(key=key, example=e)
                    for key, named in sorted(self._examples.items())
                    for _, e in sorted(named.items())
                ],
                global_config=self._global,
                audit=list(self._audit),
            )

    def import_records(self, *, records: Records) -> None:
        with self._lock:
            if not self.export_records().empty:
                raise StoreNotEmpty
            schemas = {
                s.schema_id: msgspec.structs.replace(s, schema=_copy(s.schema))
                for s in records.schemas
            }
            self._types = {t.key: t for t in records.event_types}
            self._versions = {t.key: [] for t in records.event_types}
            self._examples = {t.key: {} for t in records.event_types}
            for v in sorted(records.versions, key=lambda v: (v.key, v.version)):
                self._versions[v.key].append(_version(v, schemas[v.schema_id]))
            for e in records.examples:
                self._examples[e.key][e.example.name] = msgspec.structs.replace(
                    e.example, payload=_copy(e.example.payload)
                )
            self._schemas = dict(schemas)
            self._by_fingerprint = {s.fingerprint: i for i, s in schemas.items()}
            self._global = records.global_config
            self._audit = sorted(records.audit, key=lambda a: a.id)
            self._audit_ids = max((a.id for a in self._audit), default=0)
            self._generation += 1

    def pending_migrations(self) -> list[str]:
        """Nothing to migrate in memory."""
        return []

    def close(self) -> None:
        """Nothing to release."""


def _record(v: SchemaVersion) -> VersionRecord:
    return VersionRecord(
        key=v.key,
        version=v.version,
        schema_id=v.schema_id,
        params=v.params,
        created_at=v.created_at,
        state=v.state,
        sunset=v.sunset,
        note=v.note,
    )


def _version(v: VersionRecord, stored: StoredSchema) -> SchemaVersion:
    return SchemaVersion(
        key=v.key,
        version=v.version,
        schema_id=v.schema_id,
        fingerprint=stored.fingerprint,
        schema=stored.schema,
        params=v.params,
        created_at=v.created_at,
        state=v.state,
        sunset=v.sunset,
        note=v.note,
        references=stored.references,
        resolved=stored.resolved,
    )


def _numbered(audit: AuditEntry | None, version: int) -> AuditEntry | None:
    """The registration's entry with the version number the store assigned."""
    return None if audit is None else msgspec.structs.replace(audit, version=version)


def _same_event(a: AuditEntry, b: AuditEntry) -> bool:
    return (a.action, a.key, a.version, a.changes) == (b.action, b.key, b.version, b.changes)


def _copy(value: Any) -> Any:
    """Deep copy through JSON so callers cannot mutate stored documents."""
    return msgspec.json.decode(msgspec.json.encode(value))
