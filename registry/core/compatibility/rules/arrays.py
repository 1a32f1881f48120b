"""Array rules: ``items``, ``prefixItems``, ``additionalItems`` (tuples, catch-all), ``contains``.

A tuple is read the same way in every draft: positional schemas (``prefixItems``, or draft-7
array-form ``items``) plus a catch-all for the rest (``items`` after ``prefixItems``, or
``additionalItems``; absent means ``unevaluatedItems``, absent too means ``true``). A position
only one side declares is compared with the other side's catch-all, mirroring properties under
a content model.

``unevaluatedItems`` is that catch-all only when nothing else at the same level can evaluate
items (no ``allOf``/``anyOf``/``oneOf``/``not``/``if``/``$ref``/``dependentSchemas`` beside it,
no ``contains``): then "items no keyword evaluated" are exactly "items beyond the tuple". Beside
such applicators which items it covers depends on the payload; a change of it is then reported
as ``additional_items_changed`` both ways (compatibility cannot be proven).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

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


class _Tuple(NamedTuple):
    positional: list[Any]
    positional_kw: str
    rest: Any
    rest_kw: str


_EVALUATES_ITEMS = (
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "if",
    "then",
    "else",
    "$ref",
    "$dynamicRef",
    "$recursiveRef",
    "dependentSchemas",
    "contains",
)
"""Keywords beside ``unevaluatedItems`` that may evaluate items of the same array."""


def _local_unevaluated(schema: Schema) -> bool:
    """``unevaluatedItems`` is present and only this level's tuple keywords evaluate items."""
    return "unevaluatedItems" in schema and not any(k in schema for k in _EVALUATES_ITEMS)


def _rest(schema: Schema, keyword: str) -> tuple[Any, str]:
    """The catch-all: ``keyword``'s value, else a local ``unevaluatedItems``, else ``true``."""
    if keyword in schema:
        return schema[keyword], keyword
    if _local_unevaluated(schema):
        return schema["unevaluatedItems"], "unevaluatedItems"
    return True, keyword


def _tuple(schema: Schema) -> _Tuple:
    if isinstance(schema.get("prefixItems"), list):
        return _Tuple(schema["prefixItems"], "prefixItems", *_rest(schema, "items"))
    items = schema.get("items")
    if isinstance(items, list):
        return _Tuple(items, "items", *_rest(schema, "additionalItems"))
    return _Tuple([], "items", *_rest(schema, "items"))


def _unmodelled_unevaluated(old: Schema, new: Schema, at: Here) -> Iterator[Change]:
    """``unevaluatedItems`` beside applicators that evaluate items too: any change breaks both
    ways, because which items it governs depends on the payload."""
    if not any("unevaluatedItems" in s and not _local_unevaluated(s) for s in (old, new)):
        return
    before, after = old.get("unevaluatedItems", True), new.get("unevaluatedItems", True)
    if canon(before) == canon(after):
        return
    msg = (
        f"unevaluatedItems {show(before)} -> {show(after)} beside keywords that evaluate items "
        "too (allOf/anyOf/oneOf/not/if/$ref/contains): the items it covers depend on the "
        "payload, so compatibility cannot be proven either way"
    )
    path = (
        f"{at.new}/unevaluatedItems" if "unevaluatedItems" in new else f"{at.old}/unevaluatedItems"
    )
    yield change(
        "additional_items_changed", path, msg, backward=True, forward=True, old=before, new=after
    )


def items_rule(old: Schema, new: Schema, at: Here, ctx: Ctx) -> Iterator[Change]:
    """Positional items and the catch-all for the remaining items."""
    yield from _unmodelled_unevaluated(old, new, at)
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
