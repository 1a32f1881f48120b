"""Use cases. The only core module that talks to the store; everything it calls is pure.

The service owns the per-process caches (compiled validators by schema id, resolved versions by
key). They live on the instance, never in module globals, and the resolved-version cache is
dropped whenever the store's change token moves, so several workers or replicas sharing one
database never serve a stale ``latest``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Literal

import msgspec

from registry.core import canonical
from registry.core.errors import (
    EventTypeDeleted,
    EventTypeNotDeleted,
    EventTypeNotFound,
    InvalidRequest,
    VersionNotFound,
)
from registry.core.keys import check_key
from registry.core.model import (
    EventType,
    EventTypeQuery,
    Page,
    Schema,
    SchemaVersion,
    StoredSchema,
)
from registry.core.paramlist import compile_param_list
from registry.core.ports import SchemaStore
from registry.core.report import Report, finish_report
from registry.core.schema_check import SchemaLimits, check_schema
from registry.core.suggest import did_you_mean
from registry.core.validation import (
    CompiledSchema,
    ValidationOptions,
    Violation,
    compile_schema,
    event_type_key_of,
    validate_event,
)

Clock = Callable[[], str]
VersionRef = int | Literal["latest"]
_UNSET: Any = msgspec.UNSET


def utc_now() -> str:
    """Current UTC time as an ISO 8601 string with a ``Z`` suffix."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_version_ref(raw: str) -> VersionRef:
    """``"latest"`` or a positive integer; anything else is an InvalidRequest."""
    if raw == "latest":
        return "latest"
    if raw.isascii() and raw.isdigit() and int(raw) >= 1:
        return int(raw)
    raise InvalidRequest(f"version must be a positive integer or 'latest', got {raw!r}")


class RegistryService:
    """The registry's use cases over one :class:`SchemaStore`."""

    def __init__(
        self,
        store: SchemaStore,
        *,
        clock: Clock = utc_now,
        limits: SchemaLimits | None = None,
        max_cached_validators: int = 10_000,
    ) -> None:
        self.store = store
        self._clock = clock
        self._limits = limits or SchemaLimits()
        self._max_cached = max_cached_validators
        self._compiled: dict[int, CompiledSchema] = {}
        self._latest: dict[str, SchemaVersion | None] = {}
        self._token: int | None = None

    # -- event types -------------------------------------------------------------------------

    def create_event_type(
        self, *, key: str, description: str = "", owner: str = "", tags: list[str] | None = None
    ) -> EventType:
        now = self._clock()
        event_type = EventType(
            key=check_key(key),
            description=description,
            owner=owner,
            tags=_tags(tags or []),
            created_at=now,
            updated_at=now,
        )
        return self.store.create_event_type(event_type=event_type)

    def get_event_type(self, *, key: str, include_deleted: bool = False) -> EventType:
        event_type = self.store.get_event_type(key=key)
        if event_type.deleted and not include_deleted:
            raise EventTypeNotFound(key)
        return event_type

    def list_event_types(self, *, query: EventTypeQuery) -> Page:
        return self.store.list_event_types(query=query)

    def update_event_type(
        self,
        *,
        key: str,
        description: str = _UNSET,
        owner: str = _UNSET,
        tags: list[str] = _UNSET,
    ) -> EventType:
        current = self._live(key)
        changes: dict[str, Any] = {"updated_at": self._clock()}
        if description is not msgspec.UNSET:
            changes["description"] = description
        if owner is not msgspec.UNSET:
            changes["owner"] = owner
        if tags is not msgspec.UNSET:
            changes["tags"] = _tags(tags)
        return self.store.save_event_type(event_type=msgspec.structs.replace(current, **changes))

    def delete_event_type(self, *, key: str, permanent: bool = False) -> None:
        """Soft delete (hide, recoverable); ``permanent`` only after a soft delete."""
        current = self.store.get_event_type(key=key)
        if permanent:
            if not current.deleted:
                raise EventTypeNotDeleted(key)
            self.store.delete_event_type(key=key)
            return
        if current.deleted:
            raise EventTypeNotFound(key)
        now = self._clock()
        self.store.save_event_type(
            event_type=msgspec.structs.replace(current, deleted_at=now, updated_at=now)
        )

    def restore_event_type(self, *, key: str) -> EventType:
        current = self.store.get_event_type(key=key)
        if not current.deleted:
            return current
        restored = msgspec.structs.replace(current, deleted_at=None, updated_at=self._clock())
        return self.store.save_event_type(event_type=restored)

    def _live(self, key: str) -> EventType:
        event_type = self.store.get_event_type(key=key)
        if event_type.deleted:
            raise EventTypeDeleted(key)
        return event_type

    # -- versions ----------------------------------------------------------------------------

    def register_version(
        self, *, key: str, schema: Schema | None = None, params: list[Any] | None = None
    ) -> tuple[SchemaVersion, bool]:
        """Register a schema (or a param list compiled to one). Returns (version, created).

        Canonically identical content returns the existing version with ``created`` False.
        """
        self._live(key)
        document = self._document(schema=schema, params=params)
        fp = canonical.fingerprint(document)
        existing = self.store.find_version(key=key, fingerprint=fp)
        if existing is not None:
            return existing, False
        version = self.store.add_version(
            key=key, schema=document, fingerprint=fp, params=params, created_at=self._clock()
        )
        return version, True

    def _document(self, *, schema: Schema | None, params: list[Any] | None) -> Schema:
        if (schema is None) == (params is None):
            raise InvalidRequest("send exactly one of 'schema' or 'params'")
        if params is not None:
            document: Schema = compile_param_list(params)
        else:
            document = schema  # type: ignore[assignment]
        check_schema(document, limits=self._limits)
        return document

    def get_version(self, *, key: str, version: VersionRef) -> SchemaVersion:
        self.get_event_type(key=key, include_deleted=True)
        if version == "latest":
            latest = self._latest_of(key)
            if latest is None:
                raise VersionNotFound(key, "latest")
            return latest
        return self.store.get_version(key=key, version=version)

    def list_versions(self, *, key: str) -> list[SchemaVersion]:
        return self.store.list_versions(key=key)

    def get_schema(self, *, schema_id: int) -> StoredSchema:
        return self.store.get_schema(schema_id=schema_id)

    def bundle(self, *, prefix: str = "", tag: str | None = None) -> list[SchemaVersion]:
        """The latest version of every live event type matching the filters, ordered by key.

        Soft-deleted types and types without a (non-disabled) version are left out. This is what
        an SDK downloads in one conditional request (``GET /bundle``).
        """
        latest: list[SchemaVersion] = []
        cursor: str | None = None
        while True:
            page = self.store.list_event_types(
                query=EventTypeQuery(prefix=prefix, tag=tag, after=cursor, limit=500)
            )
            latest += [v for t in page.items if (v := self._latest_of(t.key)) is not None]
            if page.next_cursor is None:
                return latest
            cursor = page.next_cursor

    def _latest_of(self, key: str) -> SchemaVersion | None:
        versions = [v for v in self.store.list_versions(key=key) if v.state != "disabled"]
        return versions[-1] if versions else None

    # -- validation --------------------------------------------------------------------------

    def validate(
        self,
        event: object,
        *,
        body_size: int | None = None,
        options: ValidationOptions | None = None,
        base_path: str = "",
    ) -> Report:
        """Validate one decoded event payload; never raises for a bad *event*."""
        self._sync_caches()
        options = options or ValidationOptions()
        key = event_type_key_of(event)
        requested = _requested_version(event, base_path)
        target, notes = self._resolve(key, requested, base_path)
        compiled = self._compiled_for(target) if target is not None else None
        violations = validate_event(
            event, schema=compiled, options=options, body_size=body_size, base_path=base_path
        )
        return finish_report(
            key=key,
            version=target.version if target else None,
            schema_id=target.schema_id if target else None,
            violations=[*notes, *violations],
        )

    def _resolve(
        self, key: str | None, requested: VersionRef, base_path: str
    ) -> tuple[SchemaVersion | None, list[Violation]]:
        if key is None:
            return None, []
        try:
            event_type = self.store.get_event_type(key=key)
        except EventTypeNotFound:
            event_type = None
        if event_type is None or event_type.deleted:
            return None, [self._unknown_type(key, base_path)]
        try:
            target = (
                self._cached_latest(key)
                if requested == "latest"
                else self.store.get_version(key=key, version=requested)
            )
        except VersionNotFound:
            target = None
        if target is None:
            return None, [_no_schema(key, requested, base_path)]
        return target, []

    def _unknown_type(self, key: str, base_path: str) -> Violation:
        suggestions = did_you_mean(key, self.store.all_keys())
        hint = f"; did you mean {suggestions[0]!r}?" if suggestions else ""
        return Violation(
            code="unknown_event_type",
            severity="error",
            path=f"{base_path}/eventTypeKey",
            keyword="eventTypeKey",
            message=(
                f"event type {key!r} is not registered{hint} "
                "(Yespo would silently create a new event type for this key)"
            ),
            actual=key,
            suggestion=suggestions[0] if suggestions else msgspec.UNSET,
        )

    def _cached_latest(self, key: str) -> SchemaVersion | None:
        if key not in self._latest:
            self._latest[key] = self._latest_of(key)
        return self._latest[key]

    def _compiled_for(self, version: SchemaVersion) -> CompiledSchema:
        compiled = self._compiled.get(version.schema_id)
        if compiled is None:
            if len(self._compiled) >= self._max_cached:
                self._compiled.pop(next(iter(self._compiled)))
            compiled = compile_schema(version.schema)
            self._compiled[version.schema_id] = compiled
        return compiled

    def _sync_caches(self) -> None:
        token = self.store.change_token()
        if token != self._token:
            self._latest.clear()
            self._token = token


def _tags(tags: list[str]) -> tuple[str, ...]:
    """Tags are a set: deduplicated, order of first appearance kept."""
    return tuple(dict.fromkeys(tags))


def _requested_version(event: object, base_path: str) -> VersionRef:
    raw = event.get("version", "latest") if isinstance(event, dict) else "latest"
    if raw == "latest" or (isinstance(raw, int) and not isinstance(raw, bool) and raw >= 1):
        return raw  # type: ignore[no-any-return]
    raise InvalidRequest(
        "'version' must be a positive integer or 'latest'", pointer=f"{base_path}/version"
    )


def _no_schema(key: str, requested: VersionRef, base_path: str) -> Violation:
    what = "has no schema version yet" if requested == "latest" else f"has no version {requested}"
    return Violation(
        code="version_not_found" if requested != "latest" else "no_schema",
        severity="error" if requested != "latest" else "warning",
        path=f"{base_path}/version" if requested != "latest" else f"{base_path}/eventTypeKey",
        message=f"event type {key!r} {what}; only the envelope was checked",
    )
