"""Rules for keywords on a single value: type, enum/const, numbers, strings, sizes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from registry.core.compatibility.codes import EXACT_KEYWORDS, SIZE_BOUNDS, SizeBound
from registry.core.compatibility.context import Ctx, Here, Schema, canon, change, show
from registry.core.compatibility.findings import Change

if TYPE_CHECKING:
    from fractions import Fraction  # imported by _number: only a comparison needs it

_KINDS = {
    "null": {"null"},
    "boolean": {"boolean"},
    "object": {"object"},
    "array": {"array"},
    "string": {"string"},
    "integer": {"integer"},
    "number": {"integer", "fraction"},
}
_ALL = frozenset().union(*_KINDS.values())


def _declared(schema: Schema) -> frozenset[str]:
    declared = schema.get("type")
    names = [declared] if isinstance(declared, str) else declared
    if not isinstance(names, list) or any(not isinstance(n, str) or n not in _KINDS for n in names):
        return _ALL
    return frozenset().union(*(_KINDS[n] for n in names))


def _kind_of(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return "null" if value is None else "boolean"
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return "integer"
    names = {float: "fraction", str: "string", list: "array", dict: "object"}
    return names.get(type(value), "object")


def _kinds(schema: Schema) -> frozenset[str]:
    """JSON types a value may have: ``type`` intersected with the types of ``enum``/``const``."""
    kinds = _declared(schema)
    allowed = _allowed(schema)
    if allowed is not None:
        kinds &= frozenset(_kind_of(v) for v in allowed.values())
    return kinds


def _label(kinds: frozenset[str]) -> str:
    if kinds == _ALL:
        return "any type"
    named = sorted(k.replace("fraction", "non-integer number") for k in kinds)
    return ", ".join(named)


def type_rule(old: Schema, new: Schema, at: Here, ctx: Ctx) -> Iterator[Change]:
    """``type``: integer ⊂ number; a missing ``type`` accepts every JSON type."""
    before, after = _kinds(old), _kinds(new)
    lost, gained = before - after, after - before
    if not lost and not gained:
        return
    code = "type_changed" if lost and gained else "type_narrowed" if lost else "type_widened"
    parts = [f"old payloads of type {_label(frozenset(lost))} are now rejected"] if lost else []
    if gained:
        parts.append(
            f"new payloads of type {_label(frozenset(gained))} are rejected by the old schema"
        )
    msg = f"type changed from {_label(before)} to {_label(after)}: " + "; ".join(parts)
    old_v, new_v = old.get("type"), new.get("type")
    path, gone = at.pointer(old, new, "type"), at.gone(old, new, "type")
    yield change(
        code,
        path,
        msg,
        backward=bool(lost),
        forward=bool(gained),
        old=old_v,
        new=new_v,
        in_old=gone,
    )


def _allowed(schema: Schema) -> dict[str, Any] | None:
    if "const" in schema:
        return {canon(schema["const"]): schema["const"]}
    values = schema.get("enum")
    return {canon(v): v for v in values} if isinstance(values, list) else None


def enum_rule(old: Schema, new: Schema, at: Here, ctx: Ctx) -> Iterator[Change]:
    """``enum`` and ``const`` (``const: x`` is ``enum: [x]``), compared as sets of JSON values."""
    before, after = _allowed(old), _allowed(new)
    path = at.pointer(old, new, "const", "enum")
    if before is None and after is not None:
        msg = f"values are now restricted to {show(list(after.values()))}; other old values fail"
        yield change(
            "enum_added", path, msg, backward=True, forward=False, new=list(after.values())
        )
    elif before is not None and after is None:
        allowed = show(list(before.values()))
        msg = f"the restriction to {allowed} was removed: the old schema rejects other values"
        values = list(before.values())
        yield change(
            "enum_removed", path, msg, backward=False, forward=True, old=values, in_old=True
        )
    elif before is not None and after is not None:
        yield from _enum_values(before, after, path)


def _enum_values(before: dict[str, Any], after: dict[str, Any], path: str) -> Iterator[Change]:
    removed = [v for k, v in before.items() if k not in after]
    added = [v for k, v in after.items() if k not in before]
    if removed:
        msg = (
            f"allowed values {show(removed)} were removed: old payloads with them are now rejected"
        )
        yield change("enum_value_removed", path, msg, backward=True, forward=False, old=removed)
    if added:
        msg = f"allowed values {show(added)} were added: the old schema rejects payloads with them"
        yield change("enum_value_added", path, msg, backward=False, forward=True, new=added)


class _Bound(NamedTuple):
    value: Fraction
    exclusive: bool


def _number(value: Any) -> Fraction | None:
    from fractions import Fraction

    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return Fraction(str(value)) if isinstance(value, float) else Fraction(value)


def _bound(schema: Schema, inclusive_kw: str, exclusive_kw: str, lower: bool) -> _Bound | None:
    """Effective bound; draft-4 ``exclusiveMinimum: true`` modifies ``minimum``."""
    inclusive, exclusive = _number(schema.get(inclusive_kw)), schema.get(exclusive_kw)
    if exclusive is True and inclusive is not None:
        return _Bound(inclusive, True)
    candidates = [_Bound(inclusive, False)] if inclusive is not None else []
    if (excl := _number(exclusive)) is not None:
        candidates.append(_Bound(excl, True))
    if not candidates:
        return None
    key = (lambda b: (b.value, b.exclusive)) if lower else (lambda b: (-b.value, b.exclusive))
    return max(candidates, key=key)


def _tighter(a: _Bound, b: _Bound, lower: bool) -> bool:
    """Whether bound ``b`` excludes a value that ``a`` allows."""
    if a.value != b.value:
        return (b.value > a.value) if lower else (b.value < a.value)
    return b.exclusive and not a.exclusive


def _text(b: _Bound | None, lower: bool) -> str:
    if b is None:
        return "none"
    op = (">" if b.exclusive else ">=") if lower else ("<" if b.exclusive else "<=")
    return f"{op} {float(b.value):g}"


def numeric_bounds_rule(old: Schema, new: Schema, at: Here, ctx: Ctx) -> Iterator[Change]:
    """``minimum``/``maximum`` with ``exclusiveMinimum``/``exclusiveMaximum`` (draft-4 or 6+)."""
    for stem, lower in (("minimum", True), ("maximum", False)):
        exclusive_kw = "exclusiveM" + stem[1:]
        before = _bound(old, stem, exclusive_kw, lower)
        after = _bound(new, stem, exclusive_kw, lower)
        if before == after:
            continue
        path = at.pointer(old, new, stem, exclusive_kw)
        yield _numeric_change(stem, lower, before, after, path)


def _numeric_change(
    stem: str, lower: bool, before: _Bound | None, after: _Bound | None, path: str
) -> Change:
    narrowed = before is None or (after is not None and _tighter(before, after, lower))
    if before is None:
        suffix = "added"
    elif after is None:
        suffix = "removed"
    else:
        suffix = "increased" if lower == narrowed else "decreased"
    texts = [None if b is None else _text(b, lower) for b in (before, after)]
    span = _transition(stem, *texts) + ": "
    why = (
        "some old values are now out of range"
        if narrowed
        else "new values may be out of the old range"
    )
    old_v, new_v = _text(before, lower), _text(after, lower)
    return change(
        f"{stem}_{suffix}",
        path,
        span + why,
        backward=narrowed,
        forward=not narrowed,
        old=old_v,
        new=new_v,
        in_old=after is None,
    )


def multiple_of_rule(old: Schema, new: Schema, at: Here, ctx: Ctx) -> Iterator[Change]:
    """``multipleOf``: a divisor of the old factor widens, a multiple of it narrows."""
    before, after = _number(old.get("multipleOf")), _number(new.get("multipleOf"))
    if (
        before == after
        or (before is not None and before <= 0)
        or (after is not None and after <= 0)
    ):
        return
    if after is None:
        code, b, f = "multiple_of_removed", False, True
    elif before is None:
        code, b, f = "multiple_of_added", True, False
    else:
        code, b, f = _multiple_kind(before, after)
    old_v, new_v = old.get("multipleOf"), new.get("multipleOf")
    msg = _transition("multipleOf", old_v, new_v) + ": " + _why(b, f, "numbers")
    path, gone = at.pointer(old, new, "multipleOf"), at.gone(old, new, "multipleOf")
    yield change(code, path, msg, backward=b, forward=f, old=old_v, new=new_v, in_old=gone)


def _multiple_kind(before: Fraction, after: Fraction) -> tuple[str, bool, bool]:
    if (before / after).denominator == 1:
        return "multiple_of_reduced", False, True
    if (after / before).denominator == 1:
        return "multiple_of_expanded", True, False
    return "multiple_of_changed", True, True


def _transition(keyword: str, before: Any, after: Any) -> str:
    """``maxLength 5 added`` / ``maxLength 5 removed`` / ``maxLength changed from 5 to 3``."""
    if before is None:
        return f"{keyword} {after} added"
    if after is None:
        return f"{keyword} {before} removed"
    return f"{keyword} changed from {before} to {after}"


def _why(backward: bool, forward: bool, noun: str) -> str:
    parts = [f"some old {noun} are now rejected"] if backward else []
    if forward:
        parts.append(f"some new {noun} are rejected by the old schema")
    return " and ".join(parts)


def exact_keywords_rule(old: Schema, new: Schema, at: Here, ctx: Ctx) -> Iterator[Change]:
    """``pattern``, ``format``, ``contentEncoding``, ``contentMediaType``: compared by equality."""
    for keyword, stem in EXACT_KEYWORDS:
        before, after = old.get(keyword), new.get(keyword)
        if before == after:
            continue
        if before is None:
            code, b, f = f"{stem}_added", True, False
        elif after is None:
            code, b, f = f"{stem}_removed", False, True
        else:
            code, b, f = f"{stem}_changed", True, True
        shown = [None if v is None else show(v) for v in (before, after)]
        msg = _transition(keyword, *shown) + ": " + _why(b, f, "strings")
        path, gone = at.pointer(old, new, keyword), at.gone(old, new, keyword)
        yield change(code, path, msg, backward=b, forward=f, old=before, new=after, in_old=gone)


def size_bounds_rule(old: Schema, new: Schema, at: Here, ctx: Ctx) -> Iterator[Change]:
    """Integer size bounds of the ``SIZE_BOUNDS`` table (minLength, maxItems, ...)."""
    for bound in SIZE_BOUNDS:
        before, after = _number(old.get(bound.keyword)), _number(new.get(bound.keyword))
        if before != after:
            yield _size_change(bound, before, after, at.pointer(old, new, bound.keyword))


def _size_change(
    bound: SizeBound, before: Fraction | None, after: Fraction | None, path: str
) -> Change:
    if before is None or after is None:
        narrowed = before is None
        suffix = "added" if narrowed else "removed"
    else:
        narrowed = (after > before) if bound.lower else (after < before)
        suffix = "increased" if after > before else "decreased"
    shown = [None if v is None else int(v) for v in (before, after)]
    msg = (
        _transition(bound.keyword, *shown)
        + ": "
        + _why(narrowed, not narrowed, f"values (by {bound.measure})")
    )
    return change(
        f"{bound.stem}_{suffix}",
        path,
        msg,
        backward=narrowed,
        forward=not narrowed,
        old=shown[0],
        new=shown[1],
        in_old=after is None,
    )


def unique_items_rule(old: Schema, new: Schema, at: Here, ctx: Ctx) -> Iterator[Change]:
    """``uniqueItems``: adding ``true`` narrows, removing it widens."""
    before, after = old.get("uniqueItems") is True, new.get("uniqueItems") is True
    if before and not after:
        msg = "uniqueItems removed: new arrays with duplicates are rejected by the old schema"
        yield change(
            "unique_items_removed",
            at.pointer(old, new, "uniqueItems"),
            msg,
            backward=False,
            forward=True,
            old=True,
            in_old=at.gone(old, new, "uniqueItems"),
        )
    elif after and not before:
        msg = "uniqueItems added: old arrays with duplicate items are now rejected"
        yield change(
            "unique_items_added",
            at.pointer(old, new, "uniqueItems"),
            msg,
            backward=True,
            forward=False,
            new=True,
        )
