"""The meta-schema check judges like Python ``jsonschema`` although it asks jsonschema-rs first.

``check_schema`` passes a schema on jsonschema-rs's ``meta.is_valid`` alone (Python ``jsonschema``
is then never imported: a fast CLI start); anything else is judged by Python ``jsonschema``,
which also lists the problems. So the verdict stays Python ``jsonschema``'s exactly when no
schema jsonschema-rs passes is one Python ``jsonschema`` refuses (or cannot check). That is
what these tests compare, on every schema-shaped object of the official JSON Schema Test Suite
and on generated schemas built from the meta-schemas' keywords.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from registry.core import schema_check
from registry.core.errors import SchemaInvalid
from registry.core.schema_check import DRAFT7, dialect_of, meta_problems

SUITE = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "json-schema-test-suite"
SUITE_DRAFTS = {
    "draft2020-12": "https://json-schema.org/draft/2020-12/schema",
    "draft7": "http://json-schema.org/draft-07/schema#",
}
DIALECT_URIS = [
    *SUITE_DRAFTS.values(),
    "https://json-schema.org/draft/2020-12/schema#",
    "https://json-schema.org/draft/2019-09/schema",
    "https://json-schema.org/draft/2019-09/schema#",
    DRAFT7,
]


def python_verdict(schema: dict[str, Any]) -> list[str]:
    """What the check said before jsonschema-rs went first: Python ``jsonschema`` alone."""
    try:
        return [repr(p) for p in meta_problems(schema, dialect_of(schema))]
    except SchemaInvalid as exc:  # cannot be checked at all
        return [repr(p) for p in exc.problems]


def verdict(schema: dict[str, Any]) -> list[str]:
    """What ``check_schema`` decides now (its meta-schema step)."""
    if schema_check._meta_valid_fast(schema):
        return []
    return python_verdict(schema)


def _objects(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _objects(item)
    elif isinstance(value, list):
        for item in value:
            yield from _objects(item)


def suite_schemas() -> list[dict[str, Any]]:
    """Every JSON object in the suite's test files (schemas, subschemas and instances, all as
    candidate schemas), with each file's draft as ``$schema`` unless it names a supported one."""
    found = []
    for draft, uri in SUITE_DRAFTS.items():
        for path in sorted((SUITE / "tests" / draft).rglob("*.json")):
            for group in json.loads(path.read_text(encoding="utf-8")):
                candidates = [group["schema"], *(t["data"] for t in group["tests"])]
                for obj in (o for c in candidates for o in _objects(c)):
                    declared = obj.get("$schema")
                    if declared is None:
                        found.append({"$schema": uri, **obj})
                    elif isinstance(declared, str) and declared.removesuffix("#") in (
                        u.removesuffix("#") for u in DIALECT_URIS
                    ):
                        found.append(obj)
    return found


def test_every_suite_object_gets_the_python_jsonschema_verdict() -> None:
    if not (SUITE / "tests").is_dir():
        pytest.skip(f"JSON-Schema-Test-Suite not found at {SUITE} (a clone without ../shared)")
    schemas = suite_schemas()
    differing = [s for s in schemas if verdict(s) != python_verdict(s)]
    assert differing == []
    fast = sum(schema_check._meta_valid_fast(s) for s in schemas)
    # both ways are exercised: most suite objects pass fast, some (bad instances) do not
    assert fast > 1000
    assert len(schemas) - fast >= 10


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-3, max_value=5),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0.0, 1.0, 2.5, -1.0, 1e308, 3.0]),
    st.sampled_from(["", "string", "int", "#", "#/$defs/a", "#foo", "a", "[", "A_b-1.2", "1bad"]),
)
"""Anything: what a keyword's value is when the generator goes off the rails."""
COUNTS = st.one_of(st.integers(min_value=0, max_value=5), st.sampled_from([0.0, 2.0, 2**64]))
NUMBERS = st.one_of(st.integers(min_value=-5, max_value=5), st.sampled_from([0.5, 1.0, 1e308]))
NAMES = st.sampled_from(["a", "b", "c", "foo bar", ""])
TYPES = st.sampled_from(["string", "integer", "number", "object", "array", "boolean", "null"])
URIS = st.sampled_from(
    [
        "#",
        "#/$defs/a",
        "#/definitions/a",
        "#foo",
        "http://example.com/x",
        "urn:x",
        "a.json",
        "#/properties/a",
    ]
)
ANCHORS = st.sampled_from(["foo", "A_b-1.2", "_x", "1bad", "a b", ""])


def _keywords(sub: st.SearchStrategy[Any]) -> dict[str, st.SearchStrategy[Any]]:
    """Each keyword with values of the shape its meta-schema asks for."""
    subs = st.lists(sub, max_size=3)
    named = st.dictionaries(NAMES, sub, max_size=3)
    names = st.lists(NAMES, max_size=3)
    return {
        "type": TYPES | st.lists(TYPES, max_size=3),
        "enum": st.lists(SCALARS, max_size=3),
        "const": SCALARS,
        "properties": named,
        "patternProperties": st.dictionaries(
            st.sampled_from(["^a", "[", "x+", ""]), sub, max_size=2
        ),
        "additionalProperties": sub,
        "required": names,
        "items": sub | subs,
        "prefixItems": subs,
        "additionalItems": sub,
        "contains": sub,
        "minContains": COUNTS,
        "maxContains": COUNTS,
        "minItems": COUNTS,
        "maxItems": COUNTS,
        "uniqueItems": st.booleans(),
        "minLength": COUNTS,
        "maxLength": COUNTS,
        "pattern": st.sampled_from(["^a+$", "[", "\\d", ""]),
        "format": st.sampled_from(["date-time", "email", "uri", "nope"]),
        "minimum": NUMBERS,
        "maximum": NUMBERS,
        "exclusiveMinimum": NUMBERS | st.booleans(),
        "exclusiveMaximum": NUMBERS,
        "multipleOf": NUMBERS,
        "minProperties": COUNTS,
        "maxProperties": COUNTS,
        "dependentRequired": st.dictionaries(NAMES, names, max_size=2),
        "dependentSchemas": named,
        "dependencies": st.dictionaries(NAMES, sub | names, max_size=2),
        "propertyNames": sub,
        "unevaluatedProperties": sub,
        "unevaluatedItems": sub,
        "allOf": subs,
        "anyOf": subs,
        "oneOf": subs,
        "not": sub,
        "if": sub,
        "then": sub,
        "else": sub,
        "$ref": URIS,
        "$id": URIS,
        "$anchor": ANCHORS,
        "$dynamicRef": URIS,
        "$dynamicAnchor": ANCHORS,
        "$recursiveRef": URIS,
        "$recursiveAnchor": st.booleans(),
        "$defs": named,
        "definitions": named,
        "$comment": NAMES,
        "title": NAMES,
        "description": NAMES,
        "default": SCALARS,
        "examples": st.lists(SCALARS, max_size=2),
        "readOnly": st.booleans(),
        "writeOnly": st.booleans(),
        "deprecated": st.booleans(),
        "contentEncoding": NAMES,
        "contentMediaType": NAMES,
        "contentSchema": sub,
        "$vocabulary": st.dictionaries(URIS, st.booleans(), max_size=2),
        "unknownKeyword": SCALARS,
    }


KEYWORDS = sorted(_keywords(st.just({})))


def _schemas(sub: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """An object of 0-4 keywords; a value is the keyword's shape, or now and then anything."""
    table = _keywords(sub)
    return st.lists(st.sampled_from(KEYWORDS), max_size=4, unique=True).flatmap(
        lambda keys: st.fixed_dictionaries(
            {k: st.one_of(table[k], table[k], table[k], SCALARS) for k in keys}
        )
    )


SCHEMAS = st.recursive(st.booleans() | st.just({}), _schemas, max_leaves=10)


@settings(max_examples=400, deadline=None)
@given(
    body=st.dictionaries(st.sampled_from(KEYWORDS), SCHEMAS | SCALARS, max_size=5),
    dialect=st.sampled_from([None, *DIALECT_URIS]),
)
def test_generated_schemas_get_the_python_jsonschema_verdict(
    body: dict[str, Any], dialect: str | None
) -> None:
    schema = body if dialect is None else {**body, "$schema": dialect}
    assert verdict(schema) == python_verdict(schema)


@pytest.mark.parametrize(
    ("schema", "fast"),
    [
        ({"type": "string", "minLength": 1}, True),
        ({"type": "strin"}, False),
        ({"$schema": DRAFT7, "items": [{}]}, True),  # the draft is read from $schema
        ({"items": [{}]}, False),  # 2020-12 by default: items is one schema
        ({"$schema": "https://json-schema.org/draft/2019-09/schema#", "items": [{}]}, True),
    ],
)
def test_the_fast_check_reads_the_dialect_as_python_jsonschema_does(
    schema: dict[str, Any], fast: bool
) -> None:
    assert schema_check._meta_valid_fast(schema) is fast
    assert (python_verdict(schema) == []) is fast
