"""Named schemas of the evolution tests: a change table and a three-version history."""

from __future__ import annotations

from tests.api.support import obj

STR = {"type": "string"}
INT = {"type": "integer"}
V1 = obj({"orderId": STR})

B, F = "BACKWARD", "FORWARD"

# Each change old -> new, and which levels accept it (non-transitive; one previous version).
CHANGES = [
    # (id, old, new, breaks)  where breaks is the set of directions the change breaks
    ("required_param_added", V1, obj({"orderId": STR}, required=["orderId"]), {B}),
    ("required_param_dropped", obj({"orderId": STR}, required=["orderId"]), V1, {F}),
    ("integer_widened_to_number", obj({"n": INT}), obj({"n": {"type": "number"}}), {F}),
    ("number_narrowed_to_integer", obj({"n": {"type": "number"}}), obj({"n": INT}), {B}),
    ("string_became_integer", obj({"n": STR}), obj({"n": INT}), {B, F}),
    ("enum_value_added", obj({"s": {"enum": ["A"]}}), obj({"s": {"enum": ["A", "B"]}}), {F}),
    ("enum_value_removed", obj({"s": {"enum": ["A", "B"]}}), obj({"s": {"enum": ["A"]}}), {B}),
    (
        "max_length_lowered",
        obj({"s": {**STR, "maxLength": 9}}),
        obj({"s": {**STR, "maxLength": 3}}),
        {B},
    ),
    (
        "description_changed",
        obj({"s": STR}, description="a"),
        obj({"s": STR}, description="b"),
        set(),
    ),
]

# v1 had orderId as an integer; v2 made it a string (registered under NONE); v3 only retitled.
HISTORY = (obj({"orderId": INT}), obj({"orderId": STR}), obj({"orderId": STR}, title="v3"))
CANDIDATE = obj({"orderId": STR}, title="v4")
"""Compatible with v3 (and v2) in both directions; incompatible with v1 in both."""

# Policies: an optional property added to an open and to a closed content model.
OPTIONAL_ADDED = obj({"orderId": STR, "coupon": STR})
CLOSED = obj({"orderId": STR}, additionalProperties=False)
CLOSED_OPTIONAL_ADDED = obj({"orderId": STR, "coupon": STR}, additionalProperties=False)
