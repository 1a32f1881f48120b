"""export_records / import_records / pending_migrations: every SchemaStore implementation.

A registry exported from one store and imported into an empty one (of any kind) holds the same
records, ids included, and goes on numbering after them.
"""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from registry.core import references
from registry.core.audit import AuditQuery
from registry.core.compatibility import Level
from registry.core.config import TypeConfig
from registry.core.dump import Records, decode_dump, encode_dump
from registry.core.errors import DumpInvalid, StoreNotEmpty
from registry.core.model import Reference
from registry.core.ports import SchemaStore
from registry.core.schema_check import SchemaLimits
from registry.core.service import RegistryService
from registry.store.memory import InMemoryStore
from registry.store.sqlite import SqliteStore

LIMITS = SchemaLimits(max_depth=32, max_bytes=262_144, max_cost=1000, max_reference_depth=8)


def _clock() -> str:
    return "2026-03-01T10:00:00.000Z"


def populate(store: SchemaStore) -> RegistryService:
    """A registry using every kind of record a dump carries."""
    service = RegistryService(store, limits=LIMITS, clock=_clock)
    service.set_global_config(config=TypeConfig(compatibility=Level.NONE))
    service.create_event_type(key="orderCreated", description="an order", tags=["shop", "web"])
    for n in range(3):
        service.register_version(
            key="orderCreated",
            schema={"type": "object", "properties": {f"p{n}": {"type": "string"}}},
        )
    service.register_version(key="orderCreated", params=[{"name": "total", "type": "number"}])
    service.set_version_state(
        key="orderCreated", version=1, state="deprecated", sunset="2026-06-01", note="use v2"
    )
    service.set_version_state(key="orderCreated", version=2, state="disabled")
    service.put_example(
        key="orderCreated", name="ok", payload={"eventTypeKey": "orderCreated"}, expect_valid=True
    )
    service.set_type_config(key="orderCreated", config=TypeConfig(compatibility=Level.BACKWARD))
    service.create_event_type(key="gone", owner="team-a")
    service.register_version(key="gone", schema={"type": "object", "title": "orphan"})
    service.delete_event_type(key="gone")
    service.delete_event_type(key="gone", permanent=True)  # its schema stays, by id
    service.create_event_type(key="retired")
    service.register_version(key="retired", schema={"type": "object", "properties": {}})
    service.delete_event_type(key="retired")  # soft-deleted: kept with its versions
    service.create_event_type(key="money")
    service.register_version(key="money", schema={"type": "number", "minimum": 0})
    service.create_event_type(key="refunded")
    service.register_version(
        key="refunded",
        schema={"type": "object", "properties": {"amount": {"$ref": "money"}}},
        references=[Reference(name="money", event_type_key="money", version=1)],
    )
    return service


def test_an_empty_store_exports_empty_records_and_is_migrated(store: SchemaStore) -> None:
    records = store.export_records()
    assert records == Records()
    assert records.empty
    assert store.pending_migrations() == []


def test_round_trip_keeps_every_record_and_id(
    store: SchemaStore, another_store: SchemaStore
) -> None:
    populate(store)
    exported = store.export_records()
    assert [t.key for t in exported.event_types] == ["money", "orderCreated", "refunded", "retired"]
    assert [s.schema_id for s in exported.schemas] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert len(exported.versions) == 7
    assert len(exported.audit) == 21
    another_store.import_records(records=exported)
    assert another_store.export_records() == exported
    assert another_store.get_version(key="orderCreated", version=1) == store.get_version(
        key="orderCreated", version=1
    )
    assert another_store.get_schema(schema_id=5) == store.get_schema(schema_id=5)
    assert another_store.list_examples(key="orderCreated") == store.list_examples(
        key="orderCreated"
    )
    assert another_store.get_global_config() == TypeConfig(compatibility=Level.NONE)
    referencing = another_store.get_version(key="refunded", version=1)
    assert referencing == store.get_version(key="refunded", version=1)
    assert referencing.references == (Reference(name="money", event_type_key="money", version=1),)
    assert referencing.resolved is not None


def test_ids_continue_after_the_imported_ones(
    store: SchemaStore, another_store: SchemaStore
) -> None:
    populate(store)
    another_store.import_records(records=store.export_records())
    service = RegistryService(another_store, limits=LIMITS, clock=_clock)
    registered = service.register_version(key="orderCreated", schema={"type": "object"})
    assert (registered.version.version, registered.version.schema_id) == (5, 9)
    page = another_store.list_audit(query=AuditQuery(after_id=21, limit=10))
    assert [(e.id, e.action) for e in page.items] == [(22, "version.register")]
    same = service.register_version(
        key="orderCreated", schema={"type": "object", "title": "orphan"}
    )
    assert same.version.schema_id == 5  # the orphaned content keeps its id when it returns


def test_import_into_a_store_holding_anything_is_refused_and_writes_nothing(
    store: SchemaStore, another_store: SchemaStore
) -> None:
    populate(store)
    records = store.export_records()
    RegistryService(another_store, limits=LIMITS, clock=_clock).set_global_config(
        config=TypeConfig(coerce=True)
    )
    before = another_store.export_records()
    with pytest.raises(StoreNotEmpty):
        another_store.import_records(records=records)
    assert another_store.export_records() == before
    with pytest.raises(StoreNotEmpty):
        store.import_records(records=records)


def test_import_changes_the_change_token(store: SchemaStore, another_store: SchemaStore) -> None:
    populate(store)
    token = another_store.change_token()
    another_store.import_records(records=store.export_records())
    assert another_store.change_token() != token


def test_dump_file_survives_sqlite_to_every_store_and_back(
    tmp_path: Path, store: SchemaStore
) -> None:
    """export SQLite -> import into this store -> export again: the same bytes."""
    source = SqliteStore(tmp_path / "source.db")
    try:
        populate(source)
        first = encode_dump(source.export_records(), registry_version="test")
    finally:
        source.close()
    RegistryService(store, limits=LIMITS).import_records(records=decode_dump(first))
    assert encode_dump(store.export_records(), registry_version="test") == first
    back = InMemoryStore()
    back.import_records(records=decode_dump(first))
    assert encode_dump(back.export_records(), registry_version="test") == first


def dangling(dump: dict) -> None:
    """Schema 8 re-declared against money v2 (not in the dump), its fingerprint recomputed."""
    stored = dump["records"]["schemas"][-1]
    stored["references"][0]["version"] = 2
    refs = [msgspec.convert(r, Reference) for r in stored["references"]]
    stored["fingerprint"] = references.fingerprint(stored["schema"], refs)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            lambda d: d.update(format="other"),
            "not an event-registry dump (format must be 'event-registry-dump')",
        ),
        (
            lambda d: d.update(formatVersion=2),
            "dump format version 2 is not supported (this release reads version 1)",
        ),
        (
            lambda d: d["records"]["schemas"][0].update(fingerprint="sha256:00"),
            "schema 1: fingerprint does not match its content",
        ),
        (
            lambda d: d["records"]["versions"].pop(1),  # orderCreated v1 (money v1 is first)
            "versions of 'orderCreated' are not numbered 1..3: [2, 3, 4]",
        ),
        (
            lambda d: d["records"]["versions"][0].update(schemaId=99),
            "money v1: no schema 99",
        ),
        (
            lambda d: d["records"]["eventTypes"].pop(0),
            "version 1 of unknown event type 'money'",
        ),
        (
            lambda d: d["records"]["audit"].append(d["records"]["audit"][0]),
            "duplicate audit id: 1",
        ),
        (
            lambda d: d["records"]["schemas"][-1]["references"][0].update(version=2),
            "schema 8: fingerprint does not match its content",
        ),
        (dangling, "schema 8 references money v2, which the dump does not hold"),
    ],
    ids=[
        *("format", "version", "fingerprint", "gap", "schema", "type", "audit-id"),
        *("reference", "dangling"),
    ],
)
def test_inconsistent_dumps_are_refused_with_the_reason(change, reason: str) -> None:
    store = InMemoryStore()
    populate(store)
    raw = msgspec.json.decode(encode_dump(store.export_records(), registry_version="t"))
    change(raw)
    with pytest.raises(DumpInvalid) as caught:
        decode_dump(msgspec.json.encode(raw))
    assert str(caught.value) == f"not a valid registry dump: {reason}"
