"""SuggestIndex: the same answers as difflib over every candidate, in bounded work."""

from __future__ import annotations

import pytest

from registry.core.suggest import SMALL, SuggestIndex, did_you_mean

NAMES = [f"p{i:04}" for i in range(7500)]


@pytest.mark.parametrize("order", [NAMES, NAMES[::-1]], ids=["ascending", "descending"])
def test_ties_on_shared_trigrams_do_not_hide_the_closest_name(order: list[str]) -> None:
    index = SuggestIndex(order)  # p0000..p0009 all share three trigrams with "p0000x"
    assert [index.suggest(f"p{i:04}x") for i in range(10)] == NAMES[:10]


def test_small_sets_answer_exactly_like_difflib() -> None:
    names = ["email", "phone", "externalOrderId", "totalCost", "items"][:SMALL]
    index = SuggestIndex(names)
    for word in ("emial", "Phone", "externalOrderID", "total", "zzz", "itemz"):
        expected = did_you_mean(word, names)
        assert index.suggest(word) == (expected[0] if expected else None), word


def test_an_exact_name_is_not_a_suggestion_but_another_case_is() -> None:
    index = SuggestIndex([*NAMES, "Email"])
    assert index.suggest("p0001") is None
    assert index.suggest("email") == "Email"
