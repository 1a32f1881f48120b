"""Object rules: properties under open / closed / partially-open content models, required, ...

Content model of a name that a schema does not list in ``properties``: the matching
``patternProperties`` schemas (partially open), else ``additionalProperties`` (falling back to
``unevaluatedProperties``): absent/``true`` is open, ``false`` closed, a schema partially open.

Adding a property compares the OLD catch-all with the new property schema; removing one
compares the old property schema with the NEW catch-all. So, under STRICT, adding to an open
model breaks backward (old payloads may carry the name with any value) and removing from an
open model breaks forward (new payloads may carry it with any value, the old schema constrains
it). Under LENIENT nobody sends undeclared names: an added name cannot occur in old payloads
and a removed one cannot occur in new payloads, so only the other half of the check remains.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from registry.core.compatibility.context import (
    Ctx,
    Here,
    Schema,
    change,
    flags,
    reasons,
    show,
)
from registry.core.compatibility.findings import Change
from registry.core.jsonpointer import escape


class _CatchAll(NamedTuple):
    model: str
    schemas: list[tuple[Any, tuple[str, ...]]]
    via_pattern: bool


_ADDED_HINT = {
    "open": "old payloads may already carry it with any value",
    "closed": "the old schema rejects payloads that carry it",
    "partially_open": "compared with the old catch-all schema",
}
_REMOVED_HINT = {
    "open": "new payloads may carry it with any value",
    "closed": "old payloads that carry it are now rejected",
    "partially_open": "compared with the new catch-all schema",
}
_LENIENT_NOTE = "compatible under LENIENT: payloads never carry undeclared properties"


def _map(schema: Schema, keyword: str) -> dict[str, Any]:
    value = schema.get(keyword)
    return value if isinstance(value, dict) else {}


def _matches(pattern: str, name: str) -> bool:
    """Linear-time match (RE2); a pattern RE2 cannot compile (lookaround...) matches nothing."""
    import re2  # type: ignore[import-untyped]  # here: only a comparison needs it (fast start)

    options = re2.Options()
    options.log_errors = False
    try:
        return re2.compile(pattern, options).search(name) is not None
    except re2.error:
        return False


def _additional(schema: Schema) -> tuple[Any, str]:
    for keyword in ("additionalProperties", "unevaluatedProperties"):
        if keyword in schema:
            return schema[keyword], keyword
    return True, "additionalProperties"


def _model(value: Any) -> str:
    if value is False:
        return "closed"
    return "open" if value is True or value == {} else "partially_open"


def catch_all(schema: Schema, name: str) -> _CatchAll:
    """What constrains ``name`` in ``schema`` when it is not in ``properties``."""
    patterns = _map(schema, "patternProperties")
    hits: list[tuple[Any, tuple[str, ...]]] = [
        (s, ("patternProperties", p)) for p, s in patterns.items() if _matches(p, name)
    ]
    if hits:
        return _CatchAll("partially_open", hits, True)
    value, keyword = _additional(schema)
    return _CatchAll(_model(value), [(value, (keyword,))], False)


def properties_rule(old: Schema, new: Schema, at: Here, ctx: Ctx) -> Iterator[Change]:
    """``properties``: same name compared in place; added/removed names against the catch-all."""
    before, after = _map(old, "properties"), _map(new, "properties")
    for name in after:
        if name in before:
            yield from ctx.compare(before[name], after[name], at.child("properties", name))
        else:
            yield _added(name, old, after[name], at, ctx)
    for name in before:
        if name not in after:
            yield _removed(name, before[name], new, at, ctx)


def _added(name: str, old: Schema, schema: Any, at: Here, ctx: Ctx) -> Change:
    held = catch_all(old, name)
    subs = [ctx.compare(s, schema, at.split(kws, ["properties", name])) for s, kws in held.schemas]
    waived = ctx.lenient and not held.via_pattern
    backward = all(flags(sub)[0] for sub in subs) and not waived
    forward = any(flags(sub)[1] for sub in subs)
    detail = reasons([c for sub in subs for c in sub], backward=backward, forward=forward)
    model = _article(held.model)
    msg = f"property {name!r} added to {model} content model ({_ADDED_HINT[held.model]})"
    msg += (
        f": {detail}" if detail else f"; {_LENIENT_NOTE}" if waived else ": no payload is affected"
    )
    path = f"{at.new}/properties/{escape(name)}"
    code = f"property_added_to_{held.model}_model"
    return change(code, path, msg, backward=backward, forward=forward, new=schema)


def _removed(name: str, schema: Any, new: Schema, at: Here, ctx: Ctx) -> Change:
    held = catch_all(new, name)
    subs = [ctx.compare(schema, s, at.split(["properties", name], kws)) for s, kws in held.schemas]
    waived = ctx.lenient and not held.via_pattern
    backward = any(flags(sub)[0] for sub in subs)
    forward = all(flags(sub)[1] for sub in subs) and not waived
    detail = reasons([c for sub in subs for c in sub], backward=backward, forward=forward)
    model = _article(held.model)
    msg = f"property {name!r} removed (path is in the old schema) from {model} content model"
    msg += f" ({_REMOVED_HINT[held.model]})"
    msg += (
        f": {detail}" if detail else f"; {_LENIENT_NOTE}" if waived else ": no payload is affected"
    )
    path = f"{at.old}/properties/{escape(name)}"
    code = f"property_removed_from_{held.model}_model"
    return change(code, path, msg, backward=backward, forward=forward, old=schema)


def _article(model: str) -> str:
    return ("an " if model == "open" else "a ") + model.replace("_", "-")


def _summary_code(stem: str, backward: bool, forward: bool) -> str:
    return (
        f"{stem}_changed"
        if backward and forward
        else f"{stem}_narrowed"
        if backward
        else f"{stem}_widened"
    )


def additional_properties_rule(old: Schema, new: Schema, at: Here, ctx: Ctx) -> Iterator[Change]:
    """``additionalProperties`` (else ``unevaluatedProperties``): catch-all for undeclared names."""
    (before, old_kw), (after, new_kw) = _additional(old), _additional(new)
    sub = ctx.compare(before, after, at.split([old_kw], [new_kw]))
    backward, forward = flags(sub)
    if not (backward or forward):
        return
    code = _summary_code("additional_properties", backward, forward)
    msg = f"{old_kw} changed from {show(before)} to {show(after)}: {reasons(sub)}"
    if ctx.lenient:
        backward = forward = False
        msg += f"; {_LENIENT_NOTE}"
    path, gone = at.pointer(old, new, new_kw, old_kw), at.gone(old, new, new_kw, old_kw)
    yield change(
        code, path, msg, backward=backward, forward=forward, old=before, new=after, in_old=gone
    )


def pattern_properties_rule(old: Schema, new: Schema, at: Here, ctx: Ctx) -> Iterator[Change]:
    """``patternProperties``: same pattern compared in place; others against the catch-all."""
    before, after = _map(old, "patternProperties"), _map(new, "patternProperties")
    for pattern, schema in after.items():
        if pattern in before:
            yield from ctx.compare(before[pattern], schema, at.child("patternProperties", pattern))
            continue
        held, kw = _additional(old)
        sub = ctx.compare(held, schema, at.split([kw], ["patternProperties", pattern]))
        yield from _pattern_change("pattern_property_added", pattern, sub, at.new, ctx, new=schema)
    for pattern, schema in before.items():
        if pattern not in after:
            held, kw = _additional(new)
            sub = ctx.compare(schema, held, at.split(["patternProperties", pattern], [kw]))
            yield from _pattern_change(
                "pattern_property_removed", pattern, sub, at.old, ctx, old=schema
            )


def _pattern_change(
    code: str,
    pattern: str,
    sub: list[Change],
    base: str,
    ctx: Ctx,
    *,
    old: Any = None,
    new: Any = None,
) -> Iterator[Change]:
    backward, forward = flags(sub)
    added = code.endswith("added")
    if ctx.lenient:
        backward, forward = (False, forward) if added else (backward, False)
    if not sub:
        return
    where = (
        "added; names matching it were governed by the old catch-all"
        if added
        else ("removed (path is in the old schema); matching names now fall to the new catch-all")
    )
    detail = reasons(sub, backward=backward, forward=forward)
    msg = f"patternProperties {pattern!r} {where}" + (f": {detail}" if detail else "")
    path = f"{base}/patternProperties/{escape(pattern)}"
    yield change(code, path, msg, backward=backward, forward=forward, old=old, new=new)
