"""The structural diff: resolve, short-circuit, then run every rule of ``RULES``."""

from __future__ import annotations

from typing import Any

from registry.core.compatibility.context import Ctx, Here, Schema, canon, change
from registry.core.compatibility.findings import Change
from registry.core.compatibility.levels import Policy
from registry.core.compatibility.resolve import Resolver
from registry.core.compatibility.rules import RULES
from registry.core.compatibility.rules.combinators import lift, reduce_pair

_REF_KEYS = ('"$ref"', '"$dynamicRef"', '"$recursiveRef"')


def diff(
    old: object, new: object, *, policy: Policy = Policy.STRICT, budget: int = 20_000
) -> list[Change]:
    """List the semantic changes from ``old`` to ``new``, each classified by direction.

    Args:
        old: the existing schema (decoded JSON: a dict or a bool).
        new: the proposed schema.
        policy: how undeclared properties are treated (see ``Policy``).
        budget: most subschema comparisons before giving up with ``comparison_too_complex``
            (which breaks both directions: compatibility could not be proven).

    Returns:
        Changes in discovery order, without duplicates. ``diff(x, x) == []``.
    """
    differ = _Differ(Resolver.of(old), Resolver.of(new))
    ctx = Ctx(policy=policy, compare=differ.compare, budget=budget)
    differ.ctx = ctx
    try:
        changes = differ.compare(old, new, Here("", ""))
    except _BudgetExhausted:
        return [_too_complex(budget)]
    unique = {(c.code, c.path, c.message, c.breaks_backward, c.breaks_forward): c for c in changes}
    return list(unique.values())


class _Differ:
    """Holds both resolvers; ``compare`` is the recursion entry point every rule uses."""

    def __init__(self, old: Resolver, new: Resolver) -> None:
        self.old, self.new = old, new
        self.ctx: Ctx | None = None

    def compare(self, old: Any, new: Any, at: Here) -> list[Change]:
        """Compare two subschemas found at ``at`` (memoised per pair of resolved pointers)."""
        assert self.ctx is not None
        old, old_path = self.old.resolve(old, at.old)
        new, new_path = self.new.resolve(new, at.new)
        key = (old_path, new_path)
        if key in self.ctx.memo:
            return self.ctx.memo[key] or []
        self.ctx.budget -= 1
        if self.ctx.budget < 0:
            raise _BudgetExhausted
        self.ctx.memo[key] = None
        result = self._compare(old, new, Here(old_path, new_path), self.ctx)
        self.ctx.memo[key] = result
        return result

    @staticmethod
    def _compare(old: Any, new: Any, at: Here, ctx: Ctx) -> list[Change]:
        old, new = _normal(old), _normal(new)
        if _same(old, new):
            return []
        if old is False or new is False:
            return [_false_change(old, new, at)]
        old, old_at, new, new_at = reduce_pair(old, new)
        if old_at is not None or new_at is not None:  # an allOf of one branch is that branch
            return ctx.compare(old, new, at.split(old_at or [], new_at or []))
        old, new = lift(old, new)
        return [c for rule in RULES for c in rule(old, new, at, ctx)]


class _BudgetExhausted(Exception):
    """Raised inside the recursion when the comparison budget is spent."""


def _too_complex(budget: int) -> Change:
    msg = (
        f"the schemas are too complex to compare within {budget} subschema comparisons "
        "(deeply nested anyOf/oneOf/allOf); compatibility cannot be proven either way"
    )
    return change("comparison_too_complex", "", msg, backward=True, forward=True)


def _normal(schema: Any) -> Schema | bool:
    if schema is True or not isinstance(schema, dict | bool):
        return {}
    return schema


def _same(old: Schema | bool, new: Schema | bool) -> bool:
    """Equal as JSON (``==`` first: it is fast, and only too lenient about ``true == 1``)."""
    if old != new:
        return False
    text = canon(old)
    return text == canon(new) and not any(key in text for key in _REF_KEYS)


def _false_change(old: Schema | bool, new: Schema | bool, at: Here) -> Change:
    if new is False:
        msg = "the schema became `false`: every value the old schema accepted is now rejected"
        return change("false_schema_added", at.new, msg, backward=True, forward=False)
    msg = (
        "the old schema was `false` (nothing allowed); values the new schema accepts were rejected"
    )
    return change("false_schema_removed", at.new, msg, backward=False, forward=True)
