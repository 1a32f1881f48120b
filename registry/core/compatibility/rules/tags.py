"""Data-contract tags (``x-pii``, ``x-owner``, ``x-tags`` and any other ``x-*`` keyword).

Tags are annotations: no validator reads them, so changing only tags is compatible at every
level. The diff still lists the change (``tags_changed``, breaking neither direction) so a
reviewer sees that a param became PII or changed owner.
"""

from __future__ import annotations

from collections.abc import Iterator

from registry.core.compatibility.context import Ctx, Here, Schema, change
from registry.core.compatibility.findings import Change


def _tags(schema: Schema) -> dict[str, object]:
    return {k: v for k, v in schema.items() if k.startswith("x-")}


def tags_rule(old: Schema, new: Schema, at: Here, ctx: Ctx) -> Iterator[Change]:
    """``tags_changed`` when the ``x-*`` keywords of one location differ (never breaking)."""
    before, after = _tags(old), _tags(new)
    if before == after:
        return
    names = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    yield change(
        "tags_changed",
        at.new,
        f"tags changed ({', '.join(names)}): annotations only, compatible both ways",
        backward=False,
        forward=False,
        old=before or None,
        new=after or None,
    )
