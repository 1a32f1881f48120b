"""Lint event-type schemas: advice beyond "is it valid JSON Schema" (rules in rules.py).

:func:`lint` runs the chosen rules (the defaults when none are chosen) over one or more types
linted together; :func:`blocking` is what registration applies: the rules a type's
configuration (``lintBlocking``) makes blocking.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from registry.core.lint.rules import RULE_CODES, RULES, LintFinding, Rule, RuleCode, Subject

__all__ = [
    "DEFAULT_RULES",
    "RULES",
    "RULE_CODES",
    "LintFinding",
    "Rule",
    "RuleCode",
    "Subject",
    "blocking",
    "lint",
    "select",
]

DEFAULT_RULES: tuple[str, ...] = tuple(r.code for r in RULES if r.default)
_BY_CODE = {r.code: r for r in RULES}


def select(chosen: Iterable[str] | None = None, *, disabled: Iterable[str] = ()) -> list[Rule]:
    """The rules named by ``chosen`` (``None``: the defaults; ``"all"``: every rule), minus
    ``disabled``; an unknown name raises KeyError naming it."""
    names = list(DEFAULT_RULES if chosen is None else chosen)
    if "all" in names:
        names = list(RULE_CODES)
    off = set(disabled)
    for name in [*names, *off]:
        if name not in _BY_CODE:
            raise KeyError(name)
    return [_BY_CODE[n] for n in RULE_CODES if n in names and n not in off]


def lint(subjects: Sequence[Subject], rules: Sequence[Rule] | None = None) -> list[LintFinding]:
    """Findings of ``rules`` over every subject, by subject then rule order."""
    chosen = select() if rules is None else rules
    return [f for s in subjects for rule in chosen for f in rule.check(s, subjects)]


def blocking(
    key: str, schema: object, codes: Sequence[str], others: Sequence[Subject] = ()
) -> list[LintFinding]:
    """Findings of the rules ``codes`` that block registering ``schema`` as ``key``."""
    if not codes:
        return []
    subject = Subject(key, schema)
    rules = select(codes)
    return [f for rule in rules for f in rule.check(subject, [subject, *others])]
