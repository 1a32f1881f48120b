"""Confluent's request and response bodies, and the translation to and from the core values.

Response shapes are exactly Confluent's (no extra members: older clients broke on them, Karapace
#435); ``schemaType`` is always ``JSON`` and ``references`` appears only when there are any.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec

from registry.api.ccompat.errors import (
    INVALID_SCHEMA,
    INVALID_VERSION,
    ConfluentError,
)
from registry.core.model import MAX_VERSION, Reference, Schema, SchemaVersion, StoredSchema

SCHEMA_TYPES = ("JSON",)
"""What this subset serves; AVRO (Confluent's default) and PROTOBUF are refused."""
MAX_CONFLUENT_VERSION = 2**31 - 1


class ReferenceIn(msgspec.Struct):
    name: str
    subject: str
    version: int


class SchemaIn(msgspec.Struct):
    """``POST subjects/{s}/versions``, ``POST subjects/{s}`` and the compatibility tests.

    Unknown members are ignored (clients send ``Confluent-Accept-Unknown-Properties``); the
    members that would change the meaning and are not supported are refused (``check``).
    """

    schema: str
    schemaType: str = "AVRO"  # noqa: N815 (Confluent's member name)
    references: Annotated[list[ReferenceIn], msgspec.Meta(max_length=100)] | None = None
    metadata: Any = None
    ruleSet: Any = None  # noqa: N815
    id: int | None = None
    version: int | None = None


class ConfigIn(msgspec.Struct):
    compatibility: str | None = None
    compatibilityLevel: str | None = None  # noqa: N815
    normalize: bool | None = None
    alias: Any = None
    compatibilityGroup: Any = None  # noqa: N815
    defaultMetadata: Any = None  # noqa: N815
    overrideMetadata: Any = None  # noqa: N815
    defaultRuleSet: Any = None  # noqa: N815
    overrideRuleSet: Any = None  # noqa: N815


class ModeIn(msgspec.Struct):
    mode: str


def flag(value: str | None) -> bool:
    """Confluent's (Jersey's) query booleans: ``true`` in any case is true, anything else false
    (Python clients send ``True``/``False``)."""
    return value is not None and value.strip().lower() == "true"


def parse_version(raw: str) -> int | None:
    """A version path segment: ``latest`` or ``-1`` is None (the latest), else 1..2^31-1."""
    if raw in ("latest", "-1"):
        return None
    if (
        raw.isascii()
        and raw.isdigit()
        and len(raw) <= 10
        and 1 <= int(raw) <= MAX_CONFLUENT_VERSION
    ):
        return int(raw)
    raise ConfluentError(
        422,
        INVALID_VERSION,
        f"The specified version '{raw[:40]}' is not a valid version id. Allowed values are "
        f'between [1, {MAX_CONFLUENT_VERSION}] and the string "latest"',
    )


def parse_schema(data: SchemaIn) -> Schema:
    """The JSON Schema document in ``data.schema`` (a string), for schemaType JSON only."""
    if data.schemaType.upper() not in SCHEMA_TYPES:
        raise ConfluentError(
            422,
            INVALID_SCHEMA,
            f"Invalid schema type {data.schemaType[:40]}: this registry serves JSON Schema only "
            '(send "schemaType": "JSON")',
        )
    for name in ("metadata", "ruleSet"):
        if getattr(data, name) is not None:
            raise ConfluentError(422, INVALID_SCHEMA, f"{name} is not supported by this registry")
    try:
        document = msgspec.json.decode(data.schema)
    except msgspec.DecodeError as exc:
        raise ConfluentError(422, INVALID_SCHEMA, f"Invalid schema: not JSON ({exc})") from None
    if not isinstance(document, dict | bool):
        raise ConfluentError(
            422, INVALID_SCHEMA, "Invalid schema: a JSON Schema is an object or a boolean"
        )
    return document


def core_references(data: SchemaIn, latest: Any) -> list[Reference]:
    """``{name, subject, version}`` as core references; version -1 is the subject's latest
    (``latest(subject)`` returns its number)."""
    out = []
    for ref in data.references or []:
        version = ref.version
        if version == -1:
            version = latest(ref.subject)
        if not 1 <= version <= MAX_VERSION:
            raise ConfluentError(
                422, INVALID_SCHEMA, f"reference {ref.name!r}: version {version} is not valid"
            )
        out.append(Reference(name=ref.name, event_type_key=ref.subject, version=version))
    return out


def schema_string(schema: Schema) -> str:
    return msgspec.json.encode(schema).decode()


def references_out(references: tuple[Reference, ...]) -> dict[str, Any]:
    if not references:
        return {}
    return {
        "references": [
            {"name": r.name, "subject": r.event_type_key, "version": r.version} for r in references
        ]
    }


def version_out(version: SchemaVersion) -> dict[str, Any]:
    """``GET subjects/{s}/versions/{v}`` and the lookup's answer."""
    return {
        "subject": version.key,
        "version": version.version,
        "id": version.schema_id,
        "schemaType": "JSON",
        **references_out(version.references),
        "schema": schema_string(version.schema),
    }


def schema_out(stored: StoredSchema) -> dict[str, Any]:
    """``GET schemas/ids/{id}``."""
    return {
        "schemaType": "JSON",
        **references_out(stored.references),
        "schema": schema_string(stored.schema),
    }
