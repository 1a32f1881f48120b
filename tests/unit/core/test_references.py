"""core/references.py: one self-contained document from a schema and its declared references."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from registry.core.errors import ReferenceCycle, ReferenceInvalid, ReferenceTooDeep
from registry.core.model import Reference, SchemaVersion
from registry.core.references import dereference, fingerprint

NOW = "2026-01-01T00:00:00.000Z"


def version(key: str, n: int, schema: Any, refs: tuple[Reference, ...] = ()) -> SchemaVersion:
    return SchemaVersion(
        key=key,
        version=n,
        schema_id=0,
        fingerprint="",
        schema=schema,
        created_at=NOW,
        references=refs,
    )


def ref(name: str, key: str, n: int = 1) -> Reference:
    return Reference(name=name, event_type_key=key, version=n)


def fetcher(*versions: SchemaVersion) -> Any:
    table = {(v.key, v.version): v for v in versions}

    def fetch(r: Reference) -> SchemaVersion:
        return table[(r.event_type_key, r.version)]

    return fetch


MONEY = {
    "type": "object",
    "properties": {"amount": {"$ref": "#/$defs/positive"}},
    "$defs": {"positive": {"type": "number", "minimum": 0}},
}


def test_a_declared_name_points_at_its_slot_and_local_refs_inside_are_rebased() -> None:
    root = {"type": "object", "properties": {"price": {"$ref": "money.json"}}}
    out = dereference(
        root, [ref("money.json", "money")], fetcher(version("money", 1, MONEY)), max_depth=8
    )
    assert out == {
        "type": "object",
        "properties": {"price": {"$ref": "#/$defs/money.json"}},
        "$defs": {
            "money.json": {
                "type": "object",
                "properties": {"amount": {"$ref": "#/$defs/money.json/$defs/positive"}},
                "$defs": {"positive": {"type": "number", "minimum": 0}},
            }
        },
    }
    validator = jsonschema.Draft202012Validator(out)
    assert validator.is_valid({"price": {"amount": 3}})
    assert not validator.is_valid({"price": {"amount": -3}})


def test_a_fragment_into_a_referenced_schema_is_kept() -> None:
    root = {"$ref": "money.json#/$defs/positive"}
    out = dereference(
        root, [ref("money.json", "money")], fetcher(version("money", 1, MONEY)), max_depth=8
    )
    assert out["$ref"] == "#/$defs/money.json/$defs/positive"
    assert not jsonschema.Draft202012Validator(out).is_valid(-1)


def test_references_of_references_are_embedded_once_at_the_root() -> None:
    address = version(
        "address", 1, {"type": "object", "properties": {"m": {"$ref": "m"}}}, (ref("m", "money"),)
    )
    root = {"properties": {"a": {"$ref": "addr"}, "b": {"$ref": "cash"}}}
    out = dereference(
        root,
        [ref("addr", "address"), ref("cash", "money")],
        fetcher(address, version("money", 1, MONEY)),
        max_depth=8,
    )
    assert sorted(out["$defs"]) == ["addr", "cash"]
    assert out["$defs"]["addr"]["properties"]["m"] == {"$ref": "#/$defs/cash"}


def test_a_draft7_root_embeds_under_definitions() -> None:
    draft7 = "http://json-schema.org/draft-07/schema#"
    root = {"$schema": draft7, "properties": {"x": {"$ref": "s"}}}
    leaf = version("s", 1, {"$schema": draft7, "type": "string"})
    out = dereference(root, [ref("s", "s")], fetcher(leaf), max_depth=8)
    assert out["definitions"] == {"s": {"type": "string"}}
    assert out["properties"]["x"] == {"$ref": "#/definitions/s"}


def test_dialects_must_match() -> None:
    leaf = version("s", 1, {"$schema": "http://json-schema.org/draft-07/schema#"})
    with pytest.raises(ReferenceInvalid):
        dereference({"$ref": "s"}, [ref("s", "s")], fetcher(leaf), max_depth=8)


def test_a_cycle_is_refused() -> None:
    a = version("a", 1, {"$ref": "b"}, (ref("b", "b"),))
    b = version("b", 1, {"$ref": "a"}, (ref("a", "a"),))
    with pytest.raises(ReferenceCycle, match="a v1 -> b v1 -> a v1"):
        dereference(
            {"$ref": "a"}, [ref("a", "a")], fetcher(a, b), max_depth=8, self_target=("root", 1)
        )


def test_a_version_naming_itself_is_a_cycle() -> None:
    with pytest.raises(ReferenceCycle):
        dereference(
            {"$ref": "me"}, [ref("me", "root", 2)], fetcher(), max_depth=8, self_target=("root", 2)
        )


@pytest.mark.parametrize(("depth", "refused"), [(3, False), (2, True)])
def test_depth_is_bounded(depth: int, refused: bool) -> None:
    c = version("c", 1, {"type": "string"})
    b = version("b", 1, {"$ref": "c"}, (ref("c", "c"),))
    a = version("a", 1, {"$ref": "b"}, (ref("b", "b"),))

    def call() -> Any:
        return dereference(
            {"$ref": "a"},
            [ref("a", "a")],
            fetcher(a, b, c),
            max_depth=depth,
            self_target=("root", 1),
        )

    if refused:
        with pytest.raises(ReferenceTooDeep):
            call()
    else:
        assert sorted(call()["$defs"]) == ["a", "b", "c"]


def test_a_name_declared_twice_is_refused() -> None:
    with pytest.raises(ReferenceInvalid):
        dereference({}, [ref("x", "a"), ref("x", "b")], fetcher(), max_depth=8)


def test_a_slot_never_overwrites_the_roots_own_definitions() -> None:
    root = {"$defs": {"money": {"type": "string"}}, "properties": {"p": {"$ref": "money"}}}
    out = dereference(
        root, [ref("money", "money")], fetcher(version("money", 1, MONEY)), max_depth=8
    )
    assert out["$defs"]["money"] == {"type": "string"}
    assert out["properties"]["p"] == {"$ref": "#/$defs/money(money@1)"}
    assert jsonschema.Draft202012Validator(out).is_valid({"p": {"amount": 1}})


def test_references_are_part_of_the_fingerprint() -> None:
    schema = {"$ref": "x"}
    assert fingerprint(schema, [ref("x", "a", 1)]) != fingerprint(schema, [ref("x", "a", 2)])
    assert fingerprint({"type": "string"}, []) == fingerprint({"type": "string"}, ())


def test_a_declared_but_unused_reference_must_still_exist() -> None:
    with pytest.raises(KeyError):
        dereference({"type": "string"}, [ref("x", "missing")], fetcher(), max_depth=8)
    out = dereference(
        {"type": "string"}, [ref("m", "money")], fetcher(version("money", 1, MONEY)), max_depth=8
    )
    assert sorted(out["$defs"]) == ["m"]
