"""Law: the dereferenced document accepts exactly what the schema with its references accepts.

The oracle resolves ``$ref`` names the way Confluent's JSONSerializer does: python-jsonschema
over a ``referencing`` registry holding each referenced version under its declared name. Ours
embeds them (core/references.py) and must agree on every generated instance.
"""

from __future__ import annotations

from typing import Any

import jsonschema
from hypothesis import given, settings
from hypothesis import strategies as st
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from registry.core.model import Reference, SchemaVersion
from registry.core.references import dereference

NOW = "2026-01-01T00:00:00.000Z"
MONEY = {
    "type": "object",
    "properties": {"amount": {"$ref": "#/$defs/positive"}, "currency": {"enum": ["EUR", "USD"]}},
    "required": ["amount"],
    "$defs": {"positive": {"type": "number", "minimum": 0}},
}
ADDRESS = {
    "type": "object",
    "properties": {"zip": {"type": "string", "maxLength": 5}, "fee": {"$ref": "money.json"}},
    "additionalProperties": False,
}
ORDER = {
    "type": "object",
    "properties": {
        "total": {"$ref": "money.json"},
        "shipTo": {"$ref": "address.json"},
        "amountOnly": {"$ref": "money.json#/$defs/positive"},
    },
    "required": ["total"],
}
VERSIONS = {
    ("money", 1): SchemaVersion(
        key="money", version=1, schema_id=1, fingerprint="", schema=MONEY, created_at=NOW
    ),
    ("address", 1): SchemaVersion(
        key="address",
        version=1,
        schema_id=2,
        fingerprint="",
        schema=ADDRESS,
        created_at=NOW,
        references=(Reference(name="money.json", event_type_key="money", version=1),),
    ),
}
REFS = [
    Reference(name="money.json", event_type_key="money", version=1),
    Reference(name="address.json", event_type_key="address", version=1),
]
RESOLVED = dereference(ORDER, REFS, lambda r: VERSIONS[(r.event_type_key, r.version)], max_depth=8)
OURS = jsonschema.Draft202012Validator(RESOLVED)
ORACLE = jsonschema.Draft202012Validator(
    ORDER,
    registry=Registry().with_resources(
        [
            ("money.json", Resource.from_contents(MONEY, DRAFT202012)),
            ("address.json", Resource.from_contents(ADDRESS, DRAFT202012)),
        ]
    ),
)

SCALARS = st.one_of(
    st.integers(-3, 3),
    st.floats(-2, 2, allow_nan=False),
    st.sampled_from(["EUR", "USD", "x"]),
    st.text(max_size=7),
    st.booleans(),
    st.none(),
)
MONEYS = st.fixed_dictionaries({}, optional={"amount": SCALARS, "currency": SCALARS})
ADDRESSES = st.fixed_dictionaries(
    {}, optional={"zip": SCALARS, "fee": st.one_of(MONEYS, SCALARS), "extra": SCALARS}
)
ORDERS = st.fixed_dictionaries(
    {},
    optional={
        "total": st.one_of(MONEYS, SCALARS),
        "shipTo": st.one_of(ADDRESSES, SCALARS),
        "amountOnly": SCALARS,
    },
)


@settings(max_examples=150, deadline=None)
@given(ORDERS)
def test_the_dereferenced_form_agrees_with_a_reference_registry(instance: Any) -> None:
    assert OURS.is_valid(instance) == ORACLE.is_valid(instance)


def test_the_generated_instances_reach_both_verdicts() -> None:
    assert OURS.is_valid({"total": {"amount": 1}, "shipTo": {"zip": "1", "fee": {"amount": 0}}})
    assert not OURS.is_valid({"total": {"amount": 1}, "shipTo": {"fee": {"amount": -1}}})
    assert not OURS.is_valid({"total": {"amount": 1}, "amountOnly": -1})
