"""In-memory store: the reference implementation of the SchemaStore contract, used by tests."""

from __future__ import annotations

import threading
from typing import Any

import msgspec

from registry.core.config import TypeConfig
from registry.core.errors import (
    EventTypeExists,
    EventTypeNotFound,
    ExampleNotFound,
    SchemaNotFound,
    VersionNotFound,
)
from registry.core.model import (
    EventType,
    EventTypeQuery,
    Example,
    Page,
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

    def change_token(self) -> int:
        return self._generation

    def _touch(self) -> None:
        self._generation += 1

    def create_event_type(self, *, event_type: EventType) -> EventType:
        with self._lock:
            if event_type.key in self._types:
                raise EventTypeExists(event_type.key)
            self._types[event_type.key] = event_type
            self._versions[event_type.key] = []
            self._examples[event_type.key] = {}
            self._touch()
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

    def save_event_type(self, *, event_type: EventType) -> EventType:
        with self._lock:
            self._type(event_type.key)
            self._types[event_type.key] = event_type
            self._touch()
            return event_type

    def delete_event_type(self, *, key: str) -> None:
        with self._lock:
            self._type(key)
            del self._types[key]
            del self._versions[key]
            del self._examples[key]
            self._touch()

    def add_version(
        self,
        *,
        key: str,
        schema: Schema,
        fingerprint: str,
        params: list[Any] | None,
        created_at: str,
        check: VersionCheck | None = None,
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
                schema_id = len(self._schemas) + 1
                self._schemas[schema_id] = StoredSchema(
                    schema_id=schema_id, fingerprint=fingerprint, schema=_copy(schema)
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
            )
            versions.append(version)
            self._touch()
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

    def get_schema(self, *, schema_id: int) -> StoredSchema:
        with self._lock:
            try:
                return self._schemas[schema_id]
            except KeyError:
                raise SchemaNotFound(schema_id) from None

    def set_version_state(
        self, *, key: str, version: int, state: str, sunset: str | None, note: str | None
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
            self._touch()
            return changed

    def get_global_config(self) -> TypeConfig:
        with self._lock:
            return self._global

    def put_global_config(self, *, config: TypeConfig) -> TypeConfig:
        with self._lock:
            self._global = config
            self._touch()
            return config

    def put_example(self, *, key: str, example: Example) -> Example:
        with self._lock:
            self._type(key)
            self._examples[key][example.name] = msgspec.structs.replace(
                example, payload=_copy(example.payload)
            )
            self._touch()
            return example

    def list_examples(self, *, key: str) -> list[Example]:
        with self._lock:
            self._type(key)
            return [e for _, e in sorted(self._examples[key].items())]

    def delete_example(self, *, key: str, name: str) -> None:
        with self._lock:
            self._type(key)
            if self._examples[key].pop(name, None) is None:
                raise ExampleNotFound(key, name)
            self._touch()

    def all_keys(self) -> list[str]:
        with self._lock:
            return sorted(k for k, t in self._types.items() if not t.deleted)

    def close(self) -> None:
        """Nothing to release."""


def _copy(value: Any) -> Any:
    """Deep copy through JSON so callers cannot mutate stored documents."""
    return msgspec.json.decode(msgspec.json.encode(value))
