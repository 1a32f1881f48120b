"""Domain values shared by the core, the stores and the API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
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


class Reference(msgspec.Struct, frozen=True, kw_only=True, rename="camel"):
    """A declared schema reference: ``$ref: <name>`` designates version ``version`` of
    ``event_type_key`` (never a URL: nothing is fetched)."""

    name: str
    event_type_key: str
    version: int


class StoredSchema(msgspec.Struct, frozen=True, kw_only=True):
    """A schema document with its global id; identical content (schema and references) shares
    one id across types."""

    schema_id: int
    fingerprint: str
    schema: Schema
    references: tuple[Reference, ...] = ()
    resolved: Schema | None = None
    """With references: the self-contained form (core/references.py); None without."""

    @property
    def document(self) -> Schema:
        """What validation, compatibility and SDKs use: the dereferenced form when any."""
        return self.schema if self.resolved is None else self.resolved


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
    references: tuple[Reference, ...] = ()
    resolved: Schema | None = None
    """With references: the self-contained form (core/references.py); None without."""

    @property
    def document(self) -> Schema:
        """What validation, compatibility, codegen and the bundle use: ``schema`` with every
        declared reference embedded (``resolved``), or ``schema`` itself without references."""
        return self.schema if self.resolved is None else self.resolved

    @property
    def usable(self) -> bool:
        """Whether events may be validated against it and checks include it (not disabled)."""
        return is_usable(self.state)


def is_usable(state: str | None) -> bool:
    """The one rule for a usable version: any state but ``disabled`` (active, deprecated)."""
    return state != "disabled"


def latest_usable(versions: Sequence[SchemaVersion]) -> SchemaVersion | None:
    """The newest usable version of ``versions`` (oldest first): what ``latest`` means."""
    return next((v for v in reversed(versions) if v.usable), None)


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


def format_instant(moment: dt.datetime) -> str:
    """The one stored timestamp format: ISO 8601 in UTC, milliseconds, ``Z`` (strings sort in
    time order). ``moment`` is aware."""
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def utc_now() -> str:
    """Current UTC time in the stored format (:func:`format_instant`)."""
    return format_instant(dt.datetime.now(dt.UTC))


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
