"""Combinators ``allOf`` / ``anyOf`` / ``oneOf``: branches matched by equality, then by likeness.

``anyOf``/``oneOf`` are sums: a branch added widens (breaks forward), a branch removed narrows
(breaks backward). ``allOf`` is a product: the reverse. Like Confluent, ``oneOf``'s exclusivity is
not modelled (a new ``oneOf`` branch that overlaps an old one is treated as a widening).

An ``allOf`` branch that adds no constraint is left out before comparing (:func:`essential`):
``true``/``{}``, a repeat of an earlier branch, or a copy of the schema's own keywords beside
``allOf``. A schema that is only an ``allOf`` of one essential branch is that branch
(:func:`reduce_all_of`), so ``S`` -> ``{"allOf": [S]}`` or ``{"allOf": [S, S]}`` changes nothing.
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
    show,
)
from registry.core.compatibility.findings import Change


class _Kind(NamedTuple):
    stem: str
    is_sum: bool


KINDS = {
    "allOf": _Kind("all_of", False),
    "anyOf": _Kind("any_of", True),
    "oneOf": _Kind("one_of", True),
}
_SWITCH = {  # (old kind, new kind) -> (breaks backward, breaks forward), same branches assumed
    ("allOf", "anyOf"): (False, True),
    ("oneOf", "anyOf"): (False, True),
    ("anyOf", "allOf"): (True, False),
    ("anyOf", "oneOf"): (True, False),
    ("allOf", "oneOf"): (True, True),
    ("oneOf", "allOf"): (True, True),
}
ANNOTATIONS = frozenset(
    {
        "$schema",
        "$id",
        "id",
        "$anchor",
        "$comment",
        "title",
        "description",
        "default",
        "examples",
        "definitions",
        "$defs",
        "readOnly",
        "writeOnly",
        "deprecated",
    }
)


def _body(schema: Schema) -> str:
    """Canonical text of the keywords beside ``allOf`` that constrain (annotations left out)."""
    return canon({k: v for k, v in schema.items() if k != "allOf" and k not in ANNOTATIONS})


def essential(branches: list[Any], body: str) -> list[int]:
    """Indices of the ``allOf`` branches that constrain anything the others and ``body`` do not
    already: not ``true``/``{}``, not a repeat of an earlier branch, not equal to ``body``."""
    seen = {canon({}), canon(True), body}
    kept: list[int] = []
    for i, branch in enumerate(branches):
        text = canon(branch)
        if text not in seen:
            kept.append(i)
            seen.add(text)
    return kept


def reduce_all_of(schema: Schema) -> tuple[Schema, list[str | int] | None]:
    """``schema`` without an ``allOf`` that adds nothing; or, when ``schema`` is only an ``allOf``
    (beside annotations) with one essential branch, that branch and the tokens leading to it."""
    branches = schema.get("allOf")
    if not isinstance(branches, list):
        return schema, None
    body = _body(schema)
    kept = essential(branches, body)
    if not kept:
        return {k: v for k, v in schema.items() if k != "allOf"}, None
    if len(kept) == 1 and body == canon({}) and isinstance(branches[kept[0]], dict):
        return branches[kept[0]], ["allOf", kept[0]]
    return schema, None


def reduce_pair(
    old: Schema, new: Schema
) -> tuple[Schema, list[str | int] | None, Schema, list[str | int] | None]:
    """:func:`reduce_all_of` on both sides; a one-branch ``allOf`` stays when the other side is
    an ``allOf`` too (its branches are then matched: a branch added, not the keyword)."""
    (old_r, old_at), (new_r, new_at) = reduce_all_of(old), reduce_all_of(new)
    if old_at is not None and isinstance(new_r.get("allOf"), list):
        old_r, old_at = old, None
    if new_at is not None and isinstance(old_r.get("allOf"), list):
        new_r, new_at = new, None
    return old_r, old_at, new_r, new_at


def _kinds(schema: Schema) -> list[str]:
    return [k for k in KINDS if isinstance(schema.get(k), list)]


def lift(old: Schema, new: Schema) -> tuple[Schema, Schema]:
    """Rewrite a plain schema as a one-branch ``anyOf``/``oneOf`` when the other side is only that.

    ``{"type": "string"}`` -> ``{"anyOf": [{"type": "string"}, {"type": "number"}]}`` is then a
    branch added (a widening) rather than a type removed plus a combinator added.
    """
    for plain, combined, swap in ((old, new, False), (new, old, True)):
        kinds = _kinds(combined)
        if _kinds(plain) or len(kinds) != 1 or not KINDS[kinds[0]].is_sum:
            continue
        if any(k not in ANNOTATIONS for k in combined if k != kinds[0]):
            continue
        body = {k: v for k, v in plain.items() if k not in ANNOTATIONS}
        if not body:
            continue
        lifted = {kinds[0]: [body]}
        return (combined, lifted) if swap else (lifted, combined)
    return old, new


def combinators_rule(old: Schema, new: Schema, at: Here, ctx: Ctx) -> Iterator[Change]:
    """``allOf``/``anyOf``/``oneOf``: compared kind by kind, or across a change of kind."""
    before, after = _kinds(old), _kinds(new)
    if len(before) == 1 and len(after) == 1 and before != after:
        yield from _switched((before[0], after[0]), old, new, at, ctx)
        return
    for kind in KINDS:
        if kind in before and kind in after:
            bodies = (_body(old), _body(new))
            yield from _branches((kind, kind), (old[kind], new[kind]), at, ctx, bodies)
        elif kind in after:
            msg = f"{kind} added: old payloads must now also satisfy {show(new[kind])}"
            yield change(
                "combinator_added",
                f"{at.new}/{kind}",
                msg,
                backward=True,
                forward=False,
                new=new[kind],
            )
        elif kind in before:
            msg = f"{kind} removed (path is in the old schema): new payloads need not match "
            msg += show(old[kind])
            yield change(
                "combinator_removed",
                f"{at.old}/{kind}",
                msg,
                backward=False,
                forward=True,
                old=old[kind],
            )


def _switched(
    kinds: tuple[str, str], old: Schema, new: Schema, at: Here, ctx: Ctx
) -> Iterator[Change]:
    old_kind, new_kind = kinds
    old_list, new_list = old[old_kind], new[new_kind]
    old_count = len(_counted(old_kind, old_list, _body(old)))
    new_count = len(_counted(new_kind, new_list, _body(new)))
    effective_old = new_kind if old_count == 1 else old_kind
    effective_new = effective_old if new_count == 1 else new_kind
    backward, forward = _SWITCH.get((effective_old, effective_new), (False, False))
    if backward or forward:
        msg = f"combinator changed from {old_kind} to {new_kind}: " + _why(backward, forward)
        path = f"{at.new}/{new_kind}"
        yield change(
            "combinator_changed",
            path,
            msg,
            backward=backward,
            forward=forward,
            old=old_kind,
            new=new_kind,
        )
    yield from _branches(kinds, (old_list, new_list), at, ctx, (_body(old), _body(new)))


def _why(backward: bool, forward: bool) -> str:
    parts = ["some old payloads are now rejected"] if backward else []
    if forward:
        parts.append("the old schema rejects some new payloads")
    return " and ".join(parts)


def _branches(
    kinds: tuple[str, str],
    lists: tuple[list[Any], list[Any]],
    at: Here,
    ctx: Ctx,
    bodies: tuple[str, str] = ("", ""),
) -> Iterator[Change]:
    (old_kind, new_kind), (old_list, new_list) = kinds, lists
    old_idx = _counted(old_kind, old_list, bodies[0])
    new_idx = _counted(new_kind, new_list, bodies[1])
    pairs, removed, added = match(
        [old_list[i] for i in old_idx],
        [new_list[j] for j in new_idx],
        sum_kind=KINDS[new_kind].is_sum,
    )
    pairs = [(old_idx[i], new_idx[j]) for i, j in pairs]
    removed, added = [old_idx[i] for i in removed], [new_idx[j] for j in added]
    for i, j in pairs:
        yield from ctx.compare(old_list[i], new_list[j], at.split([old_kind, i], [new_kind, j]))
    for i in removed:
        yield _branch_change(old_kind, i, f"{at.old}/{old_kind}/{i}", old_list[i], added=False)
    for j in added:
        yield _branch_change(new_kind, j, f"{at.new}/{new_kind}/{j}", new_list[j], added=True)


def _counted(kind: str, branches: list[Any], body: str) -> list[int]:
    """The branches to match: every one of a sum, the essential ones of an ``allOf``."""
    return essential(branches, body) if kind == "allOf" else list(range(len(branches)))


def _branch_change(keyword: str, index: int, path: str, branch: Any, *, added: bool) -> Change:
    kind = KINDS[keyword]
    narrows = kind.is_sum != added
    what = "added" if added else "removed (path is in the old schema)"
    msg = f"{keyword} branch #{index} {what}: {_why(narrows, not narrows)}"
    code = f"{kind.stem}_branch_{'added' if added else 'removed'}"
    value = {"new": branch} if added else {"old": branch}
    return change(code, path, msg, backward=narrows, forward=not narrows, **value)


def match(
    old_list: list[Any], new_list: list[Any], *, sum_kind: bool = True
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pair branches: equal ones first, then greedily by likeness; return pairs, removed, added.

    In a sum (anyOf/oneOf) a new ``true`` branch covers every unmatched old branch, and an old
    ``true`` branch every unmatched new one (the swap law needs both).
    """
    free = list(range(len(new_list)))
    texts = [canon(b) for b in new_list]
    pairs: list[tuple[int, int]] = []
    unmatched: list[int] = []
    for i, branch in enumerate(old_list):
        j = next((j for j in free if texts[j] == canon(branch)), None)
        if j is None:
            unmatched.append(i)
        else:
            pairs.append((i, j))
            free.remove(j)
    universal = [j for j in free if sum_kind and (new_list[j] is True or new_list[j] == {})]
    if universal and unmatched:
        # a new `true` branch accepts every old branch's values: pair them all with it
        pairs += [(i, universal[0]) for i in unmatched]
        unmatched = []
        free.remove(universal[0])
    old_universal = [
        i for i in unmatched if sum_kind and (old_list[i] is True or old_list[i] == {})
    ]
    if old_universal and free:
        # an old `true` branch accepted every new branch's values: pair them all with it
        pairs += [(old_universal[0], j) for j in free]
        unmatched.remove(old_universal[0])
        free = []
    for i in list(unmatched):
        if free:
            j = max(free, key=lambda j: _likeness(old_list[i], new_list[j]))
            pairs.append((i, j))
            free.remove(j)
            unmatched.remove(i)
    return pairs, unmatched, free


def _likeness(old: Any, new: Any) -> float:
    if not isinstance(old, dict) or not isinstance(new, dict):
        return 0.0
    same_type = 4.0 if "type" in old and old.get("type") == new.get("type") else 0.0
    common = old.keys() & new.keys()
    return (
        same_type + sum(1.0 for k in common if canon(old[k]) == canon(new[k])) + 0.5 * len(common)
    )
