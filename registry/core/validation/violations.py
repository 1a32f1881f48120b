"""What a validation run reports: :class:`Violation` values and the options that shape them."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from msgspec import UNSET, UnsetType

__all__ = [
    "MAX_BATCH_TYPE_SUGGESTIONS",
    "MAX_NESTED",
    "MAX_NESTING",
    "MAX_SUGGESTIONS",
    "MAX_VIOLATIONS",
    "RUNTIME_COST_CAP",
    "Allowance",
    "EnvelopeRules",
    "Severity",
    "ValidationOptions",
    "Violation",
    "cap_violations",
    "sort_violations",
]

Severity = Literal["error", "warning"]

MAX_VIOLATIONS = 100
"""Most violations one event's report lists (errors kept before warnings); when more exist the
report says ``violationsCapped: true``. Keeps a report's size linear in the payload whatever
the schema does (an invalid value can fail 2**n alternatives)."""
MAX_SUGGESTIONS = 10
"""Most did-you-mean look-ups for one event (unknown params, members, enum values); later
unknown names are still reported, without a suggestion."""
RUNTIME_COST_CAP = 1000
"""A schema costing more than this per value (a version stored before the registration budget
existed) is reported by its verdict only: one ``schema_violation`` on ``/params`` and
``violationsCapped``, because building the engine's error tree is exponential for such a
schema while ``is_valid`` is not for most (``oneOf`` fan-out stays costly: such versions are
validated off the event loop, and ``migrate`` lists them)."""
MAX_BATCH_TYPE_SUGGESTIONS = 100
"""Most did-you-mean look-ups for unknown event types in one batch; later unknown types are
still reported (and counted in the summary), without a suggestion."""
MAX_NESTED = 10
"""Most violations a ``composition_failed`` lists in its ``errors`` (the closest alternative)."""
MAX_NESTING = 3
"""Deepest ``composition_failed`` whose closest alternative is still detailed in ``errors``."""


class Allowance:
    """What one event may still spend on extras (did-you-mean look-ups)."""

    __slots__ = ("suggestions",)

    def __init__(self, suggestions: int = MAX_SUGGESTIONS) -> None:
        self.suggestions = suggestions

    def suggest(self) -> bool:
        """Take one look-up; False once the event has used them all."""
        if self.suggestions <= 0:
            return False
        self.suggestions -= 1
        return True


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


def _doc(description: str, **openapi: Any) -> msgspec.Meta:
    """A field description for the wire schema.

    ``openapi`` replaces parts of the schema litestar generates for the field (litestar reads
    ``extra_json_schema["extra"]``): optional members default to ``None``/``UNSET`` only to be
    *omitted* (``omit_defaults``), so their schema is the plain type, never ``null``.
    """
    extra = {"extra": openapi} if openapi else None
    return msgspec.Meta(description=description, extra_json_schema=extra)


_ANY = {"one_of": None}
_STRING = {"one_of": None, "type": "string"}
_INDEX = {"one_of": None, "type": "integer", "minimum": 0}


class Violation(msgspec.Struct, frozen=True, omit_defaults=True, rename="camel"):
    """One finding about an event, located by a JSON Pointer into the payload as sent.

    ``code``, ``severity``, ``path`` and ``message`` are always present; every other member is
    omitted when it does not apply.
    """

    code: Annotated[
        str,
        msgspec.Meta(
            description="Stable machine code; the README lists every code. Never reused.",
            pattern="^[a-z][a-z0-9_]*$",
        ),
    ]
    severity: Annotated[
        Severity,
        _doc("`error` makes the event invalid; `warning` is advice and leaves `valid` alone."),
    ]
    path: Annotated[
        str,
        _doc(
            "JSON Pointer (RFC 6901) into the payload as sent: `/params/3/value/items/0/price` "
            "for list params, `/params/items/0/price` for object params; the empty string is "
            "the whole event."
        ),
    ]
    message: Annotated[str, _doc("One human sentence naming the param, the rule and the value.")]
    param: Annotated[str, _doc("The param the violation is about.", **_STRING)] | None = None
    keyword: (
        Annotated[str, _doc("The JSON Schema keyword (or envelope member) that failed.", **_STRING)]
        | None
    ) = None
    schema_path: (
        Annotated[str, _doc("JSON Pointer to the failing keyword inside the schema.", **_STRING)]
        | None
    ) = None
    expected: (
        Annotated[Any, _doc("What the rule expects (type, limit, pattern...).", **_ANY)] | UnsetType
    ) = UNSET
    actual: Annotated[Any, _doc("The offending value as sent.", **_ANY)] | UnsetType = UNSET
    allowed: (
        Annotated[list[Any], _doc("`not_in_enum`: the allowed values.", one_of=None, type="array")]
        | UnsetType
    ) = UNSET
    suggestion: (
        Annotated[
            str, _doc("Did-you-mean: the closest allowed value, declared param or name.", **_STRING)
        ]
        | UnsetType
    ) = UNSET
    coercible: (
        Annotated[
            bool,
            _doc(
                "`type_mismatch` on a string that holds a value of the expected type; always true "
                "when present.",
                one_of=None,
                type="boolean",
            ),
        ]
        | UnsetType
    ) = UNSET
    coerced_value: (
        Annotated[
            Any,
            _doc('With `coercible`: the value the string holds (e.g. 12.5 for "12.5").', **_ANY),
        ]
        | UnsetType
    ) = UNSET
    position: (
        Annotated[
            int,
            _doc("0-based index of the forbidden character in eventTypeKey/keyValue.", **_INDEX),
        ]
        | UnsetType
    ) = UNSET
    branch: (
        Annotated[
            int,
            _doc(
                "`composition_failed`: index of the closest alternative (fewest errors).", **_INDEX
            ),
        ]
        | UnsetType
    ) = UNSET
    errors: (
        Annotated[
            list[Violation], _doc("`composition_failed`: the closest alternative's own violations.")
        ]
        | UnsetType
    ) = UNSET


def _path_key(path: str) -> tuple[tuple[int, int, str], ...]:
    """Array indexes sort numerically; ASCII digits only (``"³".isdigit()`` is true too)."""
    return tuple(
        (1, int(t), "") if t.isascii() and t.isdigit() else (0, 0, t) for t in path.split("/")
    )


def sort_violations(violations: list[Violation]) -> list[Violation]:
    """Sort by path (array indexes numerically), errors before warnings, then by code."""
    return sorted(violations, key=lambda v: (_path_key(v.path), v.severity != "error", v.code))


def cap_violations(
    violations: list[Violation], *, limit: int = MAX_VIOLATIONS
) -> tuple[list[Violation], bool]:
    """At most ``limit`` violations, errors first (in the order found), and whether any was cut."""
    if len(violations) <= limit:
        return violations, False
    errors = [v for v in violations if v.severity == "error"]
    warnings = [v for v in violations if v.severity != "error"]
    return (errors + warnings)[:limit], True
