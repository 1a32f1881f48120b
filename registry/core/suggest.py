"""Did-you-mean suggestions for misspelt names (event types, params, members, enum values).

:func:`did_you_mean` compares a word with every candidate (difflib); fine for a handful of
names. :class:`SuggestIndex` is built once per candidate set (per schema, per change token) and
answers a query by looking only at candidates that share character trigrams with the word and
whose length could reach the cut-off, so 7,500 declared params cost the same as 7.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable
from itertools import chain

__all__ = ["CUTOFF", "SuggestIndex", "did_you_mean"]

CUTOFF = 0.75
"""Minimum :class:`difflib.SequenceMatcher` ratio; below it a candidate is not "close"."""

SMALL = 64
"""Up to this many candidates an index compares with all of them (exactly like difflib)."""

SHORTLIST = 6
"""Candidates (most shared trigrams first) an index scores with difflib for one query."""

POSTINGS_PER_QUERY = 1500
"""Work bound of one query: trigram postings read (rarest first) before scoring."""

MEMO = 4096
"""Most answers an index remembers."""

_MAX_WORD = 200
"""Longer words are never suggested for (names are at most 100 characters)."""


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


def _trigrams(folded: str) -> set[str]:
    padded = f"\x00{folded}\x00"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


class SuggestIndex:
    """Candidate names indexed by trigram, for repeated did-you-mean queries on one set.

    Immutable after construction, so it can be shared between threads.
    """

    __slots__ = ("_by_folded", "_folded", "_memo", "_postings")

    def __init__(self, candidates: Iterable[object]) -> None:
        by_folded: dict[str, str] = {}
        for candidate in candidates:
            if isinstance(candidate, str):
                by_folded.setdefault(candidate.casefold(), candidate)
        self._by_folded = by_folded
        self._folded = list(by_folded)
        postings: dict[str, list[int]] = {}
        if len(self._folded) > SMALL:
            for i, name in enumerate(self._folded):
                for gram in _trigrams(name):
                    postings.setdefault(gram, []).append(i)
        self._postings = postings
        self._memo: dict[str, str | None] = {}
        """Answers already given (a misspelt key tends to come again and again)."""

    def __len__(self) -> int:
        return len(self._folded)

    def suggest(self, word: str) -> str | None:
        """The closest candidate to ``word`` (case-insensitive), or ``None`` when none is close.

        An exact (case-sensitive) match is not a suggestion; a case-insensitive one is.
        """
        folded = word.casefold()
        exact = self._by_folded.get(folded)
        if exact is not None:
            return exact if exact != word else None
        if len(folded) > _MAX_WORD or not self._folded:
            return None
        if folded in self._memo:
            return self._memo[folded]
        pool = self._folded if len(self._folded) <= SMALL else self._shortlist(folded)
        best = _best(folded, pool)
        found = self._by_folded[best] if best is not None else None
        if len(self._memo) < MEMO:
            self._memo[folded] = found  # a racing thread stores the same answer: harmless
        return found

    def _shortlist(self, folded: str) -> list[str]:
        """The candidates sharing most trigrams with ``folded`` (lengths are checked by
        ``real_quick_ratio`` when scoring)."""
        grams = sorted(
            (self._postings[g] for g in _trigrams(folded) if g in self._postings), key=len
        )
        used: list[list[int]] = []
        total = 0
        for posting in grams:  # rarest trigrams first: they discriminate, common ones cost
            if used and total + len(posting) > POSTINGS_PER_QUERY:
                break
            used.append(posting)
            total += len(posting)
        shared = Counter(chain.from_iterable(used))
        names = self._folded
        return [names[i] for i, _ in shared.most_common(SHORTLIST)]


def _best(folded: str, pool: list[str]) -> str | None:
    """The best-scoring candidate at or above the cut-off (difflib's tie-break: larger string)."""
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(folded)
    scored: list[tuple[float, str]] = []
    for candidate in pool:
        matcher.set_seq1(candidate)
        if (
            matcher.real_quick_ratio() >= CUTOFF
            and matcher.quick_ratio() >= CUTOFF
            and matcher.ratio() >= CUTOFF
        ):
            scored.append((matcher.ratio(), candidate))
    return max(scored)[1] if scored else None
