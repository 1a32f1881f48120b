"""A registry's complete content as data: what ``export`` writes and ``import`` reads.

:class:`Records` is everything a store holds that a registry is (inspection-log traffic and the
``Last-Modified`` clock are not: they are recordings and caches). Every id is the original one:
schema ids (``/schemas/{id}`` URLs clients pinned), version numbers, audit entry ids (change-feed
cursors). :func:`check_records` is the one consistency rule a store applies before an import;
:func:`encode_dump` / :func:`decode_dump` are the versioned file format.

The file is deterministic (no timestamp; lists in a fixed order), so exporting, importing into
an empty database and exporting again gives the same bytes, on any store.
"""

from __future__ import annotations

from typing import Any

import msgspec

from registry.core.audit import AuditEntry
from registry.core.config import TypeConfig
from registry.core.errors import DumpInvalid
from registry.core.model import EventType, Example, StoredSchema, VersionState
from registry.core.references import fingerprint

FORMAT = "event-registry-dump"
FORMAT_VERSION = 1
"""Raised when the file format changes incompatibly; ``import`` refuses other versions."""


class VersionRecord(msgspec.Struct, frozen=True, kw_only=True, rename="camel"):
    """One version of an event type; its schema is ``schema_id`` in :attr:`Records.schemas`."""

    key: str
    version: int
    schema_id: int
    params: list[Any] | None = None
    created_at: str
    state: VersionState = "active"
    sunset: str | None = None
    note: str | None = None


class ExampleRecord(msgspec.Struct, frozen=True, kw_only=True, rename="camel"):
    key: str
    example: Example


class Records(msgspec.Struct, frozen=True, kw_only=True, rename="camel"):
    """Everything a registry holds, in the order :func:`sort_records` gives."""

    event_types: list[EventType] = []
    schemas: list[StoredSchema] = []
    versions: list[VersionRecord] = []
    examples: list[ExampleRecord] = []
    global_config: TypeConfig = TypeConfig()
    audit: list[AuditEntry] = []

    @property
    def empty(self) -> bool:
        return not (
            self.event_types or self.schemas or self.audit or self.global_config != TypeConfig()
        )


class Dump(msgspec.Struct, frozen=True, kw_only=True, rename="camel"):
    """The file: a format marker, its version, the software that wrote it, the records."""

    format: str
    format_version: int
    registry_version: str
    records: Records


def sort_records(records: Records) -> Records:
    """The canonical order: types by key, schemas by id, versions by key and number,
    examples by key and name, audit entries by id."""
    return Records(
        event_types=sorted(records.event_types, key=lambda t: t.key),
        schemas=sorted(records.schemas, key=lambda s: s.schema_id),
        versions=sorted(records.versions, key=lambda v: (v.key, v.version)),
        examples=sorted(records.examples, key=lambda e: (e.key, e.example.name)),
        global_config=records.global_config,
        audit=sorted(records.audit, key=lambda a: a.id),
    )


def encode_dump(records: Records, *, registry_version: str) -> bytes:
    """The dump file's bytes (indented JSON, a final newline)."""
    dump = Dump(
        format=FORMAT,
        format_version=FORMAT_VERSION,
        registry_version=registry_version,
        records=sort_records(records),
    )
    return msgspec.json.format(msgspec.json.encode(dump), indent=1) + b"\n"


def decode_dump(data: bytes) -> Records:
    """The records of a dump file; DumpInvalid for anything else (with the reason)."""
    try:
        head = msgspec.json.decode(data, type=dict[str, Any])
    except msgspec.DecodeError as exc:
        raise DumpInvalid(f"not a JSON object: {exc}") from None
    if head.get("format") != FORMAT:
        raise DumpInvalid(f"not an event-registry dump (format must be {FORMAT!r})")
    if head.get("formatVersion") != FORMAT_VERSION:
        raise DumpInvalid(
            f"dump format version {head.get('formatVersion')!r} is not supported "
            f"(this release reads version {FORMAT_VERSION})"
        )
    try:
        dump = msgspec.convert(head, Dump)
    except msgspec.ValidationError as exc:
        raise DumpInvalid(str(exc)) from None
    check_records(dump.records)
    return dump.records


def check_records(records: Records) -> None:
    """Raise DumpInvalid unless the records describe a registry a store could have written:
    unique keys and ids, fingerprints matching their schemas, versions of existing types
    numbered 1..n on existing schemas, examples of existing types, unique audit ids."""
    keys = _unique("event type key", [t.key for t in records.event_types])
    schema_ids = _unique("schema id", [s.schema_id for s in records.schemas])
    _unique("fingerprint", [s.fingerprint for s in records.schemas])
    _unique("audit id", [a.id for a in records.audit])
    for stored in records.schemas:
        if (
            stored.schema_id < 1
            or fingerprint(stored.schema, stored.references) != stored.fingerprint
        ):
            raise DumpInvalid(f"schema {stored.schema_id}: fingerprint does not match its content")
    numbers: dict[str, list[int]] = {}
    for version in records.versions:
        if version.key not in keys:
            raise DumpInvalid(f"version {version.version} of unknown event type {version.key!r}")
        if version.schema_id not in schema_ids:
            raise DumpInvalid(f"{version.key} v{version.version}: no schema {version.schema_id}")
        numbers.setdefault(version.key, []).append(version.version)
    for key, found in numbers.items():
        if sorted(found) != list(range(1, len(found) + 1)):
            raise DumpInvalid(f"versions of {key!r} are not numbered 1..{len(found)}: {found}")
    _check_references(records, numbers)
    for example in records.examples:
        if example.key not in keys:
            raise DumpInvalid(f"example {example.example.name!r} of unknown type {example.key!r}")
    _unique("example", [f"{e.key}/{e.example.name}" for e in records.examples])
    if any(a.id < 1 for a in records.audit):
        raise DumpInvalid("audit entry ids start at 1")


def _check_references(records: Records, numbers: dict[str, list[int]]) -> None:
    """Every declared reference names a version the dump holds (the store refuses others)."""
    for stored in records.schemas:
        for ref in stored.references:
            if ref.version not in numbers.get(ref.event_type_key, []):
                raise DumpInvalid(
                    f"schema {stored.schema_id} references {ref.event_type_key} v{ref.version}, "
                    "which the dump does not hold"
                )


def _unique(what: str, values: list[Any]) -> set[Any]:
    seen: set[Any] = set()
    for value in values:
        if value in seen:
            raise DumpInvalid(f"duplicate {what}: {value!r}")
        seen.add(value)
    return seen
