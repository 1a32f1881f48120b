"""The built-in event catalog: its file format and the seeding use case.

A catalog file ``schemas/<group>/<key>.json`` holds ``{"key", "description", "owner", "tags",
"config"?, "schema", "examples": [{"name", "payload", "expectValid", "description"}]}``; the
schema's ``$id`` ends with ``/<group>/<key>.json``. Unknown members are ignored, so richer
formats (a tracking-plan folder) can share these files.

Seeding rules (README "Built-in catalog"):

* A missing event type is created with the file's description, owner, tags and config.
* An existing type's metadata is never changed; a difference is reported (``notes``) so the
  operator can adopt it with ``PATCH /event-types/{key}``. A soft-deleted type is left alone.
* The schema is registered like any other (``RegistryService.register_version``): identical
  content is deduplicated (no new version); changed content becomes a new version only if it
  passes the type's compatibility level, otherwise it is reported as ``incompatible`` and
  skipped (its examples too).
* Examples are added when missing; an example of the same name that differs is kept as it is.
"""

from __future__ import annotations

from typing import Any, Literal

import msgspec

from registry.core.config import TypeConfig
from registry.core.errors import CatalogInvalid, EventTypeNotFound, SchemaIncompatible
from registry.core.model import EventType
from registry.core.service import RegistryService

Action = Literal["created", "unchanged", "new_version", "incompatible", "skipped_deleted"]


class CatalogExample(msgspec.Struct, frozen=True, rename="camel"):
    name: str
    payload: Any
    expect_valid: bool
    description: str = ""


class CatalogEntry(msgspec.Struct, frozen=True, rename="camel"):
    """One catalog file (members beyond these are ignored)."""

    key: str
    schema: dict[str, Any]
    description: str = ""
    owner: str = ""
    tags: list[str] = []
    config: TypeConfig | None = None
    examples: list[CatalogExample] = []


class SeedOutcome(msgspec.Struct, frozen=True, rename="camel"):
    key: str
    action: Action
    version: int | None = None
    notes: list[str] = []


_DECODER = msgspec.json.Decoder(CatalogEntry)


def parse_entry(data: bytes, *, relative: str) -> CatalogEntry:
    """Decode one catalog file; ``relative`` is its path under the root (``group/key.json``).

    Raises:
        CatalogInvalid: not the catalog format, or the key/``$id`` do not match the file name.
    """
    try:
        entry = _DECODER.decode(data)
    except msgspec.DecodeError as exc:
        raise CatalogInvalid(relative, str(exc)) from None
    stem = relative.rsplit("/", 1)[-1].removesuffix(".json")
    if entry.key != stem:
        raise CatalogInvalid(relative, f"key {entry.key!r} does not match the file name")
    schema_id = entry.schema.get("$id")
    if not isinstance(schema_id, str) or not schema_id.endswith("/" + relative):
        raise CatalogInvalid(relative, f"$id {schema_id!r} must end with '/{relative}'")
    return entry


def _metadata_notes(current: EventType, entry: CatalogEntry) -> list[str]:
    wanted = {"description": entry.description, "owner": entry.owner, "tags": tuple(entry.tags)}
    notes = [
        f"{name} differs from the catalog; kept the registry's"
        for name, value in wanted.items()
        if getattr(current, name) != value
    ]
    if entry.config is not None and current.config != entry.config:
        notes.append("config differs from the catalog; kept the registry's")
    return notes


class CatalogSeeder:
    """Loads catalog entries into the registry through the service and its store."""

    def __init__(self, service: RegistryService) -> None:
        self.service = service
        self.store = service.store

    def seed(self, entries: list[CatalogEntry]) -> list[SeedOutcome]:
        return [self.seed_one(entry) for entry in entries]

    def seed_one(self, entry: CatalogEntry) -> SeedOutcome:
        try:
            current = self.store.get_event_type(key=entry.key)
        except EventTypeNotFound:
            current = self._create(entry)
            notes: list[str] = []
            created = True
        else:
            if current.deleted:
                return SeedOutcome(entry.key, "skipped_deleted", notes=["soft-deleted; left alone"])
            notes, created = _metadata_notes(current, entry), False
        action, version, more = self._schema(entry)
        if action != "incompatible":
            more += self._examples(entry)
        return SeedOutcome(entry.key, "created" if created else action, version, notes + more)

    def _create(self, entry: CatalogEntry) -> EventType:
        created = self.service.create_event_type(
            key=entry.key, description=entry.description, owner=entry.owner, tags=entry.tags
        )
        if entry.config is None:
            return created
        return self.store.save_event_type(
            event_type=msgspec.structs.replace(created, config=entry.config)
        )

    def _schema(self, entry: CatalogEntry) -> tuple[Action, int | None, list[str]]:
        """Register through the service: dedupe by content, refuse what breaks compatibility."""
        try:
            registration = self.service.register_version(key=entry.key, schema=entry.schema)
        except SchemaIncompatible as exc:
            return (
                "incompatible",
                None,
                [str(exc)] + [f"{f.code} at {f.path or '/'}" for f in exc.findings],
            )
        action: Action = "new_version" if registration.created else "unchanged"
        return action, registration.version.version, []

    def _examples(self, entry: CatalogEntry) -> list[str]:
        stored = {e.name: e for e in self.store.list_examples(key=entry.key)}
        notes = []
        for example in entry.examples:
            have = stored.get(example.name)
            if have is None:
                self.service.put_example(
                    key=entry.key,
                    name=example.name,
                    payload=example.payload,
                    expect_valid=example.expect_valid,
                    description=example.description,
                )
            elif (have.payload, have.expect_valid, have.description) != (
                example.payload,
                example.expect_valid,
                example.description,
            ):
                notes.append(
                    f"example {example.name!r} differs from the catalog; kept the registry's"
                )
        return notes
