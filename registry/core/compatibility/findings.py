"""Result types: a direction-neutral ``Change`` from the diff, a ``Finding`` for one direction."""

from __future__ import annotations

from typing import Any

import msgspec

from registry.core.compatibility.levels import Direction, Level, Policy


class Change(msgspec.Struct, frozen=True, rename="camel", omit_defaults=True):
    """One semantic difference between two schemas, classified by the directions it breaks.

    ``path`` is a JSON Pointer into the new schema, or into the old one when the changed thing
    exists only there (the message says so).
    """

    code: str
    path: str
    message: str
    breaks_backward: bool
    breaks_forward: bool
    old_value: Any = None
    new_value: Any = None


class Finding(msgspec.Struct, frozen=True, rename="camel", omit_defaults=True):
    """One reason a schema is incompatible in one direction."""

    code: str
    path: str
    direction: Direction
    message: str
    old_value: Any = None
    new_value: Any = None
    version: int | None = None


class CompatibilityResult(msgspec.Struct, frozen=True, rename="camel"):
    """Outcome of checking a new schema against existing versions."""

    compatible: bool
    level: Level
    policy: Policy
    findings: list[Finding]
    checked_versions: list[int]
    conflicts_with: int | None
