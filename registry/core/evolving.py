"""The evolution use cases of :class:`~registry.core.service.RegistryService` (a mixin, like
``trail.py``): dry runs of a candidate with its example replay, typed diffs between versions,
lifecycle states (active, deprecated, disabled), and the examples a type keeps."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import msgspec

from registry.core import audit, evolution
from registry.core.audit import SYSTEM, Actor
from registry.core.canonical import fingerprint
from registry.core.compatibility import Change
from registry.core.config import EffectiveConfig, resolve
from registry.core.evolution import DryRun, ExampleVerdict
from registry.core.model import (
    Example,
    Reference,
    Schema,
    SchemaVersion,
    VersionRef,
    latest_usable,
)
from registry.core.referencing import ReferenceCases
from registry.core.validation import compile_schema

if TYPE_CHECKING:
    from registry.core.model import EventType
    from registry.core.ports import SchemaStore
    from registry.core.validator import EventValidator


class EvolutionCases(ReferenceCases):
    """Mixed into RegistryService, which provides ``_store``, ``_clock``, ``_validator``,
    ``_audit``, ``_live``, ``get_event_type``, ``get_version`` and ``effective_config``; a
    candidate is checked with its references resolved (``ReferenceCases._candidate``)."""

    _store: SchemaStore
    _clock: Any
    _validator: EventValidator

    if TYPE_CHECKING:  # provided by RegistryService and its other mixins

        def _audit(self, actor: Actor, action: audit.Action, **what: Any) -> audit.AuditEntry: ...
        def _live(self, key: str) -> EventType: ...
        def get_event_type(self, *, key: str, include_deleted: bool = False) -> EventType: ...
        def get_version(self, *, key: str, version: VersionRef) -> SchemaVersion: ...
        def effective_config(self, *, key: str) -> EffectiveConfig: ...

    def dry_run(
        self,
        *,
        key: str,
        schema: Schema | None = None,
        params: list[Any] | None = None,
        version: VersionRef | None = None,
        references: list[Reference] | None = None,
    ) -> DryRun:
        """Check a candidate against the configured level (or one version); store nothing."""
        self._live(key)
        candidate = self._candidate(key, schema=schema, params=params, references=references)
        return self._dry_run(key, candidate.document, version)

    def _dry_run(
        self,
        key: str,
        document: Schema,
        version: VersionRef | None = None,
        versions: list[SchemaVersion] | None = None,
    ) -> DryRun:
        config = self.effective_config(key=key)
        if versions is None:
            versions = self._store.list_versions(key=key)
        if version is None:
            result = evolution.assess(document, versions, config)
        else:
            chosen = self.get_version(key=key, version=version)
            result = evolution.against_one(document, chosen, config)
        return evolution.dry_run(result, self._replay(key, document, versions, config))

    def _replay(
        self,
        key: str,
        candidate: Schema,
        versions: list[SchemaVersion],
        config: EffectiveConfig,
    ) -> list[ExampleVerdict]:
        examples = self._store.list_examples(key=key)
        if not examples:
            return []
        latest = latest_usable(versions)
        return evolution.replay(
            examples,
            before=self._validator.compiled(latest) if latest else None,
            after=compile_schema(candidate),
            options=config.validation_options(),
        )

    def diff_versions(self, *, key: str, a: VersionRef, b: VersionRef) -> list[Change]:
        """Typed changes from version ``a`` to ``b``, each classified per direction."""
        old = self.get_version(key=key, version=a)
        new = self.get_version(key=key, version=b)
        own = self._store.get_event_type(key=key).config
        policy = resolve(self._store.get_global_config(), own).policy
        from registry.core.compatibility.diffing import diff  # the rules load on first use

        return diff(old.document, new.document, policy=policy)

    def set_version_state(
        self,
        *,
        key: str,
        version: VersionRef,
        state: str,
        sunset: str | None = None,
        note: str | None = None,
        actor: Actor = SYSTEM,
    ) -> SchemaVersion:
        """Move a version between active, deprecated and disabled; its schema never changes."""
        self._live(key)
        evolution.check_state_change(state, sunset, note)
        target = self.get_version(key=key, version=version)
        if state == "disabled":
            evolution.check_disable(key, target, self._store.list_versions(key=key))
        after = msgspec.structs.replace(target, state=state, sunset=sunset, note=note)
        record = self._audit(
            actor,
            "version.state",
            key=key,
            version=target.version,
            before=audit.version_fields(target),
            after=audit.version_fields(after),
        )
        return self._store.set_version_state(
            key=key, version=target.version, state=state, sunset=sunset, note=note, audit=record
        )

    # -- examples ----------------------------------------------------------------------------

    def put_example(
        self,
        *,
        key: str,
        name: str,
        payload: Any,
        expect_valid: bool,
        description: str = "",
        actor: Actor = SYSTEM,
    ) -> Example:
        self._live(key)
        evolution.check_example(key, name, payload)
        example = Example(
            name=name,
            payload=payload,
            expect_valid=expect_valid,
            description=description,
            created_at=self._clock(),
        )
        old = {e.name: e for e in self._store.list_examples(key=key)}.get(name)
        record = self._audit(
            actor,
            "example.put",
            key=key,
            name=name,
            before=None if old is None else audit.example_fields(old, fingerprint(old.payload)),
            after=audit.example_fields(example, fingerprint(payload)),
        )
        return self._store.put_example(key=key, example=example, audit=record)

    def list_examples(self, *, key: str) -> list[Example]:
        self.get_event_type(key=key, include_deleted=True)
        return self._store.list_examples(key=key)

    def delete_example(self, *, key: str, name: str, actor: Actor = SYSTEM) -> None:
        self._live(key)
        record = self._audit(actor, "example.delete", key=key, name=name, after={"deleted": True})
        self._store.delete_example(key=key, name=name, audit=record)
