"""What a validation run reports: :class:`Violation` values and the options that shape them."""

from __future__ import annotations

from typing import Any, Literal

import msgspec
from msgspec import UNSET, UnsetType

__all__ = ["EnvelopeRules", "Severity", "ValidationOptions", "Violation", "sort_violations"]

Severity = Literal["error", "warning"]


class EnvelopeRules(msgspec.Struct, frozen=True, rename="camel"):
    """Yespo envelope rules; each can be switched off per event type."""

    event_type_key: bool = True
    """``invalid_event_type_key``: present, a string, 1..100 characters, no forbidden character."""
    key_value: bool = True
    """``invalid_key_value``: a string of at most 300 characters without forbidden characters."""
    contact: bool = True
    """``missing_contact_identifier``: a keyValue or a contact-identifier param."""
    param_names: bool = True
    """``duplicate_param``, ``param_name_too_long`` (> 100) and ``missing_param_value``."""
    body_size: bool = True
    """``payload_too_large`` when the raw body exceeds ``ValidationOptions.max_body_bytes``."""


class ValidationOptions(msgspec.Struct, frozen=True):
    """How strictly an event is judged."""

    mode: Literal["strict", "lenient"] = "lenient"
    """Undeclared params: ``strict`` -> error ``unknown_param``, ``lenient`` -> warning."""
    coerce: bool = False
    """Accept strings holding a number/boolean of the expected type (reported as warnings)."""
    envelope: EnvelopeRules = EnvelopeRules()
    max_body_bytes: int = 20_480


class Violation(msgspec.Struct, frozen=True, omit_defaults=True, rename="camel"):
    """One finding about an event, located by a JSON Pointer into the payload as sent."""

    code: str
    severity: Severity
    path: str
    message: str
    param: str | None = None
    keyword: str | None = None
    schema_path: str | None = None
    expected: Any | UnsetType = UNSET
    actual: Any | UnsetType = UNSET
    allowed: list[Any] | UnsetType = UNSET
    """``not_in_enum``: the allowed values."""
    suggestion: str | UnsetType = UNSET
    """Did-you-mean: the closest allowed value / declared param / member name."""
    coercible: bool | UnsetType = UNSET
    """``type_mismatch`` on a string that holds a value of the expected type."""
    coerced_value: Any | UnsetType = UNSET
    position: int | UnsetType = UNSET
    """``invalid_event_type_key`` / ``invalid_key_value``: 0-based index of the forbidden char."""
    branch: int | UnsetType = UNSET
    """``composition_failed``: index of the closest alternative (fewest errors)."""
    errors: list[Violation] | UnsetType = UNSET
    """``composition_failed``: the closest alternative's own violations."""


def _path_key(path: str) -> tuple[tuple[int, int, str], ...]:
    """Array indexes sort numerically; ASCII digits only (``"³".isdigit()`` is true too)."""
    return tuple(
        (1, int(t), "") if t.isascii() and t.isdigit() else (0, 0, t) for t in path.split("/")
    )


def sort_violations(violations: list[Violation]) -> list[Violation]:
    """Sort by path (array indexes numerically), errors before warnings, then by code."""
    return sorted(violations, key=lambda v: (_path_key(v.path), v.severity != "error", v.code))
