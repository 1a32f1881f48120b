"""Laws: canonical dedupe is insensitive to formatting and key order; stores round-trip."""

from __future__ import annotations

import json
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from registry.core.canonical import canonical_bytes, fingerprint
from registry.settings import Settings
from registry.store.memory import InMemoryStore
from registry.wiring import build_service

scalars = st.one_of(st.none(), st.booleans(), st.integers(-(10**6), 10**6), st.text(max_size=8))
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=20,
)
property_schemas = st.dictionaries(
    st.text(min_size=1, max_size=8),
    st.fixed_dictionaries(
        {"type": st.sampled_from(["string", "integer", "number", "boolean"])},
        optional={"description": st.text(max_size=10), "minimum": st.integers(0, 5)},
    ),
    max_size=5,
)


def shuffled(value: object, rng: random.Random) -> object:
    if isinstance(value, dict):
        items = list(value.items())
        rng.shuffle(items)
        return {k: shuffled(v, rng) for k, v in items}
    if isinstance(value, list):
        return [shuffled(v, rng) for v in value]
    return value


@given(json_values, st.integers(0, 2**32))
def test_fingerprint_ignores_key_order_and_whitespace(value: object, seed: int) -> None:
    other = json.loads(json.dumps(shuffled(value, random.Random(seed)), indent=3))
    assert fingerprint(other) == fingerprint(value)


@given(json_values)
def test_canonical_form_is_idempotent_and_valid_json(value: object) -> None:
    once = json.loads(canonical_bytes(value))
    assert canonical_bytes(once) == canonical_bytes(value)


def test_line_endings_are_normalised() -> None:
    assert fingerprint({"description": "a\r\nb"}) == fingerprint({"description": "a\nb"})


@settings(max_examples=60, deadline=None)
@given(property_schemas, st.integers(0, 2**32))
def test_reformatted_registration_dedupes(props: dict, seed: int) -> None:
    service = build_service(Settings(), InMemoryStore())
    service.create_event_type(key="e")
    schema = {"type": "object", "properties": props}
    first = service.register_version(key="e", schema=schema)
    again_schema = json.loads(json.dumps(shuffled(schema, random.Random(seed)), indent=2))
    second = service.register_version(key="e", schema=again_schema)
    assert first.created
    assert not second.created
    assert second.version == first.version
    assert [v.version for v in service.list_versions(key="e")] == [1]
