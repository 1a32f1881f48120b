"""The inference law: every sample is valid against the schema proposed from it."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from registry.core.infer import infer, params_of
from registry.core.inspection import MASK
from registry.core.paramlist import compile_param_list
from tests.infer_support import errors_against

NAMES = st.sampled_from(["id", "email", "total", "items", "status", "date", "url", "meta", "x"])
STRINGS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            MASK,
            "buyer@example.org",
            "2024-11-02",
            "2024-11-02T09:15:00",
            "2024-11-02T09:15:00Z",
            "https://shop.example/a",
            "0b5f2b4e-1c3a-4d5e-9f00-7a8b9c0d1e2f",
            "IN_PROGRESS",
            "DELIVERED",
            "123.44",
        ]
    ),
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**53), 2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    STRINGS,
)
VALUES: st.SearchStrategy[Any] = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(NAMES, children, max_size=4)
    ),
    max_leaves=20,
)
# a top-level value may be sent as JSON text, as the mobile SDKs send arrays
TOP_VALUES = st.one_of(
    VALUES,
    st.lists(VALUES, max_size=3).map(json.dumps),
    st.dictionaries(NAMES, VALUES).map(json.dumps),
)
SAMPLES = st.lists(st.dictionaries(NAMES, TOP_VALUES, max_size=6), min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(SAMPLES)
@example([{"items": '[{"sku": "A"}]'}, {"items": [{"sku": "B", "qty": 1}]}])
@example([{"email": MASK}, {"email": "a@b.c"}])
@example([{"status": s} for s in ["A", "B", "A", "B", "A", "B"]])
@example([{"n": 1}, {"n": 2.5}, {"n": "3"}, {"n": None}])
def test_every_sample_is_valid_against_the_proposal(samples: list[dict[str, Any]]) -> None:
    proposal = infer(samples, title="sample")
    assert errors_against(proposal.schema, samples) == [], proposal.schema


@settings(max_examples=30, deadline=None)
@given(SAMPLES)
def test_the_param_list_form_accepts_every_sample_too(samples: list[dict[str, Any]]) -> None:
    proposal = infer(samples)
    compiled = compile_param_list(proposal.params)
    assert errors_against(compiled, samples) == [], proposal.params


@settings(max_examples=30, deadline=None)
@given(st.lists(st.dictionaries(NAMES, VALUES, max_size=4), max_size=6))
def test_list_form_and_object_form_teach_the_same(objects: list[dict[str, Any]]) -> None:
    listed = [{"params": [{"name": k, "value": v} for k, v in o.items()]} for o in objects]
    assert infer([params_of(e) or {} for e in listed]) == infer(objects)
