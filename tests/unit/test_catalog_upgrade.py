"""The catalog upgrade path: a database seeded with an earlier catalog gets the corrected types.

``tests/data/catalog/seeded-main-0360f09.sqlite`` was built by ``build_fixture.py`` (next to it)
with main's code and main's ``schemas/`` at commit 0360f09, before the catalog was re-derived
from the SDK sources; after seeding, a user changed two types: ``ApplicationInstalled`` got a
version of their own (v2), ``ApplicationUpdated`` an example of their own. The upgrade must
correct every other type and leave those two alone.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest

from registry.catalog_files import load_catalog
from registry.core import canonical
from registry.core.catalog import CatalogEntry, CatalogSeeder, SeedOutcome, example_fingerprint
from registry.core.config import TypeConfig
from registry.core.service import RegistryService
from registry.settings import Settings
from registry.store.memory import InMemoryStore
from registry.store.sqlite import SqliteStore
from registry.wiring import build_service

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests/data/catalog/seeded-main-0360f09.sqlite"
ENTRIES = {e.key: e for e in load_catalog(ROOT / "schemas")}
USER_CHANGED = {
    "ApplicationInstalled": "version 2 is not a catalog schema",
    "ApplicationUpdated": "example 'our-release' is not a catalog example",
}


@pytest.fixture
def upgraded(tmp_path: Path) -> Iterator[tuple[RegistryService, dict[str, SeedOutcome]]]:
    db = tmp_path / "old.sqlite"
    shutil.copyfile(FIXTURE, db)
    store = SqliteStore(db)
    service = build_service(Settings(), store)
    outcomes = CatalogSeeder(service).seed(list(ENTRIES.values()))
    yield service, {o.key: o for o in outcomes}
    store.close()


def _latest_fingerprint(service: RegistryService, key: str) -> str:
    return service.get_version(key=key, version="latest").fingerprint


def test_every_catalog_owned_type_ends_up_with_the_corrected_schema_and_examples(
    upgraded: tuple[RegistryService, dict[str, SeedOutcome]],
) -> None:
    service, outcomes = upgraded
    for key, entry in ENTRIES.items():
        if key in USER_CHANGED:
            continue
        assert _latest_fingerprint(service, key) == canonical.fingerprint(entry.schema), key
        stored = {example_fingerprint(e) for e in service.list_examples(key=key)}
        assert stored == {example_fingerprint(e) for e in entry.examples}, key
    # the corrections that fail BACKWARD went in past the level, the others as new versions
    assert outcomes["ApplicationOpened"].action == "upgraded"
    assert outcomes["ApplicationOpened"].version == 2
    assert outcomes["SessionStarted"].action == "new_version"
    assert outcomes["contactActivity"].action == "unchanged"


def test_an_upgraded_database_accepts_what_the_sdks_send(
    upgraded: tuple[RegistryService, dict[str, SeedOutcome]],
) -> None:
    service, _ = upgraded
    opened = {"eventTypeKey": "ApplicationOpened", "occurred": "2024-11-02T09:15:00.123Z",
              "params": [{"name": "fromBackground", "value": "true"}]}  # fmt: skip
    report = service.validate(opened)
    assert (report.valid, report.version) == (True, 2), report.errors


def test_types_a_user_changed_are_left_alone_and_say_why(
    upgraded: tuple[RegistryService, dict[str, SeedOutcome]],
) -> None:
    service, outcomes = upgraded
    assert [v.version for v in service.list_versions(key="ApplicationInstalled")] == [1, 2]
    assert service.get_version(key="ApplicationInstalled", version=2).schema["description"] == (
        "Our team: install event, as our Android app sends it."
    )
    assert [v.version for v in service.list_versions(key="ApplicationUpdated")] == [1]
    names = {e.name for e in service.list_examples(key="ApplicationUpdated")}
    assert {"our-release", "sdk-event"} <= names
    for key, reason in USER_CHANGED.items():
        outcome = outcomes[key]
        assert outcome.action == "incompatible", key
        assert f"not upgraded: {reason} (only catalog-owned types are upgraded)" in outcome.notes


def test_seeding_the_upgraded_database_again_changes_nothing(
    upgraded: tuple[RegistryService, dict[str, SeedOutcome]],
) -> None:
    service, _ = upgraded
    token = service.change_token()
    again = CatalogSeeder(service).seed(list(ENTRIES.values()))
    assert {o.action for o in again if o.key not in USER_CHANGED} == {"unchanged"}
    assert service.change_token() == token


# -- what counts as a user change, both ways (memory store) ---------------------------------


def _seeded_with_old_opened() -> tuple[RegistryService, CatalogEntry]:
    """ApplicationOpened as the earlier catalog shipped it (its superseded schema)."""
    service = build_service(Settings(), InMemoryStore())
    entry = ENTRIES["ApplicationOpened"]
    old_schema = {**entry.schema, "properties": {"wasBackgrounded": {"enum": ["true", "false"],
                  "description": "old"}}, "required": ["wasBackgrounded"]}  # fmt: skip
    old = msgspec.structs.replace(entry, schema=old_schema, examples=[])
    CatalogSeeder(service).seed_one(old)
    fp = canonical.fingerprint(old_schema)
    return service, msgspec.structs.replace(
        entry, supersedes=msgspec.structs.replace(entry.supersedes, schemas=[fp])
    )


def test_an_untouched_catalog_type_is_catalog_owned() -> None:
    service, entry = _seeded_with_old_opened()
    current = service.get_event_type(key=entry.key)
    assert CatalogSeeder(service).user_change(current, entry) is None
    assert CatalogSeeder(service).seed_one(entry).action == "upgraded"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ("config", "its config was changed"),
        ("deprecate", "version 1 is deprecated"),
        ("example", "example 'mine' is not a catalog example"),
    ],
)
def test_a_user_change_keeps_the_compatibility_gate(change: str, reason: str) -> None:
    service, entry = _seeded_with_old_opened()
    if change == "config":
        service.set_type_config(key=entry.key, config=TypeConfig(coerce=True))
    elif change == "deprecate":
        service.set_version_state(key=entry.key, version=1, state="deprecated")
    else:
        service.put_example(key=entry.key, name="mine", payload={"eventTypeKey": entry.key},
                            expect_valid=False)  # fmt: skip
    outcome = CatalogSeeder(service).seed_one(entry)
    assert outcome.action == "incompatible"
    assert f"not upgraded: {reason} (only catalog-owned types are upgraded)" in outcome.notes
    assert [v.version for v in service.list_versions(key=entry.key)] == [1]


def test_a_schema_no_catalog_shipped_is_a_user_change() -> None:
    service, entry = _seeded_with_old_opened()
    forgotten = msgspec.structs.replace(entry, supersedes=msgspec.structs.replace(
        entry.supersedes, schemas=[]))  # fmt: skip
    outcome = CatalogSeeder(service).seed_one(forgotten)
    assert outcome.action == "incompatible"
    assert "not upgraded: version 1 is not a catalog schema" in " ".join(outcome.notes)
