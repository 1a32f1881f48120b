"""What validation says about the type and version an event asks for: an unregistered type, a
bad or disabled version, a deprecated one, one past its sunset (the notes the validator puts
before the engine's errors)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import msgspec

from registry.core.model import SchemaVersion
from registry.core.validation import Violation

if TYPE_CHECKING:
    from registry.core.validator_views import Resolved

__all__ = ["bad_version_code", "deprecation", "explicit", "unknown_type", "violation"]


def explicit(resolved: Resolved, requested: object) -> SchemaVersion | None:
    if isinstance(requested, int) and not isinstance(requested, bool) and requested >= 1:
        return next((v for v in resolved.versions if v.version == requested), None)
    return None


def bad_version_code(requested: object, target: SchemaVersion | None) -> str:
    if target is not None:
        return "version_disabled"
    if isinstance(requested, int) and not isinstance(requested, bool) and requested >= 1:
        return "version_not_found"
    return "invalid_version"


_MESSAGES = {
    "no_schema": "event type {key!r} has no schema version yet; only the envelope was checked",
    "every_version_disabled": "every schema version of {key!r} is disabled; only the envelope "
    "was checked",
    "version_not_found": "event type {key!r} has no version {version}; only the envelope was "
    "checked",
    "version_disabled": "version {version} of {key!r} is disabled and cannot be used for "
    "validation; only the envelope was checked",
    "invalid_version": "'version' must be a positive integer or 'latest', got {version!r}",
}


def violation(
    code: str,
    severity: Literal["error", "warning"],
    base: str,
    key: str,
    version: object,
    why: str | None = None,
) -> Violation:
    path = f"{base}/eventTypeKey" if code == "no_schema" else f"{base}/version"
    return Violation(
        code=code,
        severity=severity,
        path=path,
        message=_MESSAGES[why or code].format(key=key, version=version),
        actual=msgspec.UNSET if version is None else version,
    )


def _deprecation_code(*, sunset: bool) -> str:
    if sunset:
        return "version_sunset"
    return "deprecated_version"


def deprecation(
    resolved: Resolved, target: SchemaVersion, base: str, today: str
) -> list[Violation]:
    """A warning for a deprecated version; an error once its sunset date has passed."""
    if target.state != "deprecated":
        return []
    successor = resolved.successor_of(target.version)
    sunset = target.sunset is not None and today > target.sunset
    parts = [f"version {target.version} of {resolved.event_type.key!r} is deprecated"]
    if sunset:
        parts = [
            f"version {target.version} of {resolved.event_type.key!r} reached its sunset "
            f"{target.sunset} and is no longer accepted"
        ]
    elif target.sunset:
        parts.append(f"sunset {target.sunset}")
    parts.append(f"move to version {successor.version}" if successor else "no successor yet")
    if target.note:
        parts.append(target.note)
    return [
        Violation(
            code=_deprecation_code(sunset=sunset),
            severity="error" if sunset else "warning",
            path=f"{base}/version",
            message="; ".join(parts),
            actual=target.version,
            suggestion=str(successor.version) if successor else msgspec.UNSET,
        )
    ]


def unknown_type(key: str, base: str, suggestion: str | None) -> Violation:
    """The error for an ``eventTypeKey`` nothing is registered under (with a did-you-mean)."""
    hint = f"; did you mean {suggestion!r}?" if suggestion is not None else ""
    return Violation(
        code="unknown_event_type",
        severity="error",
        path=f"{base}/eventTypeKey",
        keyword="eventTypeKey",
        message=(
            f"event type {key!r} is not registered{hint} "
            "(Yespo would silently create a new event type for this key)"
        ),
        actual=key,
        suggestion=msgspec.UNSET if suggestion is None else suggestion,
    )
