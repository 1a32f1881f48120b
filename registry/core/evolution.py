"""Schema evolution use-case helpers: compatibility against history, example replay, lifecycle.

Pure functions over domain values; the service fetches and stores, these decide.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import get_args

import msgspec

from registry.core.compatibility import CompatibilityResult, Finding, check_against
from registry.core.config import EffectiveConfig
from registry.core.errors import InvalidRequest, VersionStateConflict
from registry.core.model import Example, Schema, SchemaVersion, VersionState
from registry.core.validation import CompiledSchema, ValidationOptions, Violation, validate_event

STATES: tuple[VersionState, ...] = get_args(VersionState)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


class ExampleVerdict(msgspec.Struct, frozen=True, rename="camel"):
    """How one stored example fares against the current latest and against the candidate."""

    name: str
    expect_valid: bool
    before: bool | None
    """Verdict under the current latest version (None when there is none)."""
    after: bool
    changed: bool
    as_expected: bool
    errors: list[Violation] = []
    """The candidate's errors for this example (always present, empty when it passes)."""


class DryRun(msgspec.Struct, frozen=True, rename="camel"):
    """Outcome of checking a candidate schema without storing anything."""

    compatible: bool
    level: str
    policy: str
    findings: list[Finding]
    checked_versions: list[int]
    conflicts_with: int | None
    examples: list[ExampleVerdict]


def active_history(versions: Sequence[SchemaVersion]) -> list[tuple[int, Schema]]:
    """(version, schema) of every version that takes part in checks: disabled ones do not."""
    return [(v.version, v.document) for v in versions if v.usable]


def assess(
    candidate: Schema, versions: Sequence[SchemaVersion], config: EffectiveConfig
) -> CompatibilityResult:
    """Check ``candidate`` against the history at the configured level and policy."""
    return check_against(
        candidate, active_history(versions), level=config.compatibility, policy=config.policy
    )


def against_one(
    candidate: Schema, version: SchemaVersion, config: EffectiveConfig
) -> CompatibilityResult:
    """Check ``candidate`` against one chosen version (non-transitive form of the level)."""
    level = config.compatibility.value.removesuffix("_TRANSITIVE")
    return check_against(
        candidate,
        [(version.version, version.document)],
        level=type(config.compatibility)(level),
        policy=config.policy,
    )


def replay(
    examples: Sequence[Example],
    *,
    before: CompiledSchema | None,
    after: CompiledSchema,
    options: ValidationOptions,
) -> list[ExampleVerdict]:
    """Validate every example under the current and the candidate schema."""
    verdicts = []
    for example in examples:
        old = None if before is None else _errors(example, before, options) == []
        errors = _errors(example, after, options)
        new = not errors
        verdicts.append(
            ExampleVerdict(
                name=example.name,
                expect_valid=example.expect_valid,
                before=old,
                after=new,
                changed=old is not None and old != new,
                as_expected=new == example.expect_valid,
                errors=errors,
            )
        )
    return verdicts


def check_example(key: str, name: str, payload: object) -> None:
    """An example is a whole event of this type, stored under a path-safe name.

    Replay validates it against this type's schemas whatever its ``eventTypeKey`` says, so an
    event of another type would get a meaningless verdict.
    """
    if not name or len(name) > 200 or "/" in name:
        raise InvalidRequest("example name must be 1-200 characters without '/'")
    other = payload.get("eventTypeKey", key) if isinstance(payload, dict) else key
    if other != key:
        raise InvalidRequest(
            f"the example's eventTypeKey is {other!r}, not {key!r}; examples are events of "
            "this type",
            pointer="/payload/eventTypeKey",
        )


def _errors(
    example: Example, schema: CompiledSchema, options: ValidationOptions
) -> list[Violation]:
    found = validate_event(example.payload, schema=schema, options=options)
    return [v for v in found if v.severity == "error"]


def dry_run(result: CompatibilityResult, verdicts: list[ExampleVerdict]) -> DryRun:
    return DryRun(
        compatible=result.compatible,
        level=result.level.value,
        policy=result.policy.value,
        findings=result.findings,
        checked_versions=result.checked_versions,
        conflicts_with=result.conflicts_with,
        examples=verdicts,
    )


def check_state_change(state: str, sunset: str | None, note: str | None) -> None:
    """Refuse lifecycle changes that make no sense; a sunset is an ISO date of a deprecation."""
    if state not in STATES:
        raise InvalidRequest(f"state must be one of {', '.join(STATES)}", pointer="/state")
    if sunset is not None:
        if state != "deprecated":
            raise InvalidRequest("only a deprecated version has a sunset date", pointer="/sunset")
        if not _is_calendar_date(sunset):
            raise InvalidRequest(
                f"sunset must be a date YYYY-MM-DD, got {sunset!r}", pointer="/sunset"
            )
    if note is not None and len(note) > 2000:
        raise InvalidRequest("note is longer than 2000 characters", pointer="/note")


def _is_calendar_date(text: str) -> bool:
    """Exactly ``YYYY-MM-DD`` and a real day (``fromisoformat`` alone also takes ``20300101``)."""
    if not _DATE.fullmatch(text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def check_disable(key: str, target: SchemaVersion, versions: Sequence[SchemaVersion]) -> None:
    """Refuse to disable the last version that is not disabled.

    Without one, ``latest`` would vanish and every event would pass on its envelope alone.
    """
    others = [v for v in versions if v.version != target.version and v.usable]
    if target.usable and not others:
        raise VersionStateConflict(
            key,
            target.version,
            "it is the last version that is not disabled; register or re-enable another first",
        )
