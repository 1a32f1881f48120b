"""The audit-trail part of the SchemaStore contract: memory and SQLite pass the same suite.

An entry is appended in the same transaction as the change it describes: a write that fails
appends nothing, and a permanent delete keeps every entry.
"""

from __future__ import annotations

import msgspec
import pytest

from registry.core.audit import Actor, AuditEntry, AuditQuery, entry
from registry.core.canonical import fingerprint
from registry.core.config import TypeConfig
from registry.core.errors import (
    EventTypeExists,
    EventTypeNotFound,
    ExampleNotFound,
    SchemaIncompatible,
    VersionNotFound,
)
from registry.core.model import EventType, Example
from registry.core.ports import SchemaStore

ALICE = Actor("alice", "10.0.0.1")


def at(n: int) -> str:
    return f"2026-01-01T00:00:{n:02d}.000Z"


def et(key: str) -> EventType:
    return EventType(key=key, created_at=at(0), updated_at=at(0))


def note(action: str, n: int = 0, *, key: str | None = "a", actor: Actor = ALICE) -> AuditEntry:
    return entry(actor, action, at=at(n), key=key, after={"n": n})  # type: ignore[arg-type]


def everything(store: SchemaStore) -> list[AuditEntry]:
    return store.list_audit(query=AuditQuery(limit=500)).items


def add(store: SchemaStore, key: str, audit: AuditEntry | None, title: str = "", check=None):
    schema = {"type": "object", "title": title}
    return store.add_version(
        key=key, schema=schema, fingerprint=fingerprint(schema), params=None, created_at=at(0),
        check=check, audit=audit,
    )  # fmt: skip


def refuse(versions: object) -> None:
    raise SchemaIncompatible("refused by the check", findings=[], conflicts_with=1)


def test_every_write_appends_its_entry(store: SchemaStore) -> None:
    store.create_event_type(event_type=et("a"), audit=note("event_type.create", 1))
    store.save_event_type(event_type=et("a"), audit=note("event_type.update", 2))
    add(store, "a", note("version.register", 3))
    store.set_version_state(key="a", version=1, state="deprecated", sunset=None, note=None,
                            audit=note("version.state", 4))  # fmt: skip
    store.put_global_config(config=TypeConfig(), audit=note("config.global", 5, key=None))
    example = Example(name="x", payload={}, expect_valid=True)
    store.put_example(key="a", example=example, audit=note("example.put", 6))
    store.delete_example(key="a", name="x", audit=note("example.delete", 7))
    store.delete_event_type(key="a", audit=note("event_type.purge", 8))
    stored = everything(store)
    assert [e.action for e in stored] == [
        "event_type.create", "event_type.update", "version.register", "version.state",
        "config.global", "example.put", "example.delete", "event_type.purge",
    ]  # fmt: skip
    assert [e.id for e in stored] == sorted({e.id for e in stored})
    assert stored[0] == msgspec_replace(note("event_type.create", 1), id=stored[0].id)


def msgspec_replace(item: AuditEntry, **changes: object) -> AuditEntry:
    return msgspec.structs.replace(item, **changes)


def test_a_write_that_fails_appends_nothing(store: SchemaStore) -> None:
    store.create_event_type(event_type=et("a"), audit=note("event_type.create"))
    with pytest.raises(EventTypeExists):
        store.create_event_type(event_type=et("a"), audit=note("event_type.create"))
    with pytest.raises(EventTypeNotFound):
        store.save_event_type(event_type=et("b"), audit=note("event_type.update"))
    with pytest.raises(SchemaIncompatible):
        add(store, "a", note("version.register"), check=refuse)
    with pytest.raises(VersionNotFound):
        store.set_version_state(key="a", version=9, state="disabled", sunset=None, note=None,
                                audit=note("version.state"))  # fmt: skip
    with pytest.raises(ExampleNotFound):
        store.delete_example(key="a", name="nope", audit=note("example.delete"))
    with pytest.raises(EventTypeNotFound):
        store.delete_event_type(key="b", audit=note("event_type.purge"))
    assert [e.action for e in everything(store)] == ["event_type.create"]


def test_entries_survive_a_permanent_delete(store: SchemaStore) -> None:
    store.create_event_type(event_type=et("a"), audit=note("event_type.create", 1))
    add(store, "a", note("version.register", 2))
    store.delete_event_type(key="a", audit=note("event_type.purge", 3))
    assert [e.action for e in everything(store)] == [
        "event_type.create", "version.register", "event_type.purge",
    ]  # fmt: skip


def test_filters_and_cursor_pagination(store: SchemaStore) -> None:
    bob = Actor("bob", "10.0.0.2")
    for n in range(1, 8):
        store.create_event_type(
            event_type=et(f"k{n}"),
            audit=note("event_type.create", n, key="even" if n % 2 == 0 else "odd",
                       actor=bob if n > 4 else ALICE),
        )  # fmt: skip
    by_key = store.list_audit(query=AuditQuery(key="even", limit=50)).items
    assert [e.at for e in by_key] == [at(2), at(4), at(6)]
    by_actor = store.list_audit(query=AuditQuery(actor="bob", limit=50)).items
    assert [e.at for e in by_actor] == [at(5), at(6), at(7)]
    window = store.list_audit(query=AuditQuery(since=at(3), until=at(5), limit=50)).items
    assert [e.at for e in window] == [at(3), at(4)]
    first = store.list_audit(query=AuditQuery(limit=3))
    assert len(first.items) == 3
    assert first.next_cursor == str(first.items[-1].id)
    rest = store.list_audit(query=AuditQuery(after_id=int(first.next_cursor), limit=10))
    assert [e.at for e in first.items + rest.items] == [at(n) for n in range(1, 8)]
    assert rest.next_cursor is None
    actions = store.list_audit(query=AuditQuery(actions=("nothing",), limit=5))
    assert actions.items == []
    assert store.last_audit_id() == rest.items[-1].id


def test_purge_deletes_only_older_entries_and_records_itself(store: SchemaStore) -> None:
    for n in (1, 2, 3):
        store.create_event_type(event_type=et(f"k{n}"), audit=note("event_type.create", n))
    removed = store.purge_audit(before=at(3), audit=note("audit.purge", 9, key=None))
    assert removed == 2
    assert [(e.action, e.at) for e in everything(store)] == [
        ("event_type.create", at(3)), ("audit.purge", at(9)),
    ]  # fmt: skip


def test_record_once_appends_one_entry_per_event(store: SchemaStore) -> None:
    sunset = entry(ALICE, "version.sunset", at=at(1), key="a", version=1,
                   after={"sunset": "2020-01-01"})  # fmt: skip
    assert store.record_once(audit=sunset) is True
    assert store.record_once(audit=msgspec_replace(sunset, at=at(2))) is False
    other = entry(ALICE, "version.sunset", at=at(3), key="a", version=1,
                  after={"sunset": "2020-02-01"})  # fmt: skip
    assert store.record_once(audit=other) is True
    assert len(everything(store)) == 2


def test_sunsets_due_lists_deprecated_versions_past_their_date(store: SchemaStore) -> None:
    for key in ("a", "b", "gone"):
        store.create_event_type(event_type=et(key))
        add(store, key, None)
        add(store, key, None, title="2")
    store.set_version_state(key="a", version=1, state="deprecated", sunset="2026-01-01", note=None)
    store.set_version_state(key="a", version=2, state="deprecated", sunset="2026-03-01", note=None)
    store.set_version_state(key="b", version=1, state="deprecated", sunset=None, note=None)
    store.set_version_state(key="gone", version=1, state="deprecated", sunset="2020-01-01",
                            note=None)  # fmt: skip
    store.save_event_type(event_type=EventType(key="gone", created_at=at(0), updated_at=at(0),
                                               deleted_at=at(1)))  # fmt: skip
    due = store.sunsets_due(before="2026-02-01")
    assert [(v.key, v.version) for v in due] == [("a", 1)]


def test_the_store_numbers_a_registration_and_same_content_appends_nothing(
    store: SchemaStore,
) -> None:
    store.create_event_type(event_type=et("a"))
    add(store, "a", note("version.register", 1))
    add(store, "a", note("version.register", 2), title="second")
    version, created = add(store, "a", note("version.register", 3))
    assert (version.version, created) == (1, False)
    assert [(e.action, e.version) for e in everything(store)] == [
        ("version.register", 1), ("version.register", 2),
    ]  # fmt: skip
