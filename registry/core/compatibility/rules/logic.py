"""``not`` (compared inverted), ``if``/``then``/``else``, and references left unresolved."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from registry.core.compatibility.context import (
    Ctx,
    Here,
    Schema,
    canon,
    change,
    flags,
    reasons,
    show,
)
from registry.core.compatibility.findings import Change


def not_rule(old: Schema, new: Schema, at: Here, ctx: Ctx) -> Iterator[Change]:
    """``not``: the inner schema is compared and the directions are swapped."""
    if "not" in old and "not" in new:
        sub = ctx.compare(old["not"], new["not"], at.child("not"))
        inner_backward, inner_forward = flags(sub)
        if inner_backward or inner_forward:
            msg = f"the schema inside `not` changed, so its effect is inverted: {reasons(sub)}"
            yield change(
                "negated_schema_changed",
                f"{at.new}/not",
                msg,
                backward=inner_forward,
                forward=inner_backward,
                old=old["not"],
                new=new["not"],
            )
    elif "not" in new:
        msg = f"not {show(new['not'])} added: old payloads matching it are now rejected"
        yield change(
            "not_added", f"{at.new}/not", msg, backward=True, forward=False, new=new["not"]
        )
    elif "not" in old:
        msg = f"not {show(old['not'])} removed (path is in the old schema): "
        msg += "the old schema rejects new payloads matching it"
        yield change(
            "not_removed", f"{at.old}/not", msg, backward=False, forward=True, old=old["not"]
        )


def conditional_rule(old: Schema, new: Schema, at: Here, ctx: Ctx) -> Iterator[Change]:
    """``if``/``then``/``else``: any change of ``if`` can move payloads between branches."""
    if "if" in old and "if" in new:
        sub = ctx.compare(old["if"], new["if"], at.child("if"))
        if any(flags(sub)):
            msg = f"the `if` condition changed; payloads may switch branch: {reasons(sub)}"
            yield change(
                "condition_changed",
                f"{at.new}/if",
                msg,
                backward=True,
                forward=True,
                old=old["if"],
                new=new["if"],
            )
        for keyword in ("then", "else"):
            before, after = old.get(keyword, True), new.get(keyword, True)
            before, after = _in_context(before, old, new), _in_context(after, old, new)
            yield from ctx.compare(before, after, at.child(keyword))
    elif "if" in new:
        msg = "if/then/else added: old payloads must now satisfy the conditional branches"
        yield change(
            "condition_added", f"{at.new}/if", msg, backward=True, forward=False, new=new["if"]
        )
    elif "if" in old:
        msg = "if/then/else removed (path is in the old schema): new payloads need not satisfy them"
        yield change(
            "condition_removed", f"{at.old}/if", msg, backward=False, forward=True, old=old["if"]
        )


def ref_rule(old: Schema, new: Schema, at: Here, ctx: Ctx) -> Iterator[Change]:
    """A reference left unresolved (remote or dynamic) is compared by its text only."""
    for keyword in ("$ref", "$dynamicRef", "$recursiveRef"):
        before, after = old.get(keyword), new.get(keyword)
        if before != after:
            msg = f"{keyword} changed from {show(before)} to {show(after)}: it cannot be resolved "
            msg += "locally, so the change is assumed to break both ways"
            yield change(
                "ref_changed",
                at.pointer(old, new, keyword),
                msg,
                backward=True,
                forward=True,
                old=before,
                new=after,
                in_old=at.gone(old, new, keyword),
            )


def _in_context(branch: Any, old: Schema, new: Schema) -> Any:
    """Add to a ``then``/``else`` branch what its parent says, unchanged, about the same properties.

    The branch only ever applies together with its parent, so ``then: {properties: {x: {type:
    string}}}`` under a parent that already requires ``x`` to be a string adds nothing. Only
    parent keywords equal in both versions are merged, so no parent change is reported twice.
    """
    if not isinstance(branch, dict) or not isinstance(branch.get("properties"), dict):
        return branch
    old_props, new_props = old.get("properties"), new.get("properties")
    if not isinstance(old_props, dict) or not isinstance(new_props, dict):
        return branch
    merged = dict(branch["properties"])
    for name, schema in merged.items():
        before, after = old_props.get(name), new_props.get(name)
        if isinstance(schema, dict) and isinstance(before, dict) and isinstance(after, dict):
            same = {k: v for k, v in before.items() if k in after and canon(after[k]) == canon(v)}
            merged[name] = {**same, **schema}
    return {**branch, "properties": merged}
