"""A registry without a server: a plan folder loaded into the real service over InMemoryStore.

Same engine, same :class:`Report` as ``POST /validate``. Each event type's schema from the folder
becomes its version 1; its ``config`` (validation mode, coercion, envelope rules) applies as it
would on the server, and per-call ``mode``/``coerce`` win over it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import msgspec

from registry.build import service_over
from registry.core.errors import RegistryError
from registry.core.model import Schema
from registry.core.report import Report, finish_report
from registry.core.validation import Mode, Violation, event_type_key_of
from registry.plan.files import PlanEntry, PlanError, read_plan
from registry.settings import Settings
from registry.store.memory import InMemoryStore


def problem_report(event: object, *, code: str, message: str, path: str = "") -> Report:
    """A failed report for an event the registry refused outright (e.g. a bad ``version``)."""
    key = event_type_key_of(event)
    violation = Violation(code=code, severity="error", path=path, message=message)
    return finish_report(key=key, version=None, schema_id=None, violations=[violation])


class OfflineRegistry:
    """Validate events against a tracking plan, in process. Build once, reuse for many events."""

    def __init__(self, entries: list[PlanEntry], *, source: str = "plan") -> None:
        self.entries = {e.key: e for e in entries}
        self.service = service_over(Settings(), InMemoryStore())
        for entry in entries:
            self._load(entry, source)

    @classmethod
    def from_folder(cls, directory: str | Path) -> OfflineRegistry:
        entries, _ = read_plan(Path(directory))
        return cls(entries, source=str(directory))

    def _load(self, entry: PlanEntry, source: str) -> None:
        try:
            created = self.service.create_event_type(
                key=entry.key, description=entry.description, owner=entry.owner, tags=entry.tags
            )
            self.service.set_type_config(key=created.key, config=entry.config)
            body = entry.body()
            if body is not None:
                self.service.register_version(key=entry.key, **body)
        except RegistryError as exc:
            raise PlanError(f"{source}: event type {entry.key!r}: {exc.code}: {exc}") from exc

    def schema_of(self, key: str) -> Schema | None:
        """The compiled JSON Schema of ``key`` (param lists compiled), or None."""
        versions = self.service.list_versions(key=key)
        return versions[-1].schema if versions else None

    def validate(
        self,
        event: object,
        *,
        mode: Mode | None = None,
        coerce: bool | None = None,
        version: int | Literal["latest"] | None = None,
        body_size: int | None = None,
    ) -> Report:
        """Validate one decoded event; never raises for a bad event."""
        if version is not None and isinstance(event, dict):
            event = {**event, "version": version}
        if body_size is None:
            body_size = len(msgspec.json.encode(event))
        try:
            return self.service.validate(event, body_size=body_size, mode=mode, coerce=coerce)
        except RegistryError as exc:
            pointer: Any = getattr(exc, "pointer", "")
            return problem_report(event, code=exc.code, message=str(exc), path=pointer or "")
