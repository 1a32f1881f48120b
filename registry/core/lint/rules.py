"""Lint rules as data: one small function each, registered in :data:`RULES`.

Every rule reads one event type's schema (``Subject``) and yields :class:`LintFinding` values;
``param_casing_inconsistent`` reads all the types linted together. ``default`` says whether the
rule runs when none is chosen: every default rule accepts the built-in catalog (seeding applies
per-type blocking rules, so a default that failed the catalog would make seeding fail;
tests/unit/core/test_lint.py checks it). Mobile event *types* are PascalCase on purpose
(``ApplicationOpened``): the naming rules speak of param names only. The catalog's tracker
types spell their members as the web-tracking script sends them (``GeneralInfo``, ``Products``),
so the naming and casing rules are opt-in, as are the bounds rules (most catalog strings are
open on purpose: Yespo accepts any length).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Literal, NamedTuple, get_args

import msgspec

from registry.core.lint.walk import Member, members, objects
from registry.core.validation.envelope import is_contact_name

RuleCode = Literal[
    "missing_description",
    "unbounded_string",
    "additional_properties_unstated",
    "param_not_camel_case",
    "param_casing_inconsistent",
    "enum_casing_mixed",
    "optional_without_default",
    "deprecated_without_sunset",
]
RULE_CODES: tuple[str, ...] = get_args(RuleCode)

_CAMEL = re.compile(r"[a-z][a-zA-Z0-9]*\Z")
_STYLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("UPPER_SNAKE", re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*\Z")),
    ("lower_snake", re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*\Z")),
    ("camelCase", re.compile(r"[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)+\Z")),
    ("PascalCase", re.compile(r"(?:[A-Z][a-z0-9]+)+\Z")),
    ("kebab-case", re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)+\Z")),
)
_BOUNDING = ("maxLength", "enum", "const", "format", "pattern")


class LintFinding(msgspec.Struct, frozen=True, kw_only=True, rename="camel", omit_defaults=True):
    """One finding: which rule, in which type, where in its schema, and why."""

    rule: str
    key: str | None
    path: str
    """JSON Pointer into the type's schema (``""``: the root)."""
    message: str
    param: str | None = None


class Subject(NamedTuple):
    key: str | None
    schema: Any


Check = Callable[[Subject, Sequence[Subject]], Iterator[LintFinding]]


class Rule(NamedTuple):
    code: str
    default: bool
    summary: str
    check: Check


def _finding(subject: Subject, rule: str, member: Member, message: str) -> LintFinding:
    return LintFinding(
        rule=rule, key=subject.key, path=member.pointer, param=member.param, message=message
    )


def _dicts(subject: Subject) -> Iterator[tuple[Member, dict[str, Any]]]:
    for member in members(subject.schema):
        if isinstance(member.node, dict):
            yield member, member.node


def _types(node: dict[str, Any]) -> set[str]:
    kind = node.get("type")
    return {kind} if isinstance(kind, str) else set(kind) if isinstance(kind, list) else set()


def missing_description(subject: Subject, _: Sequence[Subject]) -> Iterator[LintFinding]:
    for member, node in _dicts(subject):
        if not str(node.get("description", "")).strip():
            yield _finding(subject, "missing_description", member, "the param has no description")


def unbounded_string(subject: Subject, _: Sequence[Subject]) -> Iterator[LintFinding]:
    for member, node in _dicts(subject):
        if "string" in _types(node) and not any(k in node for k in _BOUNDING):
            yield _finding(
                subject,
                "unbounded_string",
                member,
                "a string without maxLength, enum, const, format or pattern accepts any length",
            )


def additional_properties_unstated(subject: Subject, _: Sequence[Subject]) -> Iterator[LintFinding]:
    for pointer, node in objects(subject.schema):
        if "additionalProperties" not in node and "unevaluatedProperties" not in node:
            yield LintFinding(
                rule="additional_properties_unstated",
                key=subject.key,
                path=pointer,
                message="a nested object does not say whether other members are allowed "
                "(set additionalProperties; the root is governed by the validation mode)",
            )


def param_not_camel_case(subject: Subject, _: Sequence[Subject]) -> Iterator[LintFinding]:
    for member in members(subject.schema):
        if not _CAMEL.match(member.name) and not is_contact_name(member.name):
            yield _finding(
                subject,
                "param_not_camel_case",
                member,
                f"param name {member.name!r} is not camelCase",
            )


def param_casing_inconsistent(
    subject: Subject, everyone: Sequence[Subject]
) -> Iterator[LintFinding]:
    spellings: dict[str, set[str]] = {}
    for other in everyone:
        for member in members(other.schema):
            spellings.setdefault(member.name.casefold(), set()).add(member.name)
    for member in members(subject.schema):
        seen = spellings.get(member.name.casefold(), set())
        if len(seen) > 1 and not is_contact_name(member.name):
            others = ", ".join(sorted(seen - {member.name}))
            yield _finding(
                subject,
                "param_casing_inconsistent",
                member,
                f"param {member.name!r} is spelled {others} in other types",
            )


def _styles(value: str) -> set[str]:
    """The casing styles ``value`` fits (``online`` fits lower_snake and camelCase)."""
    fits = {name for name, pattern in _STYLES if pattern.match(value)}
    if _CAMEL.match(value):
        fits.add("camelCase")
    return fits


def enum_casing_mixed(subject: Subject, _: Sequence[Subject]) -> Iterator[LintFinding]:
    for member, node in _dicts(subject):
        values = node.get("enum")
        if not isinstance(values, list):
            continue
        fitting = [f for v in values if isinstance(v, str) and (f := _styles(v))]
        if fitting and not set.intersection(*fitting):
            shown = sorted({min(f) for f in fitting})
            yield _finding(
                subject,
                "enum_casing_mixed",
                member,
                f"enum values mix casing styles ({', '.join(shown)})",
            )


def optional_without_default(subject: Subject, _: Sequence[Subject]) -> Iterator[LintFinding]:
    for member, node in _dicts(subject):
        if not member.required and "default" not in node and "description" not in node:
            yield _finding(
                subject,
                "optional_without_default",
                member,
                "an optional param with neither a default nor a description of its absence",
            )


def deprecated_without_sunset(subject: Subject, _: Sequence[Subject]) -> Iterator[LintFinding]:
    for member, node in _dicts(subject):
        if node.get("deprecated") is True and "x-sunset" not in node:
            yield _finding(
                subject,
                "deprecated_without_sunset",
                member,
                "a deprecated param without x-sunset (the date producers must stop sending it)",
            )


RULES: tuple[Rule, ...] = (
    Rule("missing_description", True, "every param has a description", missing_description),
    Rule(
        "unbounded_string",
        False,
        "strings are bounded (maxLength, enum, const, format or pattern)",
        unbounded_string,
    ),
    Rule(
        "additional_properties_unstated",
        False,
        "nested objects state additionalProperties",
        additional_properties_unstated,
    ),
    Rule(
        "param_not_camel_case",
        False,
        "param names are camelCase (contact identifiers excepted)",
        param_not_camel_case,
    ),
    Rule(
        "param_casing_inconsistent",
        False,
        "a param name is spelled the same way in every type",
        param_casing_inconsistent,
    ),
    Rule("enum_casing_mixed", True, "enum values share one casing style", enum_casing_mixed),
    Rule(
        "optional_without_default",
        True,
        "optional params document a default or their absence",
        optional_without_default,
    ),
    Rule(
        "deprecated_without_sunset",
        True,
        "deprecated params name an x-sunset date",
        deprecated_without_sunset,
    ),
)
