"""One suite, every SchemaStore implementation: a new store only has to pass these."""

from __future__ import annotations

import threading
from pathlib import Path

import msgspec
import pytest

from registry.core.canonical import fingerprint
from registry.core.errors import (
    EventTypeExists,
    EventTypeNotFound,
    SchemaIncompatible,
    SchemaNotFound,
    VersionNotFound,
)
from registry.core.model import EventType, EventTypeQuery
from registry.core.ports import SchemaStore
from registry.store.sqlite import SqliteStore

NOW = "2026-01-01T00:00:00.000Z"


def et(key: str, *, tags: tuple[str, ...] = (), deleted: bool = False) -> EventType:
    return EventType(
        key=key, tags=tags, created_at=NOW, updated_at=NOW, deleted_at=NOW if deleted else None
    )


def add(store: SchemaStore, key: str, schema: dict, params: list | None = None, check=None):
    version, _ = add_checked(store, key, schema, params, check)
    return version


def add_checked(store: SchemaStore, key: str, schema: dict, params=None, check=None):
    return store.add_version(
        key=key,
        schema=schema,
        fingerprint=fingerprint(schema),
        params=params,
        created_at=NOW,
        check=check,
    )


def test_create_and_get_round_trip(store: SchemaStore) -> None:
    created = store.create_event_type(event_type=et("orderCreated", tags=("ecommerce", "web")))
    assert store.get_event_type(key="orderCreated") == created


def test_duplicate_key_is_refused(store: SchemaStore) -> None:
    store.create_event_type(event_type=et("a"))
    with pytest.raises(EventTypeExists):
        store.create_event_type(event_type=et("a"))


def test_missing_type_raises_core_error(store: SchemaStore) -> None:
    with pytest.raises(EventTypeNotFound):
        store.get_event_type(key="nope")
    with pytest.raises(EventTypeNotFound):
        store.list_versions(key="nope")
    with pytest.raises(EventTypeNotFound):
        add(store, "nope", {})


def test_versions_number_from_one_per_type(store: SchemaStore) -> None:
    store.create_event_type(event_type=et("a"))
    store.create_event_type(event_type=et("b"))
    v1 = add(store, "a", {"type": "object"})
    v2 = add(store, "a", {"type": "object", "required": ["x"]})
    b1 = add(store, "b", {"type": "string"})
    assert [v1.version, v2.version, b1.version] == [1, 2, 1]
    assert [v.version for v in store.list_versions(key="a")] == [1, 2]
    assert store.get_version(key="a", version=2) == v2


def test_schema_ids_are_global_and_shared_by_identical_content(store: SchemaStore) -> None:
    store.create_event_type(event_type=et("a"))
    store.create_event_type(event_type=et("b"))
    a1 = add(store, "a", {"type": "object"})
    b1 = add(store, "b", {"type": "object"})
    a2 = add(store, "a", {"type": "string"})
    assert a1.schema_id == b1.schema_id
    assert a2.schema_id != a1.schema_id
    stored = store.get_schema(schema_id=a2.schema_id)
    assert stored.schema == {"type": "string"}
    assert stored.fingerprint == a2.fingerprint


def test_params_are_kept_with_the_version(store: SchemaStore) -> None:
    store.create_event_type(event_type=et("a"))
    params = [{"name": "orderId", "type": "string", "required": True}]
    v = add(store, "a", {"type": "object"}, params)
    assert store.get_version(key="a", version=1).params == params
    assert v.params == params


def test_find_version_by_fingerprint(store: SchemaStore) -> None:
    store.create_event_type(event_type=et("a"))
    v = add(store, "a", {"type": "object"})
    assert store.find_version(key="a", fingerprint=v.fingerprint) == v
    assert store.find_version(key="a", fingerprint="sha256:0") is None


def test_missing_version_and_schema(store: SchemaStore) -> None:
    store.create_event_type(event_type=et("a"))
    with pytest.raises(VersionNotFound):
        store.get_version(key="a", version=1)
    with pytest.raises(SchemaNotFound):
        store.get_schema(schema_id=999)


def test_list_filters_and_paginates(store: SchemaStore) -> None:
    for key in ["order.created", "order.updated", "page.viewed", "orderX"]:
        store.create_event_type(event_type=et(key, tags=("shop",) if "order" in key else ()))
    store.create_event_type(event_type=et("order.gone", deleted=True))
    page = store.list_event_types(query=EventTypeQuery(prefix="order.", limit=1))
    assert [t.key for t in page.items] == ["order.created"]
    page2 = store.list_event_types(
        query=EventTypeQuery(prefix="order.", limit=1, after=page.next_cursor)
    )
    assert [t.key for t in page2.items] == ["order.updated"]
    assert page2.next_cursor is None
    tagged = store.list_event_types(query=EventTypeQuery(tag="shop"))
    assert [t.key for t in tagged.items] == ["order.created", "order.updated", "orderX"]
    everything = store.list_event_types(query=EventTypeQuery(include_deleted=True))
    assert "order.gone" in [t.key for t in everything.items]
    assert store.all_keys() == ["order.created", "order.updated", "orderX", "page.viewed"]


def test_prefix_is_literal_not_a_like_pattern(store: SchemaStore) -> None:
    store.create_event_type(event_type=et("a_b"))
    store.create_event_type(event_type=et("axb"))
    assert [t.key for t in store.list_event_types(query=EventTypeQuery(prefix="a_")).items] == [
        "a_b"
    ]


def test_save_and_delete(store: SchemaStore) -> None:
    store.create_event_type(event_type=et("a"))
    add(store, "a", {"type": "object"})
    store.save_event_type(event_type=et("a", tags=("x",), deleted=True))
    assert store.get_event_type(key="a").deleted
    store.delete_event_type(key="a")
    with pytest.raises(EventTypeNotFound):
        store.get_event_type(key="a")
    store.create_event_type(event_type=et("a"))
    assert store.list_versions(key="a") == []
    with pytest.raises(EventTypeNotFound):
        store.save_event_type(event_type=et("zzz"))


def test_change_token_moves_on_every_write(store: SchemaStore) -> None:
    before = store.change_token()
    store.create_event_type(event_type=et("a"))
    middle = store.change_token()
    add(store, "a", {})
    assert len({before, middle, store.change_token()}) == 3


def test_stored_documents_cannot_be_mutated_by_callers(store: SchemaStore) -> None:
    store.create_event_type(event_type=et("a"))
    schema = {"type": "object", "properties": {}}
    v = add(store, "a", schema)
    schema["properties"]["x"] = {}
    assert store.get_version(key="a", version=1).schema == {"type": "object", "properties": {}}
    assert v.schema == {"type": "object", "properties": {}}


def test_concurrent_registrations_get_distinct_versions(store: SchemaStore) -> None:
    store.create_event_type(event_type=et("a"))
    errors: list[BaseException] = []

    def register(i: int) -> None:
        try:
            add(store, "a", {"maxLength": i})
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=register, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert [v.version for v in store.list_versions(key="a")] == list(range(1, 21))


def test_check_sees_the_current_versions_and_can_refuse(store: SchemaStore) -> None:
    store.create_event_type(event_type=et("a"))
    seen: list[list[int]] = []

    def record(versions: list) -> None:
        seen.append([v.version for v in versions])

    add(store, "a", {"type": "object"}, check=record)
    add(store, "a", {"type": "string"}, check=record)
    assert seen == [[], [1]]

    def refuse(versions: list) -> None:
        raise SchemaIncompatible("no", findings=[], conflicts_with=versions[-1].version)

    late = {"type": "object", "title": "refused"}
    with pytest.raises(SchemaIncompatible):
        add(store, "a", late, check=refuse)
    assert [v.version for v in store.list_versions(key="a")] == [1, 2]
    assert store.find_version(key="a", fingerprint=fingerprint(late)) is None
    assert add(store, "a", late).version == 3


def test_identical_content_returns_the_existing_version_without_a_check(
    store: SchemaStore,
) -> None:
    store.create_event_type(event_type=et("a"))
    first, created = add_checked(store, "a", {"type": "object"})
    add(store, "a", {"type": "string"})

    def never(versions: list) -> None:  # pragma: no cover - must not run
        raise AssertionError("checked identical content")

    again, created_again = add_checked(store, "a", {"type": "object"}, check=never)
    assert (created, created_again) == (True, False)
    assert again == first
    assert [v.version for v in store.list_versions(key="a")] == [1, 2]


def test_concurrent_identical_content_yields_one_version(store: SchemaStore) -> None:
    store.create_event_type(event_type=et("a"))
    barrier = threading.Barrier(12)
    outcomes: list[tuple[int, bool]] = []

    def register(i: int) -> None:
        barrier.wait()
        version, created = add_checked(store, "a", {"type": "object", "title": "same"})
        outcomes.append((version.version, created))

    threads = [threading.Thread(target=register, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == [(1, False)] * 11 + [(1, True)]
    assert [v.version for v in store.list_versions(key="a")] == [1]


def test_integers_beyond_64_bits_are_simply_not_found(store: SchemaStore) -> None:
    store.create_event_type(event_type=et("a"))
    with pytest.raises(VersionNotFound):
        store.get_version(key="a", version=2**63)
    with pytest.raises(SchemaNotFound):
        store.get_schema(schema_id=2**63)
    with pytest.raises(VersionNotFound):
        store.set_version_state(key="a", version=2**64, state="active", sunset=None, note=None)


def test_sqlite_sees_writes_from_another_connection(tmp_path: Path) -> None:
    """Two processes (here: two connections) share one file; the token reveals foreign writes."""
    first = SqliteStore(tmp_path / "shared.db")
    second = SqliteStore(tmp_path / "shared.db")
    token = first.change_token()
    second.create_event_type(event_type=et("a"))
    assert first.change_token() != token
    assert first.get_event_type(key="a").key == "a"
    first.close()
    second.close()


def test_sqlite_migrations_are_idempotent(tmp_path: Path) -> None:
    SqliteStore(tmp_path / "m.db").close()
    again = SqliteStore(tmp_path / "m.db")
    again.create_event_type(event_type=et("a"))
    again.close()
    assert SqliteStore(tmp_path / "m.db").get_event_type(key="a").key == "a"


def test_event_type_config_round_trips(store: SchemaStore) -> None:
    from registry.core.compatibility import Level, Policy
    from registry.core.config import EnvelopeOverrides, TypeConfig

    config = TypeConfig(
        compatibility=Level.FULL,
        policy=Policy.LENIENT,
        validation_mode="strict",
        coerce=True,
        envelope=EnvelopeOverrides(contact=False),
    )
    store.create_event_type(event_type=et("a"))
    changed = msgspec.structs.replace(store.get_event_type(key="a"), config=config)
    store.save_event_type(event_type=changed)
    assert store.get_event_type(key="a").config == config


def test_global_config_round_trips(store: SchemaStore) -> None:
    from registry.core.compatibility import Level
    from registry.core.config import TypeConfig

    assert store.get_global_config() == TypeConfig()
    store.put_global_config(config=TypeConfig(compatibility=Level.NONE))
    assert store.get_global_config() == TypeConfig(compatibility=Level.NONE)


def test_version_state_changes_keep_the_schema(store: SchemaStore) -> None:
    store.create_event_type(event_type=et("a"))
    v = add(store, "a", {"type": "object"})
    changed = store.set_version_state(
        key="a", version=1, state="deprecated", sunset="2027-01-01", note="use v2"
    )
    assert (changed.state, changed.sunset, changed.note) == ("deprecated", "2027-01-01", "use v2")
    assert changed.schema == v.schema
    assert store.get_version(key="a", version=1) == changed
    with pytest.raises(VersionNotFound):
        store.set_version_state(key="a", version=9, state="disabled", sunset=None, note=None)


def test_examples_crud(store: SchemaStore) -> None:
    from registry.core.errors import ExampleNotFound
    from registry.core.model import Example

    store.create_event_type(event_type=et("a"))
    good = Example(name="good", payload={"params": {"x": 1}}, expect_valid=True, created_at=NOW)
    bad = Example(name="bad", payload={"params": {}}, expect_valid=False, created_at=NOW)
    store.put_example(key="a", example=good)
    store.put_example(key="a", example=bad)
    assert store.list_examples(key="a") == [bad, good]
    replaced = msgspec.structs.replace(good, expect_valid=False)
    store.put_example(key="a", example=replaced)
    assert store.list_examples(key="a") == [bad, replaced]
    store.delete_example(key="a", name="bad")
    assert store.list_examples(key="a") == [replaced]
    with pytest.raises(ExampleNotFound):
        store.delete_example(key="a", name="bad")
    with pytest.raises(EventTypeNotFound):
        store.list_examples(key="zzz")


def test_sqlite_reports_applied_migrations_in_order(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "m.db")
    names = store.applied_migrations()
    store.close()
    assert names == sorted(names)
    assert names[0] == "0001_initial"


def test_references_are_stored_with_the_content_and_protect_their_targets(
    store: SchemaStore,
) -> None:
    from registry.core.errors import VersionReferenced
    from registry.core.model import Reference
    from registry.core.references import fingerprint as ref_fingerprint

    for key in ("address", "order", "invoice"):
        store.create_event_type(event_type=et(key))
    target = add(store, "address", {"type": "string"})
    ref = (Reference(name="a", event_type_key="address", version=target.version),)
    schema, resolved = {"$ref": "a"}, {"$ref": "#/$defs/a", "$defs": {"a": {"type": "string"}}}
    fp = ref_fingerprint(schema, ref)
    made = [
        store.add_version(
            key=key,
            schema=schema,
            fingerprint=fp,
            params=None,
            created_at=NOW,
            references=ref,
            resolved=resolved,
        )[0]
        for key in ("order", "invoice")
    ]
    assert made[0].schema_id == made[1].schema_id
    again = store.get_version(key="order", version=1)
    assert (again.references, again.resolved, again.document) == (ref, resolved, resolved)
    stored = store.get_schema(schema_id=made[0].schema_id)
    assert (stored.references, stored.resolved) == (ref, resolved)
    assert store.get_schema(schema_id=target.schema_id).references == ()
    assert [(v.key, v.version) for v in store.referenced_by(key="address")] == [
        ("invoice", 1),
        ("order", 1),
    ]
    assert store.referenced_by(key="address", version=2) == []
    assert [
        (v.key, v.version) for v in store.versions_with_schema(schema_id=made[0].schema_id)
    ] == [
        ("invoice", 1),
        ("order", 1),
    ]
    assert store.versions_with_schema(schema_id=10**6) == []
    assert store.referenced_by(key="order") == []
    with pytest.raises(VersionReferenced):
        store.delete_event_type(key="address")
    assert store.get_version(key="address", version=1) == target
    store.delete_event_type(key="order")
    store.delete_event_type(key="invoice")
    store.delete_event_type(key="address")
