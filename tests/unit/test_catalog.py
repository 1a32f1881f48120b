"""The built-in catalog (schemas/): well-formed files, examples and their verdicts, seeding."""

from __future__ import annotations

import shutil
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import msgspec
import pytest

from registry.catalog_files import CHECKOUT, INSTALLED, find_catalog, load_catalog
from registry.core.catalog import CatalogEntry, CatalogSeeder, parse_entry
from registry.core.errors import CatalogInvalid
from registry.core.schema_check import check_schema
from registry.core.service import RegistryService
from registry.core.validation.walk import iter_subschemas
from registry.store.memory import InMemoryStore

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted((ROOT / "schemas").glob("*/*.json"))
ENTRIES = load_catalog(ROOT / "schemas")
GROUPS = {"system", "ecommerce", "mobile", "tracker", "orders"}


def seeded() -> RegistryService:
    service = RegistryService(InMemoryStore())
    CatalogSeeder(service).seed(ENTRIES)
    return service


def examples() -> Iterator[Any]:
    for entry in ENTRIES:
        for example in entry.examples:
            yield pytest.param(entry.key, example, id=f"{entry.key}:{example.name}")


def test_catalog_has_every_group_and_the_required_types() -> None:
    keys = {e.key for e in ENTRIES}
    assert {p.parent.name for p in FILES} == GROUPS
    assert {
        "pageViewed", "productViewed", "productCategoryViewed", "cartUpdated", "orderCreated",
        "orderUpdated", "orderDelivered", "orderCancelled", "searchRequest", "ContactCreated",
        "subscriptionChanged", "ApplicationInstalled", "ApplicationUpdated", "ApplicationOpened",
        "ApplicationBackgrounded", "SessionStarted", "SessionEnded", "screenView",
        "PushNotificationsSubscribed", "PushNotificationsUnsubscribed",
        "PushNotificationsPermissionAsked", "contactActivity",
        "ProductPage", "StatusCart", "AddToWishlist", "PurchasedItems", "ProductImpressions",
        "CategoryPage", "CustomerData", "SearchRequest", "ProductUpdate", "webcontact", "Order",
    } <= keys  # fmt: skip


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_file_is_a_valid_catalog_entry(path: Path) -> None:
    document = msgspec.json.decode(path.read_bytes())
    assert {"key", "description", "owner", "tags", "schema", "examples"} <= document.keys()
    schema = document["schema"]
    check_schema(schema)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"].endswith(f"/schemas/{path.parent.name}/{path.name}")
    assert document["key"] == path.stem
    assert path.parent.name in document["tags"]
    assert document["description"]
    assert schema["description"]


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.key)
def test_every_property_is_documented(entry: CatalogEntry) -> None:
    for tokens, sub in iter_subschemas(entry.schema):
        for name, prop in sub.get("properties", {}).items():
            if tokens and tokens[0] == "allOf":
                continue  # if/then branches restate a documented property
            assert isinstance(prop, dict), f"{tokens}/{name}"
            assert prop.get("description"), f"{tokens}/{name}"


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.key)
def test_every_type_has_valid_and_invalid_examples(entry: CatalogEntry) -> None:
    verdicts = {e.expect_valid for e in entry.examples}
    assert verdicts == {True, False}
    assert all(e.description for e in entry.examples)
    assert len({e.name for e in entry.examples}) == len(entry.examples)


SERVICE = seeded()


@pytest.mark.parametrize(("key", "example"), list(examples()))
def test_example_gets_its_expected_verdict(key: str, example: Any) -> None:
    report = SERVICE.validate(example.payload)
    assert report.event_type_key == key
    assert report.version == 1
    assert report.valid is example.expect_valid, [e.message for e in report.errors]


def test_seeding_stores_the_examples_and_metadata() -> None:
    store = SERVICE.store
    order = store.get_event_type(key="orderCreated")
    assert "ecommerce" in order.tags
    assert order.owner == "event-registry catalog"
    names = [e.name for e in store.list_examples(key="orderCreated")]
    assert "v2-nested-items" in names
    assert store.get_event_type(key="screenView").config.envelope.contact is False


def test_reseeding_an_unchanged_catalog_changes_nothing() -> None:
    service = seeded()
    token = service.store.change_token()
    outcomes = CatalogSeeder(service).seed(ENTRIES)
    assert {o.action for o in outcomes} == {"unchanged"}
    assert all(not o.notes for o in outcomes)
    assert service.store.change_token() == token


def _changed(entry: CatalogEntry, **schema_changes: Any) -> CatalogEntry:
    return msgspec.structs.replace(entry, schema={**entry.schema, **schema_changes})


def test_a_compatible_change_registers_a_new_version() -> None:
    service = seeded()
    entry = next(e for e in ENTRIES if e.key == "searchRequest")
    loosened = _changed(entry, description="Reworded upstream.", required=[])
    outcome = CatalogSeeder(service).seed_one(loosened)
    assert (outcome.action, outcome.version) == ("new_version", 2), outcome.notes


def test_an_incompatible_change_is_reported_and_skipped() -> None:
    service = seeded()
    entry = next(e for e in ENTRIES if e.key == "searchRequest")
    changed = _changed(entry, required=["search", "isFound"])
    outcome = CatalogSeeder(service).seed_one(changed)
    assert outcome.action == "incompatible"
    assert outcome.notes
    assert [v.version for v in service.list_versions(key="searchRequest")] == [1]


def test_user_metadata_and_examples_are_never_overwritten() -> None:
    service = seeded()
    service.update_event_type(key="searchRequest", description="ours", tags=["team-a"])
    entry = next(e for e in ENTRIES if e.key == "searchRequest")
    first = entry.examples[0]
    edited = msgspec.structs.replace(first, description="changed upstream")
    seeder = CatalogSeeder(service)
    outcome = seeder.seed_one(msgspec.structs.replace(entry, examples=[edited]))
    assert outcome.action == "unchanged"
    assert any("description differs" in n for n in outcome.notes)
    assert any(first.name in n for n in outcome.notes)
    kept = service.get_event_type(key="searchRequest")
    assert (kept.description, kept.tags) == ("ours", ("team-a",))
    stored = {e.name: e for e in service.store.list_examples(key="searchRequest")}
    assert stored[first.name].description == first.description


def test_soft_deleted_types_stay_deleted() -> None:
    service = seeded()
    service.delete_event_type(key="screenView")
    outcome = CatalogSeeder(service).seed_one(next(e for e in ENTRIES if e.key == "screenView"))
    assert outcome.action == "skipped_deleted"
    assert service.get_event_type(key="screenView", include_deleted=True).deleted


def test_parse_entry_checks_key_and_id() -> None:
    good = (ROOT / "schemas/mobile/screenView.json").read_bytes()
    assert parse_entry(good, relative="mobile/screenView.json").key == "screenView"
    with pytest.raises(CatalogInvalid):
        parse_entry(good, relative="mobile/other.json")
    with pytest.raises(CatalogInvalid):
        parse_entry(good, relative="system/screenView.json")
    with pytest.raises(CatalogInvalid):
        parse_entry(b'{"key": 1}', relative="a/b.json")


def test_loader_finds_the_catalog_in_an_installed_layout(tmp_path: Path) -> None:
    installed = tmp_path / INSTALLED
    shutil.copytree(ROOT / "schemas", installed)
    found = find_catalog(prefixes=[tmp_path], checkout=None)
    assert found == installed
    assert [e.key for e in load_catalog(found)] == [e.key for e in ENTRIES]
    with pytest.raises(CatalogInvalid):
        find_catalog(prefixes=[tmp_path / "nothing"], checkout=None)
    assert find_catalog() == CHECKOUT


def test_pyproject_installs_every_catalog_group_where_the_loader_looks() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    data_files = config["tool"]["setuptools"]["data-files"]
    for group in GROUPS:
        target = (INSTALLED / group).as_posix()
        assert data_files[target] == [f"schemas/{group}/*.json"]
