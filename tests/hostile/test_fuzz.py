"""Bounded fuzzing of the input edges: only the documented exceptions, whatever the bytes.

* the request decoder (``decode_json``) raises only ``MalformedJson``;
* the envelope normaliser and the whole event validation never raise for any JSON value;
* the batch splitters raise only ``MalformedJson`` (for the body as a whole) and, fed valid
  bodies in any chunking, give back exactly the elements; oversize elements come out as such.

Examples are bounded (CI stays fast); ``derandomize`` keeps runs reproducible.
"""

from __future__ import annotations

import contextlib
from typing import Any

import msgspec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registry.core.errors import MalformedJson
from registry.core.jsonio import decode_json
from registry.core.splitting import AutoSplitter, JsonArraySplitter, NdjsonSplitter
from registry.core.validation import EnvelopeRules, ValidationOptions, compile_schema
from registry.core.validation.envelope import check_envelope, normalise_params
from registry.core.validation.event import validate_event_capped

FUZZ = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**70), 2**70),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=8),
        st.sampled_from(["[" * 50, '{"a":', "email", "12.5", "true", "[1,2]", '{"x":1}']),
    ),
    lambda c: st.one_of(
        st.lists(c, max_size=4),
        st.dictionaries(
            st.one_of(st.text(max_size=6), st.sampled_from(["name", "value", "params"])),
            c,
            max_size=4,
        ),
    ),
    max_leaves=16,
)
events = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {"eventTypeKey": st.one_of(st.text(max_size=8), json_values)},
        optional={
            "keyValue": json_values,
            "params": st.one_of(
                json_values,
                st.lists(
                    st.fixed_dictionaries(
                        {"name": st.one_of(st.text(max_size=6), json_values)},
                        optional={"value": json_values},
                    ),
                    max_size=5,
                ),
            ),
            "occurred": st.one_of(st.text(max_size=12), json_values),
            "version": json_values,
        },
    ),
)
SCHEMA = compile_schema(
    {
        "type": "object",
        "properties": {
            "price": {"type": "number"},
            "items": {"type": "array", "items": {"type": "object", "required": ["id"]}},
            "kind": {"enum": ["a", "b"]},
            "pay": {"oneOf": [{"type": "string"}, {"type": "object", "required": ["iban"]}]},
        },
    }
)


@FUZZ
@given(st.binary(max_size=200) | st.builds(msgspec.json.encode, json_values))
def test_the_decoder_raises_only_malformed_json(body: bytes) -> None:
    with contextlib.suppress(MalformedJson):
        decode_json(body)


@FUZZ
@given(events)
def test_the_envelope_normaliser_never_raises(event: Any) -> None:
    if isinstance(event, dict):
        check_envelope(event, EnvelopeRules(), "")
        view, _ = normalise_params(event, EnvelopeRules(), "")
        assert isinstance(view.values, dict)


@FUZZ
@given(events, st.booleans())
def test_event_validation_never_raises_and_stays_bounded(event: Any, coerce: bool) -> None:
    found, _ = validate_event_capped(
        event, schema=SCHEMA, options=ValidationOptions(coerce=coerce), body_size=100
    )
    assert all(v.code and v.path is not None for v in found)


def _feed(splitter: Any, body: bytes, cuts: list[int]) -> list[Any]:
    items, last = [], 0
    for cut in [*sorted({c for c in cuts if c < len(body)}), len(body)]:
        items += list(splitter.feed(body[last:cut]))
        last = cut
    return items


@FUZZ
@given(st.binary(max_size=300), st.lists(st.integers(0, 300), max_size=5))
def test_the_splitters_raise_only_malformed_json_on_any_bytes(body: bytes, cuts: list[int]) -> None:
    for splitter in (AutoSplitter(max_event_bytes=40), NdjsonSplitter(max_event_bytes=40)):
        try:
            items = _feed(splitter, body, cuts)
            items += list(splitter.finish())
        except MalformedJson:
            continue
        assert [i.index for i in items] == list(range(len(items)))
        assert all(len(i.raw) <= 40 for i in items)


@FUZZ
@given(
    st.lists(json_values, max_size=8),
    st.lists(st.integers(0, 400), max_size=6),
    st.integers(1, 60),
)
def test_array_splitting_keeps_every_element_or_flags_it_oversize(
    values: list[Any], cuts: list[int], limit: int
) -> None:
    body = msgspec.json.encode(values)
    splitter = JsonArraySplitter(max_event_bytes=limit)
    items = _feed(splitter, body, cuts) + list(splitter.close())
    assert [i.index for i in items] == list(range(len(values)))
    for item, value in zip(items, values, strict=True):
        encoded = msgspec.json.encode(value)
        if len(encoded) > limit:
            assert (item.raw, item.oversize) == (b"", len(encoded))
        else:
            assert msgspec.json.decode(bytes(item.raw)) == value
