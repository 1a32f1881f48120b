"""Object rules that do not depend on the content model: required, dependencies, propertyNames."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from registry.core.compatibility.context import Ctx, Here, Schema, change, flags, reasons
from registry.core.compatibility.findings import Change


def _names(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def required_rule(old: Schema, new: Schema, at: Here, ctx: Ctx) -> Iterator[Change]:
    """``required``: a newly required name rejects old payloads without it, and vice versa."""
    before, after = _names(old.get("required")), _names(new.get("required"))
    for name in after:
        if name not in before:
            msg = f"{name!r} is now required: old payloads without it are rejected"
            path = f"{at.new}/required"
            yield change("required_added", path, msg, backward=True, forward=False, new=name)
    for name in before:
        if name not in after:
            msg = f"{name!r} is no longer required: the old schema rejects new payloads without it"
            path = f"{at.old}/required"
            yield change("required_removed", path, msg, backward=False, forward=True, old=name)


def _dependent(schema: Schema, lists: bool) -> dict[str, tuple[Any, str]]:
    """Draft-7 ``dependencies`` split into name lists / schemas, merged with 2019-09 keywords."""
    own = "dependentRequired" if lists else "dependentSchemas"
    found: dict[str, tuple[Any, str]] = {}
    for keyword in ("dependencies", own):
        value = schema.get(keyword)
        for name, dep in value.items() if isinstance(value, dict) else ():
            if isinstance(dep, list) == lists:
                found[name] = (dep, keyword)
    return found


def dependent_required_rule(old: Schema, new: Schema, at: Here, ctx: Ctx) -> Iterator[Change]:
    """``dependentRequired`` / array-valued ``dependencies``: more names narrow, fewer widen."""
    before, after = _dependent(old, lists=True), _dependent(new, lists=True)
    for name in dict.fromkeys([*after, *before]):
        (old_names, old_kw), (new_names, new_kw) = (
            before.get(name, ([], "")),
            after.get(name, ([], "")),
        )
        added = [n for n in _names(new_names) if n not in _names(old_names)]
        removed = [n for n in _names(old_names) if n not in _names(new_names)]
        if added:
            msg = f"when {name!r} is present, {added} are now also required: some old payloads fail"
            path = f"{at.new}/{new_kw}/{name}"
            yield change(
                "dependent_required_added", path, msg, backward=True, forward=False, new=added
            )
        if removed:
            msg = f"when {name!r} is present, {removed} are no longer required: "
            msg += "the old schema rejects new payloads without them"
            path = f"{at.old}/{old_kw}/{name}"
            yield change(
                "dependent_required_removed", path, msg, backward=False, forward=True, old=removed
            )


def dependent_schemas_rule(old: Schema, new: Schema, at: Here, ctx: Ctx) -> Iterator[Change]:
    """``dependentSchemas`` / schema-valued ``dependencies``: compared per trigger name."""
    before, after = _dependent(old, lists=False), _dependent(new, lists=False)
    for name in dict.fromkeys([*after, *before]):
        (old_dep, old_kw), (new_dep, new_kw) = (
            before.get(name, (True, "")),
            after.get(name, (True, "")),
        )
        here = at.split([old_kw or new_kw, name], [new_kw or old_kw, name])
        sub = ctx.compare(old_dep, new_dep, here)
        if name in before and name in after:
            yield from sub
            continue
        code, path = (
            ("dependent_schema_added", here.new)
            if name in after
            else ("dependent_schema_removed", here.old)
        )
        backward, forward = flags(sub)
        if backward or forward:
            what = code.rsplit("_", 1)[1]
            msg = f"schema applied when {name!r} is present was {what}: {reasons(sub)}"
            yield change(
                code, path, msg, backward=backward, forward=forward, old=old_dep, new=new_dep
            )


def property_names_rule(old: Schema, new: Schema, at: Here, ctx: Ctx) -> Iterator[Change]:
    """``propertyNames``: compared like any subschema (absent means any name)."""
    if "propertyNames" in old or "propertyNames" in new:
        before, after = old.get("propertyNames", True), new.get("propertyNames", True)
        yield from ctx.compare(before, after, at.child("propertyNames"))
