"""The views of an event type the validator caches (see :mod:`registry.core.validator`)."""

from __future__ import annotations

import msgspec

from registry.core.config import EffectiveConfig
from registry.core.model import EventType, SchemaVersion
from registry.core.report import Report
from registry.core.validation import ValidationOptions
from registry.core.validation.event import QuickCheck

__all__ = ["Resolved", "Shortcut"]


class Resolved(msgspec.Struct, frozen=True):
    """What validation needs to know about one event type, computed once and cached per key."""

    event_type: EventType
    versions: list[SchemaVersion]
    config: EffectiveConfig
    latest: SchemaVersion | None
    """Newest version that is not disabled."""
    options: ValidationOptions
    """The configured validation options (used when a request overrides nothing)."""

    def successor_of(self, version: int) -> SchemaVersion | None:
        return next((v for v in self.versions if v.version > version and v.state == "active"), None)


class Shortcut(msgspec.Struct, frozen=True):
    """The valid-event shortcut of one type: its latest active version, as configured."""

    token: int | None
    """The change token it was made under: used only while the token is the same."""
    check: QuickCheck
    cost: int
    report: Report
    """The valid report every event its check passes gets (its key, version and schema id):
    built once and shared (a Report is frozen and nothing appends to its empty lists)."""
