"""Domain values shared by the core, the stores and the API."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

import msgspec

from registry.core.config import TypeConfig
from registry.core.errors import InvalidRequest

JsonObject = dict[str, Any]
Schema = dict[str, Any] | bool
"""A JSON Schema document: an object, or a boolean schema."""

VersionState = Literal["active", "deprecated", "disabled"]
VersionRef = int | Literal["latest"]


class EventType(msgspec.Struct, frozen=True, kw_only=True):
    """A registered event type (Yespo's ``eventTypeKey``) and its metadata."""

    key: str
    description: str = ""
    owner: str = ""
    tags: tuple[str, ...] = ()
    created_at: str
    updated_at: str
    deleted_at: str | None = None
    config: TypeConfig = TypeConfig()

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None


class StoredSchema(msgspec.Struct, frozen=True, kw_only=True):
    """A schema document with its global id; identical content shares one id across types."""

    schema_id: int
    fingerprint: str
    schema: Schema


class SchemaVersion(msgspec.Struct, frozen=True, kw_only=True):
    """An immutable version of an event type's params schema."""

    key: str
    version: int
    schema_id: int
    fingerprint: str
    schema: Schema
    params: list[Any] | None = None
    created_at: str
    state: VersionState = "active"
    sunset: str | None = None
    """For deprecated versions: the date after which producers must have moved on."""
    note: str | None = None


class EventTypeQuery(msgspec.Struct, frozen=True, kw_only=True):
    """Filters and keyset pagination for listing event types (ordered by key)."""

    prefix: str = ""
    tag: str | None = None
    include_deleted: bool = False
    after: str | None = None
    limit: int = 50


class Page(msgspec.Struct, frozen=True, kw_only=True):
    items: list[EventType]
    next_cursor: str | None


class Example(msgspec.Struct, frozen=True, kw_only=True, rename="camel"):
    """A named sample payload of an event type with the verdict it is expected to get."""

    name: str
    payload: Any
    expect_valid: bool
    description: str = ""
    created_at: str = ""


def utc_now() -> str:
    """Current UTC time as an ISO 8601 string with a ``Z`` suffix."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


MAX_VERSION = 2**63 - 1
"""Version numbers and schema ids are 64-bit integers in every store."""


def parse_version_ref(raw: str) -> VersionRef:
    """``"latest"`` or a positive integer; anything else is an InvalidRequest."""
    if raw == "latest":
        return "latest"
    if raw.isascii() and raw.isdigit() and len(raw) <= len(str(MAX_VERSION)):
        number = int(raw)
        if 1 <= number <= MAX_VERSION:
            return number
    raise InvalidRequest(
        f"version must be 'latest' or an integer from 1 to {MAX_VERSION}, got {raw[:40]!r}"
    )
