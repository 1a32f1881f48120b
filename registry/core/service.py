"""Use cases: the only core module that talks to the store; everything it calls is pure.

Per-process caches live on the :class:`EventValidator` this service owns (never in module
globals) and are dropped whenever the store's change token moves.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec

from registry.core import audit, canonical, lint
from registry.core.audit import SYSTEM, Actor
from registry.core.config import Mode
from registry.core.configuring import ConfigCases
from registry.core.errors import (
    EventTypeDeleted,
    EventTypeNotDeleted,
    EventTypeNotFound,
    InvalidRequest,
    LintFailed,
    SchemaIncompatible,
    VersionNotFound,
)
from registry.core.evolution import DryRun, ExampleVerdict
from registry.core.evolving import EvolutionCases
from registry.core.keys import check_new_key
from registry.core.model import (
    EventType,
    EventTypeQuery,
    Page,
    Reference,
    Schema,
    SchemaVersion,
    StoredSchema,
    VersionRef,
    latest_usable,
    utc_now,
)
from registry.core.operations import OperationsCases
from registry.core.paramlist import compile_param_list
from registry.core.ports import RepresentationClock, SchemaStore
from registry.core.report import Report
from registry.core.schema_check import SchemaLimits, check_schema
from registry.core.telemetry import NO_TELEMETRY, Telemetry
from registry.core.trail import TrailCases
from registry.core.validation.violations import Allowance
from registry.core.validator import EventValidator

Clock = Callable[[], str]


class Registration(msgspec.Struct, frozen=True):
    """Result of registering a schema: the version, whether it is new, and the example replay."""

    version: SchemaVersion
    created: bool
    examples: list[ExampleVerdict]


class RegistryService(TrailCases, OperationsCases, EvolutionCases, ConfigCases):
    """The registry's use cases over one :class:`SchemaStore`.

    Every write use case takes the ``actor`` making the change (:data:`SYSTEM` when the
    registry itself acts) and hands the store the audit entry to append in the same transaction.
    """

    def __init__(
        self,
        store: SchemaStore,
        *,
        clock: Clock = utc_now,
        limits: SchemaLimits,
        max_cached_validators: int = 10_000,
        telemetry: Telemetry = NO_TELEMETRY,
    ) -> None:
        self._store = store
        self._clock = clock
        self._limits = limits
        self._telemetry = telemetry
        self._counted = telemetry is not NO_TELEMETRY
        self._validator = EventValidator(
            store,
            max_cached_validators=max_cached_validators,
            today=lambda: self._clock()[:10],
            telemetry=telemetry,
        )

    # -- the store's lifetime ----------------------------------------------------------------

    def change_token(self) -> int:
        """The store's change token (see ``SchemaStore.change_token``); reaching it is the
        readiness check, so this raises what the store raises when it is down."""
        return self._store.change_token()

    def refresh(self) -> None:
        """Drop cached views if the store changed; ``validate(..., fresh=True)`` may follow."""
        self._validator.refresh()

    def close(self) -> None:
        """Release the store (its connection); the service is unusable afterwards."""
        self._store.close()

    # -- event types -------------------------------------------------------------------------

    def create_event_type(
        self,
        *,
        key: str,
        description: str = "",
        owner: str = "",
        tags: list[str] | None = None,
        actor: Actor = SYSTEM,
    ) -> EventType:
        now = self._clock()
        event_type = EventType(
            key=check_new_key(key),
            description=description,
            owner=owner,
            tags=_tags(tags or []),
            created_at=now,
            updated_at=now,
        )
        record = self._audit(
            actor, "event_type.create", key=key, after=audit.type_fields(event_type)
        )
        return self._store.create_event_type(event_type=event_type, audit=record)

    def get_event_type(self, *, key: str, include_deleted: bool = False) -> EventType:
        event_type = self._store.get_event_type(key=key)
        if event_type.deleted and not include_deleted:
            raise EventTypeNotFound(key)
        return event_type

    def list_event_types(self, *, query: EventTypeQuery) -> Page:
        return self._store.list_event_types(query=query)

    def update_event_type(
        self,
        *,
        key: str,
        description: str | msgspec.UnsetType = msgspec.UNSET,
        owner: str | msgspec.UnsetType = msgspec.UNSET,
        tags: list[str] | msgspec.UnsetType = msgspec.UNSET,
        actor: Actor = SYSTEM,
    ) -> EventType:
        current = self._live(key)
        changes: dict[str, Any] = {"updated_at": self._clock()}
        if not isinstance(description, msgspec.UnsetType):
            changes["description"] = description
        if not isinstance(owner, msgspec.UnsetType):
            changes["owner"] = owner
        if not isinstance(tags, msgspec.UnsetType):
            changes["tags"] = _tags(tags)
        updated = msgspec.structs.replace(current, **changes)
        return self._store.save_event_type(
            event_type=updated,
            audit=self._type_change(actor, "event_type.update", current, updated),
        )

    def delete_event_type(
        self, *, key: str, permanent: bool = False, actor: Actor = SYSTEM
    ) -> None:
        """Soft delete (hide, recoverable); ``permanent`` only after a soft delete."""
        current = self._store.get_event_type(key=key)
        if permanent:
            if not current.deleted:
                raise EventTypeNotDeleted(key)
            versions = {f"v{v.version}": v.fingerprint for v in self._store.list_versions(key=key)}
            record = self._audit(
                actor,
                "event_type.purge",
                key=key,
                before={**audit.type_fields(current), **versions},
                after={"purged": True},
            )
            self._store.delete_event_type(key=key, audit=record)
            return
        if current.deleted:
            raise EventTypeNotFound(key)
        now = self._clock()
        deleted = msgspec.structs.replace(current, deleted_at=now, updated_at=now)
        self._store.save_event_type(
            event_type=deleted,
            audit=self._type_change(actor, "event_type.delete", current, deleted),
        )

    def restore_event_type(self, *, key: str, actor: Actor = SYSTEM) -> EventType:
        current = self._store.get_event_type(key=key)
        if not current.deleted:
            return current
        restored = msgspec.structs.replace(current, deleted_at=None, updated_at=self._clock())
        return self._store.save_event_type(
            event_type=restored,
            audit=self._type_change(actor, "event_type.restore", current, restored),
        )

    def _live(self, key: str) -> EventType:
        event_type = self._store.get_event_type(key=key)
        if event_type.deleted:
            raise EventTypeDeleted(key)
        return event_type

    # -- versions ----------------------------------------------------------------------------

    def register_version(
        self,
        *,
        key: str,
        schema: Schema | None = None,
        params: list[Any] | None = None,
        references: list[Reference] | None = None,
        actor: Actor = SYSTEM,
    ) -> Registration:
        """Register a schema (or a param list compiled to one) if it passes compatibility.

        ``references`` declare what ``$ref`` names resolve to (core/references.py); they are
        part of the content's identity.

        Canonically identical content returns the existing version (``created`` False). An
        incompatible schema raises SchemaIncompatible with every finding. The check runs inside
        the store's write transaction, against the versions as they are at the insert:
        concurrent registrations of one type queue instead of failing, and none skips the check
        against its real predecessor.
        """
        self._live(key)
        candidate = self._candidate(key, schema=schema, params=params, references=references)
        document, fp = candidate.document, candidate.fingerprint
        existing = self._store.find_version(key=key, fingerprint=fp)
        if existing is not None:  # the common re-registration, without taking the write lock
            return Registration(version=existing, created=False, examples=[])
        self._lint_gate(key, document)
        checked: list[DryRun] = []

        def check(versions: list[SchemaVersion]) -> None:
            result = self._dry_run(key, document, versions=versions)
            if not result.compatible:
                raise SchemaIncompatible(
                    f"schema is incompatible ({result.level}, {result.policy}) with version "
                    f"{result.conflicts_with} of {key!r}: {len(result.findings)} finding(s)",
                    findings=result.findings,
                    conflicts_with=result.conflicts_with,
                )
            checked.append(result)

        record = self._audit(
            actor, "version.register", key=key, after={"fingerprint": fp, "state": "active"}
        )  # the store fills in the version number it assigns
        version, created = self._store.add_version(
            key=key,
            schema=candidate.schema,
            fingerprint=fp,
            params=params,
            created_at=self._clock(),
            check=check,
            audit=record,
            references=candidate.references,
            resolved=candidate.resolved,
        )
        examples = checked[-1].examples if created and checked else []
        return Registration(version=version, created=created, examples=examples)

    def _lint_gate(self, key: str, document: Schema) -> None:
        """Refuse ``document`` when a rule of the type's ``lintBlocking`` finds something."""
        codes = self.effective_config(key=key).lint_blocking
        others = []
        if "param_casing_inconsistent" in codes:
            others = [lint.Subject(v.key, v.document) for v in self.bundle() if v.key != key]
        found = lint.blocking(key, document, codes, others)
        if found:
            rules = ", ".join(sorted({f.rule for f in found}))
            raise LintFailed(
                f"{len(found)} finding(s) of blocking lint rules ({rules}) for {key!r}",
                findings=found,
            )

    def representation_clock(self) -> RepresentationClock | None:
        """The store's RepresentationClock (``Last-Modified`` times), when it keeps them."""
        return self._store if isinstance(self._store, RepresentationClock) else None

    def adopt_catalog_version(self, *, key: str, schema: Schema) -> Registration:
        """Register a built-in catalog schema past the compatibility level.

        Only for catalog-owned types (core/catalog.py decides): their history is the catalog's
        own, so a correction of what the catalog got wrong must not be blocked by it.
        """
        self._live(key)
        document = self._document(schema=schema, params=None)
        version, created = self._store.add_version(
            key=key,
            schema=document,
            fingerprint=canonical.fingerprint(document),
            params=None,
            created_at=self._clock(),
        )
        return Registration(version=version, created=created, examples=[])

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
            latest = latest_usable(self._store.list_versions(key=key))
            if latest is None:
                raise VersionNotFound(key, "latest")
            return latest
        return self._store.get_version(key=key, version=version)

    def list_versions(self, *, key: str) -> list[SchemaVersion]:
        return self._store.list_versions(key=key)

    def get_schema(self, *, schema_id: int) -> StoredSchema:
        return self._store.get_schema(schema_id=schema_id)

    # -- reads for SDKs ----------------------------------------------------------------------

    def bundle(
        self, *, prefix: str = "", tag: str | None = None, page_size: int = 500
    ) -> list[SchemaVersion]:
        """The latest version of every live event type matching the filters, ordered by key.

        Soft-deleted types and types without a (non-disabled) version are left out. This is what
        an SDK downloads in one conditional request (``GET /bundle``).
        """
        latest: list[SchemaVersion] = []
        cursor: str | None = None
        while True:
            page = self._store.list_event_types(
                query=EventTypeQuery(prefix=prefix, tag=tag, after=cursor, limit=page_size)
            )
            latest += [
                v
                for t in page.items
                if (v := latest_usable(self._store.list_versions(key=t.key))) is not None
            ]
            if page.next_cursor is None:
                return latest
            cursor = page.next_cursor

    # -- validation --------------------------------------------------------------------------

    def validate(
        self,
        event: object,
        *,
        body_size: int | None = None,
        mode: Mode | None = None,
        coerce: bool | None = None,
        base_path: str = "",
        fresh: bool = False,
        type_hints: Allowance | None = None,
    ) -> Report:
        """Validate one decoded event payload; never raises for a bad *event*."""
        plain = mode is None and coerce is None and not base_path
        report = self._validator.quick(event, body_size, fresh=fresh) if plain else None
        if report is None:
            report = self._validator.validate(
                event,
                body_size=body_size,
                mode=mode,
                coerce=coerce,
                base_path=base_path,
                fresh=fresh,
                type_hints=type_hints,
                tried=plain,
            )
        if self._counted:
            self._telemetry.validated(report)
        return report

    def validate_inline(
        self, event: object, *, body_size: int, mode: Mode | None = None, coerce: bool | None = None
    ) -> Report | None:
        """:meth:`validate` when that is cheap enough for the event loop, else ``None``."""
        report = self._validator.validate_inline(
            event, body_size=body_size, mode=mode, coerce=coerce
        )
        if report is not None:
            self._telemetry.validated(report)
        return report


def _tags(tags: list[str]) -> tuple[str, ...]:
    """Tags are a set: deduplicated, order of first appearance kept."""
    return tuple(dict.fromkeys(tags))
