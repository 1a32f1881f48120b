"""Yespo envelope rules: eventTypeKey, keyValue, occurred, params shape, contact identification.

Facts (shared/domain/yespo-events.md §2, §3, §5): eventTypeKey and keyValue forbid the characters
``< ; U+2019 \\ / | " ` ' ^ ? ! , >`` (U+2019: right single quote); eventTypeKey is at most
100 characters, keyValue 300, a param name 100; param names are unique; ``{name}`` needs a
``value``; without keyValue one of the contact-identifier params must be present (names
compared case-insensitively; a value of ``""``, ``" "``, ``"null"`` or ``null`` does not
identify anybody).
"""

from __future__ import annotations

import re
from typing import Any, Literal

from registry.core.jsonpointer import escape
from registry.core.keys import FORBIDDEN_PATTERN, MAX_KEY_LENGTH, MAX_KEY_VALUE_LENGTH
from registry.core.suggest import did_you_mean
from registry.core.validation.codes import json_type
from registry.core.validation.violations import Allowance, EnvelopeRules, Severity, Violation

__all__ = [
    "CONTACT_IDENTIFIERS",
    "TOP_LEVEL",
    "ParamsView",
    "check_envelope",
    "has_contact",
    "is_contact_name",
    "normalise_params",
    "occurred_ok",
]

MAX_PARAM_NAME = 100
TOP_LEVEL = frozenset({"eventTypeKey", "keyValue", "params", "occurred", "version", "sampleId"})
CONTACT_IDENTIFIERS = (
    "contactId",
    "Contact_id",
    "externalCustomerId",
    "email",
    "EmailAddress",
    "UserEmail",
    "ContactEmail",
    "phone",
    "SMS",
    "PhoneNumber",
    "pushToken",
)
_CONTACT_FOLDED = frozenset(n.casefold() for n in CONTACT_IDENTIFIERS)
_NULL_LIKE = frozenset({"", "null"})
"""Identifier values (stripped, case-folded) that name no contact."""
_OCCURRED = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?\Z",
    re.ASCII,  # \d is 0-9 only: '٢٠٢٤-01-01' is not a date
)


class ParamsView:
    """The params normalised to one object, and how to point back into the payload as sent."""

    __slots__ = ("form", "index", "values")

    def __init__(
        self, values: dict[str, Any], form: Literal["list", "object"], index: dict[str, int]
    ) -> None:
        self.values = values
        self.form = form
        self.index = index

    def value_path(self, name: str) -> str:
        """Pointer (relative to the event) to the value of param ``name``."""
        if self.form == "list" and name in self.index:
            return f"/params/{self.index[name]}/value"
        return f"/params/{escape(name)}"

    def name_path(self, name: str) -> str:
        """Pointer to where param ``name`` is named (the ``name`` member in the list form)."""
        if self.form == "list" and name in self.index:
            return f"/params/{self.index[name]}/name"
        return f"/params/{escape(name)}"


def is_contact_name(name: str) -> bool:
    """True for a Yespo contact-identifier param name (case-insensitive, with aliases)."""
    return name.casefold() in _CONTACT_FOLDED


def identifies(value: object) -> bool:
    """True if a keyValue / identifier value can identify a contact."""
    if isinstance(value, str):
        return value.strip().casefold() not in _NULL_LIKE
    return isinstance(value, int | float) and not isinstance(value, bool)


def has_contact(event: dict[str, Any], values: dict[str, Any]) -> bool:
    """True when the event names a contact by keyValue or by an identifier param."""
    if identifies(event.get("keyValue")):
        return True
    return any(identifies(v) for n, v in values.items() if n.casefold() in _CONTACT_FOLDED)


def occurred_ok(value: object) -> bool:
    """``YYYY-MM-DD`` or an ISO 8601 date-time (``T`` or space, optional seconds/fraction/zone)."""
    return isinstance(value, str) and _OCCURRED.match(value) is not None


def _clip(name: str) -> str:
    """A long param name, quoted and cut to its first 40 characters."""
    return repr(name) if len(name) <= 40 else repr(name[:40]) + "…"


def _violation(code: str, severity: Severity, path: str, message: str, **extra: Any) -> Violation:
    return Violation(code=code, severity=severity, path=path, message=message, **extra)


def _string_rule(what: str, value: object, limit: int, base: str, code: str) -> list[Violation]:
    """Violations of a present eventTypeKey/keyValue that should be a string."""
    path = f"{base}/{what}"
    if not isinstance(value, str):
        got = json_type(value)
        return [
            _violation(
                code,
                "error",
                path,
                f"{what} must be a string, got {got}",
                expected="string",
                actual=value,
            )
        ]
    if what == "eventTypeKey" and not value:
        return [_violation(code, "error", path, "eventTypeKey must not be empty", actual=value)]
    if len(value) > limit:
        return [
            _violation(
                code,
                "error",
                path,
                f"{what} is {len(value)} characters long; the maximum is {limit}",
                expected=limit,
                actual=len(value),
            )
        ]
    bad = FORBIDDEN_PATTERN.search(value)
    if bad:
        char, at = bad.group(), bad.start()
        return [
            _violation(
                code,
                "error",
                path,
                f"{what} contains the forbidden character {char!r} at index {at}",
                actual=value,
                position=at,
                expected="none of < ; \u2019 \\ / | \" ` ' ^ ? ! , >",
            )
        ]
    return []


def check_envelope(
    event: dict[str, Any], rules: EnvelopeRules, base: str, allowance: Allowance | None = None
) -> list[Violation]:
    """Top-level members, eventTypeKey, keyValue and occurred."""
    found: list[Violation] = []
    allowance = allowance if allowance is not None else Allowance()
    for member in event:
        if member not in TOP_LEVEL:
            hint = did_you_mean(member, TOP_LEVEL) if allowance.suggest() else []
            found.append(
                _violation(
                    "unknown_member",
                    "warning",
                    f"{base}/{escape(member)}",
                    f"unknown top-level member {member!r} is ignored"
                    + (f"; did you mean {hint[0]!r}?" if hint else ""),
                    **({"suggestion": hint[0]} if hint else {}),
                )
            )
    if rules.event_type_key:
        if "eventTypeKey" not in event:
            found.append(
                _violation(
                    "invalid_event_type_key",
                    "error",
                    f"{base}/eventTypeKey",
                    "eventTypeKey is required",
                )
            )
        else:
            found += _string_rule(
                "eventTypeKey",
                event["eventTypeKey"],
                MAX_KEY_LENGTH,
                base,
                "invalid_event_type_key",
            )
    found += _key_value(event, rules, base)
    if "occurred" in event and not occurred_ok(event["occurred"]):
        found.append(
            _violation(
                "invalid_occurred",
                "error",
                f"{base}/occurred",
                "occurred must be a date YYYY-MM-DD or a date-time YYYY-MM-DDTHH:mm[:ss]",
                actual=event["occurred"],
            )
        )
    return found


def _key_value(event: dict[str, Any], rules: EnvelopeRules, base: str) -> list[Violation]:
    value = event.get("keyValue")
    if not rules.key_value or value is None:
        return []
    if isinstance(value, int | float) and not isinstance(value, bool):
        return [
            _violation(
                "invalid_key_value",
                "warning",
                f"{base}/keyValue",
                f"keyValue should be a string, got number {value}; it is used as its decimal text",
                expected="string",
                actual=value,
            )
        ]
    return _string_rule("keyValue", value, MAX_KEY_VALUE_LENGTH, base, "invalid_key_value")


def normalise_params(
    event: dict[str, Any], rules: EnvelopeRules, base: str
) -> tuple[ParamsView, list[Violation]]:
    """Turn ``params`` (list of ``{name, value}`` or an object) into one object, with violations."""
    params = event.get("params")
    if params is None:
        return ParamsView({}, "object", {}), []
    if isinstance(params, dict):
        found = [
            _violation(
                "param_name_too_long",
                "error",
                f"{base}/params/{escape(n)}",
                f"param name {_clip(n)} is {len(n)} characters long; "
                f"the maximum is {MAX_PARAM_NAME}",
                param=n,
            )
            for n in params
            if rules.param_names and len(n) > MAX_PARAM_NAME
        ]
        if "" in params:  # as in the list form: a param needs a name
            found.append(
                _violation(
                    "invalid_params", "error", f"{base}/params/", "a param name must not be empty"
                )
            )
            params = {n: v for n, v in params.items() if n}
        return ParamsView(params, "object", {}), found
    if not isinstance(params, list):
        return ParamsView({}, "object", {}), [
            _violation(
                "invalid_params",
                "error",
                f"{base}/params",
                f"params must be an array of {{name, value}} objects or an object, "
                f"got {json_type(params)}",
            )
        ]
    return _normalise_list(params, rules, base)


def _normalise_list(
    params: list[Any], rules: EnvelopeRules, base: str
) -> tuple[ParamsView, list[Violation]]:
    values: dict[str, Any] = {}
    index: dict[str, int] = {}
    found: list[Violation] = []
    for i, item in enumerate(params):
        keep, problem = _entry(item, i, rules, base, index)
        if problem is not None:
            found.append(problem)
        if keep:
            values[item["name"]] = item["value"]
            index[item["name"]] = i
    return ParamsView(values, "list", index), found


def _entry(
    item: object, i: int, rules: EnvelopeRules, base: str, index: dict[str, int]
) -> tuple[bool, Violation | None]:
    """Judge one ``{name, value}`` entry: (use it for validation?, its violation if any)."""
    at = f"{base}/params/{i}"
    if not isinstance(item, dict):
        return False, _violation(
            "invalid_params",
            "error",
            at,
            f"params[{i}] must be an object {{name, value}}, got {json_type(item)}",
        )
    name = item.get("name")
    if not isinstance(name, str) or not name:
        return False, _violation(
            "invalid_params",
            "error",
            f"{at}/name",
            f"params[{i}].name must be a non-empty string",
            actual=name,
        )
    if "value" not in item:
        return False, _violation(
            "missing_param_value",
            "error",
            at,
            f"param {name!r} has a name but no value",
            param=name,
        ) if rules.param_names else None
    if name in index:
        return False, _violation(
            "duplicate_param",
            "error",
            f"{at}/name",
            f"param {name!r} appears again (first at /params/{index[name]}); names must be unique",
            param=name,
        ) if rules.param_names else None
    if rules.param_names and len(name) > MAX_PARAM_NAME:
        return True, _violation(
            "param_name_too_long",
            "error",
            f"{at}/name",
            f"param name {_clip(name)} is {len(name)} characters long; "
            f"the maximum is {MAX_PARAM_NAME}",
            param=name,
        )
    return True, None
