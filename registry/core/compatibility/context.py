"""What every rule receives: where it is (``Here``) and how to recurse (``Ctx``)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from registry.core.compatibility.codes import CODES
from registry.core.compatibility.findings import Change
from registry.core.compatibility.levels import Policy
from registry.core.jsonpointer import escape, pointer

Schema = dict[str, Any]
"""A JSON Schema object after ``$ref`` resolution (booleans are handled before rules run)."""


@dataclass(frozen=True, slots=True)
class Here:
    """JSON Pointers of the compared subschemas, one into each document."""

    old: str
    new: str

    def child(self, *tokens: str | int) -> Here:
        """Descend into the same keyword path on both sides."""
        suffix = pointer(tokens)
        return Here(self.old + suffix, self.new + suffix)

    def split(self, old_tokens: Iterable[str | int], new_tokens: Iterable[str | int]) -> Here:
        """Descend along different keyword paths on each side."""
        return Here(self.old + pointer(old_tokens), self.new + pointer(new_tokens))

    def pointer(self, old: Schema, new: Schema, *keywords: str) -> str:
        """Pointer to the first of ``keywords`` in the new schema, else in the old (removed) one."""
        for side, path in ((new, self.new), (old, self.old)):
            for keyword in keywords:
                if keyword in side:
                    return f"{path}/{escape(keyword)}"
        return self.new

    def gone(self, old: Schema, new: Schema, *keywords: str) -> bool:
        """Whether ``pointer`` lands in the old schema (none of ``keywords`` is in the new one)."""
        return not any(k in new for k in keywords) and any(k in old for k in keywords)


Compare = Callable[[Any, Any, Here], list[Change]]


@dataclass(slots=True)
class Ctx:
    """Per-call state of one diff: the policy, the recursion entry point and a memo.

    ``memo`` maps a pair of pointers (old, new) to its changes, or to None while that pair is
    being compared: meeting it again then is a ``$ref`` cycle, which adds nothing.
    """

    policy: Policy
    compare: Compare
    memo: dict[tuple[str, str], list[Change] | None] = field(default_factory=dict)
    budget: int = 20_000
    """Subschema comparisons left; combinator branch matching is quadratic per level, so a
    hostile schema (anyOf nested in anyOf...) would otherwise take exponential time."""

    @property
    def lenient(self) -> bool:
        """Whether undeclared properties are assumed never to be sent."""
        return self.policy is Policy.LENIENT


def change(
    code: str,
    path: str,
    message: str,
    *,
    backward: bool,
    forward: bool,
    old: Any = None,
    new: Any = None,
    in_old: bool = False,
) -> Change:
    """Build a ``Change``; the code must be in the catalogue.

    ``in_old`` says that ``path`` points into the old schema, and the message says so too.
    """
    if code not in CODES:
        raise KeyError(f"unknown compatibility code {code!r}")
    if in_old:
        message += " (path is in the old schema)"
    return Change(code, path, message, backward, forward, old, new)


def flags(changes: Iterable[Change]) -> tuple[bool, bool]:
    """Whether any of ``changes`` breaks backward, and whether any breaks forward."""
    items = list(changes)
    return any(c.breaks_backward for c in items), any(c.breaks_forward for c in items)


def reasons(
    changes: Iterable[Change], *, backward: bool = True, forward: bool = True, limit: int = 2
) -> str:
    """A short human summary of the nested changes that break the selected directions."""
    items = [
        c for c in changes if (backward and c.breaks_backward) or (forward and c.breaks_forward)
    ]
    text = "; ".join(f"{c.message} (at {c.path or '(root)'})" for c in items[:limit])
    more = len(items) - limit
    return text + (f"; and {more} more" if more > 0 else "")


def canon(value: Any) -> str:
    """Canonical text of a JSON value: key order ignored, 1.0 == 1, true != 1."""
    return json.dumps(_norm(value), sort_keys=True, separators=(",", ":"))


def _norm(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _norm(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_norm(v) for v in value]
    return value


def show(value: Any) -> str:
    """Compact JSON for messages."""
    text = json.dumps(value, separators=(",", ":"), sort_keys=True, default=str)
    return text if len(text) <= 80 else text[:77] + "..."
