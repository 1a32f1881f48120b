"""Domain errors. One type per problem, each with a stable machine ``code``.

The HTTP status of each lives in exactly one place, ``registry/api/problems.py``; the CLI turns
them into ``click.ClickException`` in one place too. Codes are documented in the README and never
reused for another meaning.

Tree::

    RegistryError
    ├── InvalidSettings            invalid_settings        (startup only)
    ├── InvalidRequest             invalid_request         well-formed JSON of the wrong shape
    ├── MalformedJson              malformed_json          body is not JSON at all
    ├── PayloadTooLarge            payload_too_large
    ├── EventTypeNotFound          event_type_not_found
    ├── EventTypeExists            event_type_exists
    ├── EventTypeNotDeleted        event_type_not_deleted  permanent delete before a soft delete
    ├── EventTypeDeleted           event_type_deleted      writing to a soft-deleted type
    ├── InvalidEventTypeKey        invalid_event_type_key
    ├── VersionNotFound            version_not_found
    ├── SchemaNotFound             schema_not_found
    ├── ExampleNotFound            example_not_found
    ├── NotEmulated                not_emulated            a Yespo path the drop-in does not serve
    ├── VersionStateConflict       version_state_conflict  disabling the last usable version
    ├── CatalogInvalid             catalog_invalid         a catalog file breaks the format (seed)
    ├── SchemaInvalid              schema_invalid          carries ``problems``
    │   ├── SchemaRemoteRef        schema_remote_ref       a $ref that would need the network
    │   ├── SchemaTooComplex       schema_too_complex      nesting / size / unsafe pattern limits
    │   ├── ReferenceInvalid       reference_invalid       a declared reference cannot be used
    │   ├── ReferenceCycle         reference_cycle         a reference chain returns to itself
    │   └── ReferenceTooDeep       reference_too_deep      references nested beyond the limit
    ├── VersionReferenced          version_referenced      purging a version others reference
    ├── SchemaIncompatible         schema_incompatible     carries ``findings``
    ├── ConcurrentRegistration     concurrent_registration write lock not granted in time; retry
    ├── StoreBusy                  store_busy              the same for any other write
    ├── StoreUnavailable           store_unavailable       the database did not answer in time
    ├── AuthenticationRequired     authentication_required no credentials (401)
    │   ├── InvalidToken           invalid_token           unknown or revoked token
    │   └── TokenExpired           token_expired
    ├── InsufficientScope          insufficient_scope      valid token, scope too small (403)
    ├── TokenNotFound              token_not_found
    ├── HostNotAllowed             host_not_allowed        Host header not in the allow-list
    ├── StoreNotReady              store_not_ready         /health/ready: unreachable or unmigrated
    ├── DumpInvalid                dump_invalid            import: not a consistent dump file
    └── StoreNotEmpty              store_not_empty         import: the target already holds data
"""

from __future__ import annotations

from typing import Any, ClassVar, Final

import msgspec

FRAMEWORK_CODES: Final[dict[int, str]] = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "request_too_large",
    415: "unsupported_media_type",
}
"""Codes of the problems the HTTP layer raises itself (no domain error behind them), by status."""
FALLBACK_CODES: Final = ("http_error", "internal_error")
"""Any other framework status, and an unhandled server fault."""


class SchemaProblem(msgspec.Struct, frozen=True, omit_defaults=True):
    """One reason a submitted schema was refused, located by a JSON Pointer into the submission."""

    pointer: str
    message: str
    keyword: str | None = None


class RegistryError(Exception):
    """Base of every error the registry raises on purpose."""

    code: ClassVar[str] = "registry_error"

    def extensions(self) -> dict[str, Any]:
        """Extra members for the problem body (besides type/title/status/detail/code)."""
        return {}


class InvalidSettings(RegistryError):
    code = "invalid_settings"

    def __init__(self, variable: str, reason: str) -> None:
        super().__init__(f"{variable}: {reason}")
        self.variable = variable


class InvalidRequest(RegistryError):
    """The body parsed as JSON but does not have the shape the operation needs."""

    code = "invalid_request"

    def __init__(self, message: str, *, pointer: str = "") -> None:
        super().__init__(message)
        self.pointer = pointer

    def extensions(self) -> dict[str, Any]:
        return {"pointer": self.pointer} if self.pointer else {}


class MalformedJson(RegistryError):
    """The bytes are not a JSON document."""

    code = "malformed_json"

    def __init__(self, reason: str, *, line: int | None = None) -> None:
        where = f" (line {line})" if line is not None else ""
        super().__init__(f"body is not valid JSON{where}: {reason}")
        self.line = line

    def extensions(self) -> dict[str, Any]:
        return {} if self.line is None else {"line": self.line}


class PayloadTooLarge(RegistryError):
    code = "payload_too_large"

    def __init__(self, size: int, limit: int, *, unit: str = "bytes") -> None:
        super().__init__(f"payload of {size}+ {unit} exceeds the limit of {limit} {unit}")
        self.size = size
        self.limit = limit
        self.unit = unit

    def extensions(self) -> dict[str, Any]:
        return {"limit": self.limit, "unit": self.unit}


class EventTypeNotFound(RegistryError):
    code = "event_type_not_found"

    def __init__(self, key: str) -> None:
        super().__init__(f"event type {key!r} does not exist")
        self.key = key


class EventTypeExists(RegistryError):
    code = "event_type_exists"

    def __init__(self, key: str) -> None:
        super().__init__(f"event type {key!r} already exists")
        self.key = key


class EventTypeNotDeleted(RegistryError):
    code = "event_type_not_deleted"

    def __init__(self, key: str) -> None:
        super().__init__(
            f"event type {key!r} must be soft-deleted before it can be deleted permanently"
        )
        self.key = key


class EventTypeDeleted(RegistryError):
    code = "event_type_deleted"

    def __init__(self, key: str) -> None:
        super().__init__(f"event type {key!r} is deleted; restore it before changing it")
        self.key = key


class InvalidEventTypeKey(RegistryError):
    code = "invalid_event_type_key"

    def __init__(self, key: str, reason: str, *, position: int | None = None) -> None:
        super().__init__(reason)
        self.key = key
        self.position = position

    def extensions(self) -> dict[str, Any]:
        return {} if self.position is None else {"position": self.position}


class VersionNotFound(RegistryError):
    code = "version_not_found"

    def __init__(self, key: str, version: int | str) -> None:
        super().__init__(f"event type {key!r} has no version {version}")
        self.key = key
        self.version = version


class SchemaNotFound(RegistryError):
    code = "schema_not_found"

    def __init__(self, schema_id: int) -> None:
        super().__init__(f"no schema with id {schema_id}")
        self.schema_id = schema_id


class NotEmulated(RegistryError):
    """A Yespo API path under ``/api/`` that the drop-in endpoints do not emulate (recorded)."""

    code = "not_emulated"

    def __init__(self, method: str, path: str, api: str) -> None:
        super().__init__(
            f"{method} {path}: {api} is not emulated by event-registry; the request was recorded "
            "in /inspect as 'unsupported' (see README 'Drop-in dry-run endpoints')"
        )
        self.path = path
        self.api = api

    def extensions(self) -> dict[str, Any]:
        return {"path": self.path, "yespoApi": self.api}


class ExampleNotFound(RegistryError):
    code = "example_not_found"

    def __init__(self, key: str, name: str) -> None:
        super().__init__(f"event type {key!r} has no example named {name!r}")
        self.key = key
        self.name = name


class VersionStateConflict(RegistryError):
    """A lifecycle change that would leave the event type without a usable version."""

    code = "version_state_conflict"

    def __init__(self, key: str, version: int, reason: str) -> None:
        super().__init__(f"version {version} of {key!r} cannot change state: {reason}")
        self.key = key
        self.version = version


class CatalogInvalid(RegistryError):
    """A catalog file (``schemas/<group>/<key>.json``) cannot be read as a catalog entry."""

    code = "catalog_invalid"

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"catalog file {path}: {reason}")
        self.path = path

    def extensions(self) -> dict[str, Any]:
        return {"file": self.path}


class SchemaInvalid(RegistryError):
    """The submitted schema (JSON Schema or param list) cannot be registered."""

    code = "schema_invalid"

    def __init__(self, problems: list[SchemaProblem], message: str | None = None) -> None:
        first = problems[0] if problems else None
        default = (
            f"schema is invalid: {first.message} (at {first.pointer or '/'})"
            if first
            else "schema is invalid"
        )
        super().__init__(message or default)
        self.problems = problems

    def extensions(self) -> dict[str, Any]:
        return {"errors": [msgspec.to_builtins(p) for p in self.problems]}


class SchemaRemoteRef(SchemaInvalid):
    """A ``$ref`` that is not local; the registry never fetches URLs for callers (SSRF)."""

    code = "schema_remote_ref"


class SchemaTooComplex(SchemaInvalid):
    """Nesting depth, size or a regular expression exceeds what the registry accepts."""

    code = "schema_too_complex"


class ReferenceInvalid(SchemaInvalid):
    """A declared reference names no usable registered version, or is declared twice."""

    code = "reference_invalid"


class ReferenceCycle(SchemaInvalid):
    """Following the declared references leads back to a version already on the chain."""

    code = "reference_cycle"


class ReferenceTooDeep(SchemaInvalid):
    """References of references nest deeper than ``max_reference_depth``."""

    code = "reference_too_deep"


class VersionReferenced(RegistryError):
    """A permanent delete would remove versions that other versions reference."""

    code = "version_referenced"

    def __init__(self, key: str, referrers: list[tuple[str, int]]) -> None:
        shown = ", ".join(f"{k!r} v{v}" for k, v in referrers[:5])
        more = f" and {len(referrers) - 5} more" if len(referrers) > 5 else ""
        super().__init__(
            f"event type {key!r} cannot be deleted permanently: its versions are referenced by "
            f"{shown}{more} (GET /event-types/{{key}}/versions/{{n}}/referencedby)"
        )
        self.key = key
        self.referrers = referrers

    def extensions(self) -> dict[str, Any]:
        return {"referencedBy": [{"eventTypeKey": k, "version": v} for k, v in self.referrers]}


class SchemaIncompatible(RegistryError):
    """The new schema breaks the configured compatibility level against an existing version."""

    code = "schema_incompatible"

    def __init__(self, message: str, *, findings: list[Any], conflicts_with: int | None) -> None:
        super().__init__(message)
        self.findings = findings
        self.conflicts_with = conflicts_with

    def extensions(self) -> dict[str, Any]:
        return {
            "findings": [msgspec.to_builtins(f) for f in self.findings],
            "conflictsWithVersion": self.conflicts_with,
        }


class LintFailed(RegistryError):
    """A rule the event type's ``lintBlocking`` configuration names found something."""

    code = "lint_failed"

    def __init__(self, message: str, *, findings: list[Any]) -> None:
        super().__init__(message)
        self.findings = findings

    def extensions(self) -> dict[str, Any]:
        return {"lintFindings": [msgspec.to_builtins(f) for f in self.findings]}


class ConcurrentRegistration(RegistryError):
    """The store's write lock was not granted in time (another writer held it throughout).

    Registrations of one type wait for each other (check and insert run under the lock), so
    losing a race is never an error; only a lock held beyond the store's busy timeout is.
    """

    code = "concurrent_registration"

    def __init__(self, key: str, waited_seconds: float) -> None:
        super().__init__(
            f"the registry's database stayed locked by another writer for {waited_seconds:g} s "
            f"while registering a version of {key!r}; nothing was stored, send it again"
        )
        self.key = key


class AuthenticationRequired(RegistryError):
    """No usable credentials on a request that needs a token (401)."""

    code = "authentication_required"

    def __init__(self, message: str = "this operation needs an API token") -> None:
        super().__init__(message)


class InvalidToken(AuthenticationRequired):
    """The token is unknown or revoked (401); the problem never repeats it."""

    code = "invalid_token"

    def __init__(self) -> None:
        super().__init__("the API token is not valid (unknown or revoked)")


class TokenExpired(AuthenticationRequired):
    """The token's expiry has passed (401)."""

    code = "token_expired"

    def __init__(self) -> None:
        super().__init__("the API token has expired")


class InsufficientScope(RegistryError):
    """The token is valid but its scope does not cover the operation (403)."""

    code = "insufficient_scope"

    def __init__(self, needed: str, granted: str) -> None:
        super().__init__(f"this operation needs scope {needed!r}; the token has {granted!r}")
        self.needed = needed

    def extensions(self) -> dict[str, Any]:
        return {"requiredScope": self.needed}


class TokenNotFound(RegistryError):
    code = "token_not_found"

    def __init__(self, token_id: str) -> None:
        super().__init__(f"no token with id {token_id!r}")


class HostNotAllowed(RegistryError):
    """The Host header names no host of the allow-list (DNS rebinding defence, 400)."""

    code = "host_not_allowed"

    def __init__(self) -> None:
        super().__init__(
            "the Host header is not in EVENT_REGISTRY_ALLOWED_HOSTS (set it to the names "
            "clients use to reach this registry)"
        )


class StoreBusy(RegistryError):
    """A write (other than a registration) did not get the database's write lock in time."""

    code = "store_busy"

    def __init__(self, waited_seconds: float) -> None:
        super().__init__(
            f"the registry's database stayed locked by another writer for {waited_seconds:g} s; "
            "nothing was changed, send the request again"
        )


class StoreUnavailable(RegistryError):
    """The database could not be reached, or did not answer, within the store's timeout.

    A network database (PostgreSQL) that is down, restarting or out of connections: the request
    fails fast instead of hanging, and the next one reconnects (no process restart needed).
    """

    code = "store_unavailable"

    def __init__(self, waited_seconds: float) -> None:
        super().__init__(
            f"the registry's database did not answer within {waited_seconds:g} s (down, "
            "restarting or out of connections); send the request again shortly"
        )


class StoreNotReady(RegistryError):
    """The database cannot be reached, or lacks migrations this release needs (readiness)."""

    code = "store_not_ready"


class DumpInvalid(RegistryError):
    """A file given to ``import`` is not a dump this release reads, or is inconsistent."""

    code = "dump_invalid"

    def __init__(self, reason: str) -> None:
        super().__init__(f"not a valid registry dump: {reason}")


class StoreNotEmpty(RegistryError):
    """``import`` keeps original ids, so it writes only into a database holding nothing."""

    code = "store_not_empty"

    def __init__(self) -> None:
        super().__init__(
            "the target database already holds event types, schemas, audit entries or a "
            "global config; import writes original ids only into an empty database"
        )


def problem_codes() -> frozenset[str]:
    """Every code a problem+json body can carry: each error class's, the framework's."""
    codes = set(FRAMEWORK_CODES.values()) | set(FALLBACK_CODES)
    pending: list[type[RegistryError]] = [RegistryError]
    while pending:
        cls = pending.pop()
        codes.add(cls.code)
        pending += cls.__subclasses__()
    return frozenset(codes)
