"""Array rules: ``items``, ``prefixItems``, ``additionalItems`` (tuples, catch-all), ``contains``.

A tuple is read the same way in every draft: positional schemas (``prefixItems``, or draft-7
array-form ``items``) plus a catch-all for the rest (``items`` after ``prefixItems``, or
``additionalItems``; absent means ``true``). A position only one side declares is compared with
the other side's catch-all, mirroring properties under a content model.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from registry.core.compatibility.context import Ctx, Here, Schema, change, flags, reasons, show
from registry.core.compatibility.findings import Change


class _Tuple(NamedTuple):
    positional: list[Any]
    positional_kw: str
    rest: Any
    rest_kw: str


def _tuple(schema: Schema) -> _Tuple:
    if isinstance(schema.get("prefixItems"), list):
        return _Tuple(schema["prefixItems"], "prefixItems", schema.get("items", True), "items")
    items = schema.get("items")
    if isinstance(items, list):
        return _Tuple(items, "items", schema.get("additionalItems", True), "additionalItems")
    return _Tuple([], "items", True if items is None else items, "items")


def items_rule(old: Schema, new: Schema, at: Here, ctx: Ctx) -> Iterator[Change]:
    """Positional items and the catch-all for the remaining items."""
    before, after = _tuple(old), _tuple(new)
    for i in range(max(len(before.positional), len(after.positional))):
        yield from _position(i, before, after, at, ctx)
    here = at.split([before.rest_kw], [after.rest_kw])
    sub = ctx.compare(before.rest, after.rest, here)
    if not before.positional and not after.positional:
        yield from sub
        return
    backward, forward = flags(sub)
    if backward or forward:
        stem = "additional_items"
        code = (
            f"{stem}_changed"
            if backward and forward
            else f"{stem}_narrowed"
            if backward
            else f"{stem}_widened"
        )
        msg = f"items beyond the tuple: {show(before.rest)} -> {show(after.rest)}: {reasons(sub)}"
        path = here.new if after.rest_kw in new else here.old
        yield change(
            code, path, msg, backward=backward, forward=forward, old=before.rest, new=after.rest
        )


def _position(i: int, before: _Tuple, after: _Tuple, at: Here, ctx: Ctx) -> Iterator[Change]:
    has_old, has_new = i < len(before.positional), i < len(after.positional)
    old_item = before.positional[i] if has_old else before.rest
    new_item = after.positional[i] if has_new else after.rest
    old_at: list[str | int] = [before.positional_kw, i] if has_old else [before.rest_kw]
    new_at: list[str | int] = [after.positional_kw, i] if has_new else [after.rest_kw]
    sub = ctx.compare(old_item, new_item, at.split(old_at, new_at))
    if has_old and has_new:
        yield from sub
        return
    backward, forward = flags(sub)
    if has_new:
        code, path, what = (
            "tuple_item_added",
            at.split([], new_at).new,
            "added; compared with the old catch-all",
        )
    else:
        code, path, what = (
            "tuple_item_removed",
            at.split(old_at, []).old,
            "removed (path is in the old schema); compared with the new catch-all",
        )
    detail = reasons(sub)
    msg = f"item #{i} {what}" + (f": {detail}" if detail else ": no payload is affected")
    yield change(code, path, msg, backward=backward, forward=forward, old=old_item, new=new_item)


def contains_rule(old: Schema, new: Schema, at: Here, ctx: Ctx) -> Iterator[Change]:
    """``contains``: a wider schema accepts more arrays; adding it rejects arrays without one."""
    if "contains" in old and "contains" in new:
        yield from ctx.compare(old["contains"], new["contains"], at.child("contains"))
    elif "contains" in new:
        msg = (
            f"contains {show(new['contains'])} added: old arrays without such an item are rejected"
        )
        yield change(
            "contains_added",
            f"{at.new}/contains",
            msg,
            backward=True,
            forward=False,
            new=new["contains"],
        )
    elif "contains" in old:
        msg = "contains removed (path is in the old schema): old schema rejects arrays lacking one"
        yield change(
            "contains_removed",
            f"{at.old}/contains",
            msg,
            backward=False,
            forward=True,
            old=old["contains"],
        )
