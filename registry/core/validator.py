"""Validating events against the registry: the hot path.

:class:`EventValidator` resolves an event's type and version through per-process caches and runs
the compiled schema. Caches hang off the instance (no globals): compiled validators by schema id
(content-addressed, never stale) and resolved event types by key, dropped whenever the store's
change token moves, so several workers or replicas sharing one database never serve a stale
``latest`` or configuration.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Literal, cast

from registry.core.config import EffectiveConfig, Mode, resolve
from registry.core.errors import EventTypeNotFound
from registry.core.model import SchemaVersion, latest_usable, utc_now
from registry.core.ports import SchemaStore
from registry.core.report import Report, finish_report
from registry.core.suggest import SuggestIndex
from registry.core.telemetry import NO_TELEMETRY, Telemetry
from registry.core.validation import (
    CompiledSchema,
    Violation,
    compile_schema,
    event_type_key_of,
)
from registry.core.validation.event import (
    passes_quickly,
    quick_check,
    validate_event_capped,
)
from registry.core.validation.violations import Allowance
from registry.core.validator_views import Resolved, Shortcut
from registry.core.version_notes import (
    bad_version_code,
    deprecation,
    explicit,
    unknown_type,
    violation,
)

VersionRef = int | Literal["latest"]
_NO_NOTES: tuple[Violation, ...] = ()
_MISSING = object()

INLINE_MAX_BYTES = 32_768
"""Events up to this size may be validated on the event loop (see :meth:`EventValidator.cheap`)."""
INLINE_MAX_WORK = 1_000_000
"""``schema cost x body bytes`` up to which an event is validated on the event loop: a schema
at the default cost budget (1000) with a 1 KiB event, or the catalog's (cost <= 10) at 32 KiB;
measured well under 20 ms of engine time either way."""


class EventValidator:
    """Validates decoded events; never raises for a bad *event*."""

    def __init__(
        self,
        store: SchemaStore,
        *,
        max_cached_validators: int = 10_000,
        today: Callable[[], str] = lambda: utc_now()[:10],
        telemetry: Telemetry = NO_TELEMETRY,
    ) -> None:
        self._store = store
        self._telemetry = telemetry
        self._counted = telemetry is not NO_TELEMETRY
        self._today = today
        self._max_cached = max_cached_validators
        self._compiled: dict[int, CompiledSchema] = {}
        self._resolved: dict[str, Resolved | None] = {}
        self._global: EffectiveConfig | None = None
        self._token: int | None = None
        self._types: SuggestIndex | None = None
        """Did-you-mean index of the registered keys, built once per change token."""
        self._known: frozenset[str] | None = None
        """Every registered key (with the index): unknown keys need no store read."""
        self._fast: dict[str, Shortcut] = {}
        """Per key whose last event took the common case (latest active version, configured
        options, no notes): the specialised quick check, so the next valid event of that type
        skips the resolution steps. Dropped with the other views when the change token moves."""

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
        tried: bool = False,
    ) -> Report:
        """Validate one event as a Yespo client sends it (see :meth:`_validate`); ``tried``:
        the caller already asked :meth:`quick` (just now, so the caches are fresh)."""
        if not fresh and not tried:
            self.refresh()
        if mode is None and coerce is None and not base_path and not tried:
            found = self.quick(event, body_size, fresh=True)
            if found is not None:
                return found
            tried = True
        # the shortcut applied and its check said no: the full path need not ask it again
        judged = tried and self._applicable(event) is not None
        report = self._validate(
            event,
            body_size=body_size,
            mode=mode,
            coerce=coerce,
            base_path=base_path,
            fresh=True,
            type_hints=type_hints,
            judged=judged,
        )
        assert report is not None
        return report

    def quick(self, event: object, body_size: int | None, *, fresh: bool = False) -> Report | None:
        """The report of a valid event of a type seen before, configured options, latest
        version; None: ask :meth:`validate` (with ``tried=True``).

        Same answer as :meth:`_validate` (the same quick check, the same cache lookups
        counted); None sends the event down the full path, which decides.
        """
        if not fresh:  # refresh() and _applicable(), inlined: this is the hot path
            token = self._store.change_token()
            if token != self._token:
                self._forget(token)
        if type(event) is not dict:
            return None
        key = event.get("eventTypeKey")
        fast = self._fast.get(key) if type(key) is str else None
        if (
            fast is None
            or fast.token != self._token
            or event.get("version", "latest") != "latest"
            or not fast.check(event, body_size)
        ):
            return None
        if self._counted:
            self._count_hits()
        return fast.report

    def _applicable(self, event: object) -> Shortcut | None:
        """The shortcut that judges ``event`` (a type seen before, the latest version asked
        for, the same change token), else None."""
        if type(event) is not dict:
            return None
        key = event.get("eventTypeKey")
        fast = self._fast.get(key) if type(key) is str else None
        if fast is None or fast.token != self._token or event.get("version", "latest") != "latest":
            return None
        return fast

    def _valid(self, fast: Shortcut) -> Report:
        """The report of an event its shortcut passed."""
        if self._counted:
            self._count_hits()
        return fast.report

    def _count_hits(self) -> None:
        """The lookups a shortcut stands for: the type's and its compiled schema's."""
        self._telemetry.cache_lookup("type", hit=True)
        self._telemetry.cache_lookup("compiled", hit=True)

    def validate_inline(
        self, event: object, *, body_size: int, mode: Mode | None, coerce: bool | None
    ) -> Report | None:
        """The report if producing it is cheap enough for the event loop, else ``None``.

        Cheap: :meth:`cheap` holds and the event needs no full report (the quick pass answers).
        An invalid event's report (engine errors, did-you-mean) is left to a worker thread.
        """
        self.refresh()
        fast = self._applicable(event) if mode is None and coerce is None else None
        if fast is not None:  # its check is the quick pass; cheap() would ask the same bounds
            if body_size > INLINE_MAX_BYTES or fast.cost * body_size > INLINE_MAX_WORK:
                return None
            passed = fast.check(cast("dict[str, Any]", event), body_size)
            return self._valid(fast) if passed else None
        if not self.cheap(event, body_size=body_size):
            return None
        return self._validate(
            event, body_size=body_size, mode=mode, coerce=coerce, fresh=True, quick_only=True
        )

    def _validate(
        self,
        event: object,
        *,
        body_size: int | None = None,
        mode: Mode | None = None,
        coerce: bool | None = None,
        base_path: str = "",
        fresh: bool = False,
        type_hints: Allowance | None = None,
        quick_only: bool = False,
        judged: bool = False,
    ) -> Report | None:
        """Validate one event as a Yespo client sends it. ``mode``/``coerce`` override config.

        ``fresh`` skips the change-token check: the caller just called :meth:`refresh` (a batch
        checks once per chunk instead of once per event). ``type_hints`` caps the did-you-mean
        look-ups for unknown event types across calls (a batch shares one).
        """
        if not fresh:
            self.refresh()
        token = self._token
        key = event_type_key_of(event)
        resolved = self.resolved(key) if key is not None else None
        if resolved is not None and mode is None and coerce is None:
            options = resolved.options  # precomputed: the common case allocates nothing here
        else:
            config = resolved.config if resolved else self._global_config()
            options = config.validation_options(mode=mode, coerce=coerce)
        target, notes = self._target(key, resolved, event, base_path, type_hints)
        schema = self.compiled(target) if target is not None else None
        if (
            key is not None
            and target is not None
            and schema is not None
            and resolved is not None
            and target is resolved.latest
            and not notes
            and not base_path
            and options is resolved.options
        ):
            self._remember(key, token, resolved, target, schema)
        if quick_only:  # one quick pass: nothing to report, or leave the report to a thread
            if not passes_quickly(event, schema=schema, options=options, body_size=body_size):
                return None
            violations: list[Violation] = []
            capped = False
        else:
            violations, capped = validate_event_capped(
                event,
                schema=schema,
                options=options,
                body_size=body_size,
                base_path=base_path,
                quick=not judged,
            )
        return finish_report(
            key=key,
            version=target.version if target else None,
            schema_id=target.schema_id if target else None,
            violations=[*notes, *violations] if notes else violations,
            capped=capped,
        )

    def _remember(
        self,
        key: str,
        token: int | None,
        resolved: Resolved,
        target: SchemaVersion,
        schema: CompiledSchema,
    ) -> None:
        """Keep the shortcut of ``key`` (the event's own key: the one its reports carry),
        valid while the change token is the one ``resolved`` was read under."""
        fast = self._fast.get(key)
        if fast is None or fast.token != token or fast.report.schema_id != target.schema_id:
            self._fast[key] = Shortcut(
                token=token,
                check=quick_check(schema, resolved.options, known_key=key),
                cost=schema.cost,
                report=Report(True, key, target.version, target.schema_id, [], []),
            )

    def cheap(self, event: object, *, body_size: int) -> bool:
        """True when validating ``event`` now is known to be quick enough for the event loop.

        Everything it needs is cached (the type, its compiled schema, the key index for an
        unknown type) and ``schema cost x body size`` is within ``INLINE_MAX_WORK``. Anything
        else (a first sight, a big body, a schema stored over the cost budget) should run in a
        worker thread. Never touches the store.
        """
        if body_size > INLINE_MAX_BYTES:
            return False
        key = event_type_key_of(event)
        if key is None:
            return True
        resolved = self._resolved.get(key, _MISSING)
        if resolved is None:
            return self._types is not None
        if not isinstance(resolved, Resolved):
            return False
        target = resolved.latest
        if target is None:
            return True
        compiled = self._compiled.get(target.schema_id)
        return compiled is not None and compiled.cost * body_size <= INLINE_MAX_WORK

    def compiled(self, version: SchemaVersion) -> CompiledSchema:
        """The compiled validator of a version, compiled once per schema id."""
        compiled = self._compiled.get(version.schema_id)
        self._telemetry.cache_lookup("compiled", hit=compiled is not None)
        if compiled is None:
            if len(self._compiled) >= self._max_cached:
                self._compiled.pop(next(iter(self._compiled)))
            compiled = compile_schema(version.document)
            self._compiled[version.schema_id] = compiled
        return compiled

    def resolved(self, key: str) -> Resolved | None:
        """The cached view of a live event type, or None when it is unknown or soft-deleted."""
        try:
            found = self._resolved[key]
        except KeyError:
            known = self._known
            if known is not None and key not in known:
                self._telemetry.cache_lookup("type", hit=True)  # known unknown: no store read
                return None  # not registered (this token): no store read, nothing cached
            self._telemetry.cache_lookup("type", hit=False)
            loaded = self._resolved[key] = self._load(key)
            return loaded
        self._telemetry.cache_lookup("type", hit=True)
        return found

    def _load(self, key: str) -> Resolved | None:
        try:
            event_type = self._store.get_event_type(key=key)
        except EventTypeNotFound:
            return None
        if event_type.deleted:
            return None
        versions = self._store.list_versions(key=key)
        config = resolve(self._store.get_global_config(), event_type.config)
        return Resolved(
            event_type=event_type,
            versions=versions,
            config=config,
            latest=latest_usable(versions),
            options=config.validation_options(),
        )

    def _global_config(self) -> EffectiveConfig:
        if self._global is None:
            self._global = resolve(self._store.get_global_config())
        return self._global

    def refresh(self) -> None:
        """Drop cached views when the store changed (another worker or replica wrote)."""
        token = self._store.change_token()
        if token != self._token:
            self._forget(token)

    def _forget(self, token: int) -> None:
        """Drop every cached view: the store is at ``token`` now."""
        self._resolved.clear()
        self._fast.clear()
        self._global = None
        self._types = None
        self._known = None
        self._token = token

    def _target(
        self,
        key: str | None,
        resolved: Resolved | None,
        event: object,
        base_path: str,
        type_hints: Allowance | None = None,
    ) -> tuple[SchemaVersion | None, Sequence[Violation]]:
        if key is None:
            return None, _NO_NOTES
        if resolved is None:
            suggest = type_hints is None or type_hints.suggest()
            return None, [self._unknown_type(key, base_path, suggest=suggest)]
        # a resolved key means the event is an object (event_type_key_of checked it)
        requested = event.get("version", "latest")  # type: ignore[attr-defined]
        if requested == "latest":
            target = resolved.latest
            if target is not None and target.state == "active":
                return target, _NO_NOTES  # the common case: no allocation, no deprecation check
            if target is None:
                why = "every_version_disabled" if resolved.versions else "no_schema"
                return None, [violation("no_schema", "warning", base_path, key, None, why)]
        else:
            target = explicit(resolved, requested)
            if target is None or not target.usable:
                code = bad_version_code(requested, target)
                return None, [violation(code, "error", base_path, key, requested)]
        return target, deprecation(resolved, target, base_path, self._today())

    def _type_index(self) -> SuggestIndex:
        index = self._types
        if index is None:
            keys = self._store.all_keys()
            index = self._types = SuggestIndex(keys)
            self._known = frozenset(keys)
        return index

    def _unknown_type(self, key: str, base_path: str, *, suggest: bool = True) -> Violation:
        return unknown_type(key, base_path, self._type_index().suggest(key) if suggest else None)
