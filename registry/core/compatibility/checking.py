"""From changes to findings: filter by the level's directions, then check against versions."""

from __future__ import annotations

from collections.abc import Sequence

from registry.core.compatibility.findings import Change, CompatibilityResult, Finding
from registry.core.compatibility.levels import Direction, Level, Policy


def check(
    old: object, new: object, *, level: Level = Level.BACKWARD, policy: Policy = Policy.STRICT
) -> list[Finding]:
    """Why ``new`` may not follow ``old`` at ``level``; an empty list means compatible.

    A change that breaks both directions yields one finding per direction the level checks.
    """
    directions = level.directions
    if not directions:
        return []
    # the comparison rules load on the first real comparison: registering a first version, or
    # validating offline against a tracking plan, never compares two schemas
    from registry.core.compatibility.diffing import diff

    return [
        _finding(c, direction)
        for c in diff(old, new, policy=policy)
        for direction in (Direction.BACKWARD, Direction.FORWARD)
        if direction in directions and _breaks(c, direction)
    ]


def _breaks(item: Change, direction: Direction) -> bool:
    return item.breaks_backward if direction is Direction.BACKWARD else item.breaks_forward


def _finding(item: Change, direction: Direction, version: int | None = None) -> Finding:
    return Finding(
        code=item.code,
        path=item.path,
        direction=direction,
        message=item.message,
        old_value=item.old_value,
        new_value=item.new_value,
        version=version,
    )


def check_against(
    new: object, previous: Sequence[tuple[int, object]], *, level: Level, policy: Policy
) -> CompatibilityResult:
    """Check ``new`` against the active versions ``previous`` (oldest first).

    Non-transitive levels check only the last version, transitive ones all of them, and NONE
    checks nothing. ``conflicts_with`` is the first checked version that fails.
    """
    if not level.directions or not previous:
        targets: Sequence[tuple[int, object]] = []
    else:
        targets = previous if level.transitive else previous[-1:]
    findings: list[Finding] = []
    conflicts_with: int | None = None
    for version, old in targets:
        found = [_with_version(f, version) for f in check(old, new, level=level, policy=policy)]
        if found and conflicts_with is None:
            conflicts_with = version
        findings.extend(found)
    return CompatibilityResult(
        compatible=not findings,
        level=level,
        policy=policy,
        findings=findings,
        checked_versions=[v for v, _ in targets],
        conflicts_with=conflicts_with,
    )


def _with_version(item: Finding, version: int) -> Finding:
    return Finding(
        item.code, item.path, item.direction, item.message, item.old_value, item.new_value, version
    )
