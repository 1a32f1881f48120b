"""Wire schemas: msgspec Structs for request and response bodies (camelCase on the wire)."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec

from registry.core.compatibility import Change
from registry.core.config import EffectiveConfig, TypeConfig
from registry.core.evolution import ExampleVerdict
from registry.core.model import (
    MAX_VERSION,
    EventType,
    Example,
    Reference,
    SchemaVersion,
    StoredSchema,
    VersionState,
)
from registry.core.tags import param_tags

Key = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
Tag = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
Text = Annotated[str, msgspec.Meta(max_length=10_000)]


class EventTypeIn(msgspec.Struct, forbid_unknown_fields=True, rename="camel"):
    key: str
    description: Text = ""
    owner: Annotated[str, msgspec.Meta(max_length=200)] = ""
    tags: Annotated[list[Tag], msgspec.Meta(max_length=50)] = []


class EventTypePatch(msgspec.Struct, forbid_unknown_fields=True, rename="camel"):
    description: Text | msgspec.UnsetType = msgspec.UNSET
    owner: Annotated[str, msgspec.Meta(max_length=200)] | msgspec.UnsetType = msgspec.UNSET
    tags: Annotated[list[Tag], msgspec.Meta(max_length=50)] | msgspec.UnsetType = msgspec.UNSET


class EventTypeOut(msgspec.Struct, rename="camel"):
    key: str
    description: str
    owner: str
    tags: list[str]
    created_at: str
    updated_at: str
    deleted: bool
    deleted_at: str | None

    @classmethod
    def of(cls, t: EventType) -> EventTypeOut:
        return cls(
            key=t.key,
            description=t.description,
            owner=t.owner,
            tags=list(t.tags),
            created_at=t.created_at,
            updated_at=t.updated_at,
            deleted=t.deleted,
            deleted_at=t.deleted_at,
        )


class EventTypePage(msgspec.Struct, rename="camel"):
    items: list[EventTypeOut]
    next_cursor: str | None


class ReferenceIn(msgspec.Struct, forbid_unknown_fields=True, rename="camel"):
    """``$ref: <name>`` in the schema designates version ``version`` of ``eventTypeKey``."""

    name: Annotated[str, msgspec.Meta(min_length=1, max_length=1000)]
    event_type_key: str
    version: Annotated[int, msgspec.Meta(ge=1, le=MAX_VERSION)]

    def to_core(self) -> Reference:
        return Reference(name=self.name, event_type_key=self.event_type_key, version=self.version)


class ReferenceOut(msgspec.Struct, rename="camel"):
    name: str
    event_type_key: str
    version: int


class VersionIn(msgspec.Struct, forbid_unknown_fields=True):
    """Exactly one of ``schema`` (a JSON Schema) or ``params`` (the short param-list form);
    ``references`` declare what non-local ``$ref`` names in ``schema`` resolve to."""

    schema: dict[str, Any] | bool | msgspec.UnsetType = msgspec.UNSET
    params: list[Any] | msgspec.UnsetType = msgspec.UNSET
    references: Annotated[list[ReferenceIn], msgspec.Meta(max_length=100)] = []

    def core_references(self) -> list[Reference]:
        return [r.to_core() for r in self.references]


def references_out(references: tuple[Reference, ...]) -> list[ReferenceOut]:
    return [ReferenceOut(r.name, r.event_type_key, r.version) for r in references]


class VersionOut(msgspec.Struct, rename="camel", omit_defaults=True):
    event_type_key: str
    version: int
    schema_id: int
    fingerprint: str
    schema: dict[str, Any] | bool
    created_at: str
    state: str
    params: list[Any] | None = None
    sunset: str | None = None
    """Deprecated versions only: the date (YYYY-MM-DD) producers must have moved on by."""
    note: str | None = None
    """Why the version was deprecated or disabled, and what to do instead."""
    references: list[ReferenceOut] = []
    """What ``$ref`` names resolve to (left out when there are none)."""

    @classmethod
    def of(cls, v: SchemaVersion) -> VersionOut:
        return cls(
            event_type_key=v.key,
            version=v.version,
            schema_id=v.schema_id,
            fingerprint=v.fingerprint,
            schema=v.schema,
            created_at=v.created_at,
            state=v.state,
            params=v.params,
            sunset=v.sunset,
            note=v.note,
            references=references_out(v.references),
        )


class VersionList(msgspec.Struct, rename="camel"):
    event_type_key: str
    versions: list[VersionOut]


class SchemaOut(msgspec.Struct, rename="camel", omit_defaults=True):
    schema_id: int
    fingerprint: str
    schema: dict[str, Any] | bool
    references: list[ReferenceOut] = []

    @classmethod
    def of(cls, s: StoredSchema) -> SchemaOut:
        return cls(
            schema_id=s.schema_id,
            fingerprint=s.fingerprint,
            schema=s.schema,
            references=references_out(s.references),
        )


class ReferrerOut(msgspec.Struct, rename="camel"):
    event_type_key: str
    version: int
    schema_id: int


class ReferrerList(msgspec.Struct, rename="camel"):
    """Versions whose references name this version (a purge is refused while any exist)."""

    event_type_key: str
    version: int
    referenced_by: list[ReferrerOut]


class Health(msgspec.Struct):
    status: str
    version: str
    auth: str = "off"
    """``on`` or ``off``."""
    insecure: bool = False
    """Auth is off on a non-loopback bind (``--insecure-no-auth``): anyone reaching it can write."""


class Problem(msgspec.Struct, rename="camel"):
    """RFC 9457 problem details; extension members (errors, findings, position...) may follow."""

    type: str
    title: str
    status: int
    detail: str
    code: str


_DESCRIPTIONS = {
    400: "Malformed JSON or bad parameters",
    404: "Not found",
    409: "Conflict with the current state",
    413: "Body too large",
    415: "Body is not JSON",
    422: "Well-formed request that cannot be processed",
    401: "No valid API token (auth on)",
    403: "The token's scope does not cover this operation",
    503: "Service unavailable: the database cannot be reached or is not ready",
}
AUTH_ERRORS = (401, 403)
READ_ERRORS = (400, 404, 422, *AUTH_ERRORS)
WRITE_ERRORS = (400, 404, 409, 413, 415, 422, *AUTH_ERRORS)


def problem_responses(statuses: tuple[int, ...]) -> dict[int, Any]:
    """OpenAPI responses for the problem+json bodies a handler can answer with."""
    from litestar.openapi.datastructures import ResponseSpec

    return {
        status: ResponseSpec(
            Problem,
            description=_DESCRIPTIONS[status],
            media_type="application/problem+json",
            generate_examples=False,
        )
        for status in statuses
    }


class RegistrationOut(VersionOut, omit_defaults=True):
    """A registered version plus how the type's stored examples fare against it."""

    examples: list[ExampleVerdict] = []


class GlobalConfigOut(msgspec.Struct, rename="camel"):
    """The registry-wide settings as set (``own``) and after built-in defaults (``effective``)."""

    own: TypeConfig
    effective: EffectiveConfig


class ConfigOut(msgspec.Struct, rename="camel"):
    """An event type's own settings (what it overrides) and what effectively applies."""

    event_type_key: str
    own: TypeConfig
    effective: EffectiveConfig


class VersionStateIn(msgspec.Struct, forbid_unknown_fields=True):
    state: VersionState
    sunset: Annotated[str, msgspec.Meta(max_length=10)] | None = None
    note: Annotated[str, msgspec.Meta(max_length=2000)] | None = None


class DiffOut(msgspec.Struct, rename="camel"):
    event_type_key: str
    from_version: int = msgspec.field(name="from")
    to_version: int = msgspec.field(name="to")
    changes: list[Change] = []


class ExampleIn(msgspec.Struct, forbid_unknown_fields=True, rename="camel"):
    payload: Any
    expect_valid: bool
    description: Annotated[str, msgspec.Meta(max_length=2000)] = ""


class ExampleList(msgspec.Struct, rename="camel"):
    event_type_key: str
    examples: list[Example]


class BundleFilters(msgspec.Struct, rename="camel"):
    prefix: str
    tag: str | None


class BundleEntry(msgspec.Struct, rename="camel", omit_defaults=True):
    version: int
    schema_id: int
    fingerprint: str
    schema: dict[str, Any] | bool
    param_tags: dict[str, dict[str, Any]] = {}
    """Each param carrying data-contract tags (``items[].sku``) -> its ``x-*`` keywords
    (``x-pii``, ``x-owner``, ``x-tags``...); omitted when no param is tagged."""


class Bundle(msgspec.Struct, rename="camel"):
    """Every live event type's latest schema, keys sorted: equal content gives equal bytes."""

    generated_from: BundleFilters
    event_types: dict[str, BundleEntry]

    @classmethod
    def of(cls, versions: list[SchemaVersion], *, prefix: str, tag: str | None) -> Bundle:
        entries = {
            v.key: BundleEntry(
                version=v.version,
                schema_id=v.schema_id,
                fingerprint=v.fingerprint,
                schema=v.document,
                param_tags=param_tags(v.document),
            )
            for v in sorted(versions, key=lambda v: v.key)
        }
        return cls(generated_from=BundleFilters(prefix=prefix, tag=tag), event_types=entries)
