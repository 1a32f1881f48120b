"""Did-you-mean suggestions for misspelt names (event types, params, enum values)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = ["did_you_mean"]

CUTOFF = 0.75
"""Minimum :class:`difflib.SequenceMatcher` ratio; below it a candidate is not "close"."""


def did_you_mean(word: str, candidates: Iterable[str], *, limit: int = 1) -> list[str]:
    """Return up to ``limit`` candidates closest to ``word``, best first; ``[]`` if none is close.

    Comparison is case-insensitive (``"email"`` suggests ``"Email"``); the candidates are returned
    as given. An exact (case-sensitive) match is not a suggestion.
    """
    if limit < 1:
        return []
    by_folded: dict[str, str] = {}
    for candidate in candidates:
        if isinstance(candidate, str) and candidate != word:
            by_folded.setdefault(candidate.casefold(), candidate)
    folded = word.casefold()
    if folded in by_folded:
        return [by_folded[folded]][:limit]
    close = difflib.get_close_matches(folded, list(by_folded), n=limit, cutoff=CUTOFF)
    return [by_folded[c] for c in close]
