"""Streaming splitters: any chunking of a body yields the same elements as decoding it whole."""

from __future__ import annotations

import msgspec
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from registry.core.batch import AutoSplitter, JsonArraySplitter, NdjsonSplitter, SummaryBuilder
from registry.core.errors import MalformedJson

json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=6),
    ),
    lambda c: st.one_of(
        st.lists(c, max_size=3), st.dictionaries(st.text(max_size=4), c, max_size=3)
    ),
    max_leaves=12,
)


def feed_all(splitter, body: bytes, cuts: list[int]):
    items, last = [], 0
    for cut in [*sorted(set(cuts)), len(body)]:
        items += list(splitter.feed(body[last:cut]))
        last = cut
    return items


@settings(max_examples=150, deadline=None)
@given(st.lists(json_values, max_size=8), st.lists(st.integers(0, 400), max_size=6))
def test_array_splitting_is_independent_of_chunking(values, cuts) -> None:
    body = msgspec.json.encode(values)
    splitter = AutoSplitter()
    items = feed_all(splitter, body, [c for c in cuts if c < len(body)])
    items += list(splitter.finish())
    assert [msgspec.json.decode(bytes(i.raw)) for i in items] == values
    assert [i.index for i in items] == list(range(len(values)))


@settings(max_examples=150, deadline=None)
@given(st.lists(json_values, min_size=1, max_size=8), st.lists(st.integers(0, 400), max_size=6))
def test_ndjson_splitting_is_independent_of_chunking(values, cuts) -> None:
    body = b"\n".join(msgspec.json.encode(v) for v in values)
    assume(not body.startswith(b"["))  # a first line holding an array means "JSON array" mode
    splitter = AutoSplitter()
    items = feed_all(splitter, body, [c for c in cuts if c < len(body)])
    items += list(splitter.finish())
    assert [msgspec.json.decode(bytes(i.raw)) for i in items] == values
    assert [i.line for i in items] == list(range(1, len(values) + 1))


def test_large_array_uses_many_chunks_and_keeps_order() -> None:
    events = [{"eventTypeKey": "e", "params": [{"name": "a,]}", "value": i}]} for i in range(5000)]
    body = msgspec.json.encode(events)
    splitter = JsonArraySplitter()
    items = []
    for start in range(0, len(body), 7919):
        items += list(splitter.feed(body[start : start + 7919]))
    items += list(splitter.close())
    assert [msgspec.json.decode(bytes(i.raw))["params"][0]["value"] for i in items] == list(
        range(5000)
    )


def test_malformed_array_element_is_isolated() -> None:
    splitter = JsonArraySplitter()
    items = list(splitter.feed(b'[{"a":1}, {"b":,}, {"c":[1,2]}]')) + list(splitter.close())
    assert [bytes(i.raw) for i in items] == [b'{"a":1}', b'{"b":,}', b'{"c":[1,2]}']


def test_ndjson_reports_line_numbers_and_skips_blank_lines() -> None:
    splitter = NdjsonSplitter()
    items = list(splitter.feed(b'{"a":1}\n\n{bad\r\n{"c":')) + list(splitter.feed(b"2}"))
    items += list(splitter.finish())
    assert [(i.index, i.line, bytes(i.raw)) for i in items] == [
        (0, 1, b'{"a":1}'),
        (1, 3, b"{bad"),
        (2, 4, b'{"c":2}'),
    ]


@pytest.mark.parametrize("body", [b"[1, 2", b"[1] x"])
def test_broken_array_framing_is_malformed(body: bytes) -> None:
    splitter = JsonArraySplitter()
    items = list(splitter.feed(body))
    assert items == []
    with pytest.raises(MalformedJson):
        list(splitter.close())


def test_summary_counts_malformed_as_invalid() -> None:
    builder = SummaryBuilder()
    builder.add_malformed()
    summary = builder.finish()
    assert (summary.total, summary.invalid, summary.malformed) == (1, 1, 1)
    assert summary.by_code == {"malformed_json": 1}
