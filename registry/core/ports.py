"""The storage seam. Every store implements :class:`SchemaStore` and passes tests/contract.

Methods are keyword-only and typed with domain values. A store raises *core* errors
(``EventTypeNotFound``, ``VersionNotFound``, ...), never its driver's exceptions.

Every write method takes an optional ``audit`` entry: the store appends it to the audit trail in
the same transaction as the change (both or neither), and never removes it on a delete.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

from registry.core.audit import AuditEntry, AuditPage, AuditQuery
from registry.core.auth import TokenRecord
from registry.core.config import TypeConfig
from registry.core.dump import Records
from registry.core.inspection import (
    InspectedEvent,
    InspectionPage,
    InspectionQuery,
    InspectionSummary,
)
from registry.core.model import (
    EventType,
    EventTypeQuery,
    Example,
    Page,
    Reference,
    Schema,
    SchemaVersion,
    StoredSchema,
)

VersionCheck = Callable[[list[SchemaVersion]], None]
"""Decides, under the store's write lock, whether a candidate may follow ``versions`` (the type's
versions, oldest first); refuses by raising (SchemaIncompatible)."""


class SchemaStore(Protocol):
    def create_event_type(
        self, *, event_type: EventType, audit: AuditEntry | None = None
    ) -> EventType:
        """Insert a new event type; raises EventTypeExists if the key is taken (even if deleted)."""
        ...

    def get_event_type(self, *, key: str) -> EventType:
        """Return the event type, soft-deleted ones included; raises EventTypeNotFound."""
        ...

    def list_event_types(self, *, query: EventTypeQuery) -> Page:
        """Keyset-paginated listing ordered by key."""
        ...

    def save_event_type(
        self, *, event_type: EventType, audit: AuditEntry | None = None
    ) -> EventType:
        """Overwrite an existing event type's metadata; raises EventTypeNotFound."""
        ...

    def delete_event_type(self, *, key: str, audit: AuditEntry | None = None) -> None:
        """Remove the type and its versions for good; raises EventTypeNotFound, and
        VersionReferenced (removing nothing) while versions of other types reference it."""
        ...

    def add_version(
        self,
        *,
        key: str,
        schema: Schema,
        fingerprint: str,
        params: list[Any] | None,
        created_at: str,
        check: VersionCheck | None = None,
        audit: AuditEntry | None = None,
        references: tuple[Reference, ...] = (),
        resolved: Schema | None = None,
    ) -> tuple[SchemaVersion, bool]:
        """Atomically store the next version of ``key``; returns it and whether it is new.

        ``references`` and ``resolved`` (the self-contained form) belong to the content: they
        are stored with the schema id (``fingerprint`` already covers the references).

        One write transaction (concurrent calls wait for each other, never fail for losing a
        race): when ``key`` already has a version with ``fingerprint`` that version is returned
        with ``False`` (a type never holds the same content twice); otherwise ``check`` is
        called with the current versions and may raise to refuse, then the version takes the
        next number (and a schema id shared by identical content). A store that cannot get its
        write lock in bounded time raises ConcurrentRegistration.
        """
        ...

    def find_version(self, *, key: str, fingerprint: str) -> SchemaVersion | None:
        """The existing version of ``key`` whose schema has ``fingerprint``, if any."""
        ...

    def get_version(self, *, key: str, version: int) -> SchemaVersion:
        """Raises VersionNotFound."""
        ...

    def list_versions(self, *, key: str) -> list[SchemaVersion]:
        """All versions of ``key``, oldest first (empty if it has none)."""
        ...

    def get_schema(self, *, schema_id: int) -> StoredSchema:
        """Raises SchemaNotFound."""
        ...

    def versions_with_schema(self, *, schema_id: int) -> list[SchemaVersion]:
        """Every version (of any type, soft-deleted ones included) holding content
        ``schema_id``, ordered by key and version; empty when none does."""
        ...

    def referenced_by(self, *, key: str, version: int | None = None) -> list[SchemaVersion]:
        """Versions (of any type, ordered by key and version) whose references name ``key``
        (its version ``version``, or any of its versions with None)."""
        ...

    def set_version_state(
        self,
        *,
        key: str,
        version: int,
        state: str,
        sunset: str | None,
        note: str | None,
        audit: AuditEntry | None = None,
    ) -> SchemaVersion:
        """Change a version's lifecycle state (its schema stays immutable); VersionNotFound."""
        ...

    def get_global_config(self) -> TypeConfig:
        """The registry-wide settings (an empty TypeConfig until someone sets one)."""
        ...

    def put_global_config(
        self, *, config: TypeConfig, audit: AuditEntry | None = None
    ) -> TypeConfig: ...

    def put_example(
        self, *, key: str, example: Example, audit: AuditEntry | None = None
    ) -> Example:
        """Insert or replace the example called ``example.name``; EventTypeNotFound."""
        ...

    def list_examples(self, *, key: str) -> list[Example]:
        """Examples of ``key`` ordered by name; EventTypeNotFound."""
        ...

    def delete_example(self, *, key: str, name: str, audit: AuditEntry | None = None) -> None:
        """Raises ExampleNotFound."""
        ...

    def list_audit(self, *, query: AuditQuery) -> AuditPage:
        """Audit entries matching ``query``, oldest first; ``next_cursor`` when more match."""
        ...

    def last_audit_id(self) -> int:
        """The id of the newest audit entry (0 when there is none)."""
        ...

    def record_once(self, *, audit: AuditEntry) -> bool:
        """Append ``audit`` unless an entry with the same action, key, version and changes
        exists (checked in the same transaction); returns whether it was appended."""
        ...

    def purge_audit(self, *, before: str, audit: AuditEntry | None = None) -> int:
        """Delete audit entries older than ``before``; returns how many."""
        ...

    def sunsets_due(self, *, before: str) -> list[SchemaVersion]:
        """Deprecated versions of live types whose sunset date is earlier than ``before``."""
        ...

    def all_keys(self) -> list[str]:
        """Keys of every event type that is not soft-deleted (for did-you-mean)."""
        ...

    def change_token(self) -> int:
        """A cheap number that changes whenever any writer (this process or another) commits.

        The service keeps its read caches only while the token is unchanged. It is read on the
        event loop for every /validate and /health, so it must never wait for a writer.
        """
        ...

    def export_records(self) -> Records:
        """Everything the store holds (core/dump.py), read as one consistent snapshot."""
        ...

    def import_records(self, *, records: Records) -> None:
        """Write ``records`` (already checked by ``core.dump.check_records``) with their
        original ids, in one transaction, into a store holding no event type, schema, audit
        entry or global config (else StoreNotEmpty, nothing written); afterwards new schema
        ids and audit ids continue after the highest imported one."""
        ...

    def pending_migrations(self) -> list[str]:
        """Names of the migrations the database lacks (empty: ready). A round trip to the
        database: what ``/health/ready`` asks; raises when the database cannot be reached."""
        ...

    def close(self) -> None: ...


class InspectionLog(Protocol):
    """Where the dry-run endpoints record what they received (tests/contract/test_inspection.py).

    Each write is committed before the method returns, so a caller that got its HTTP answer can
    query the entries at once.
    """

    def record(
        self, *, entries: list[InspectedEvent], contacts: list[list[str]] | None = None
    ) -> list[InspectedEvent]:
        """Store the entries in one transaction; returns them with their ids (ascending).

        ``contacts[i]`` are the keyed hashes of the contact identifiers of ``entries[i]``: never
        shown, only matched by :meth:`delete_contact`.
        """
        ...

    def secret(self) -> bytes:
        """A random key, the same for every process on this log, for contact hashes."""
        ...

    def delete_contact(self, *, contact: str) -> int:
        """Delete every entry recorded with the contact hash ``contact``; returns how many."""
        ...

    def query(self, *, query: InspectionQuery) -> InspectionPage:
        """Newest first; ``next_cursor`` is set when more entries match."""
        ...

    def summary(self, *, run_id: str | None, recorded_by: str | None = None) -> InspectionSummary:
        """Counts by event type, code and param over one run (or everything); with
        ``recorded_by`` over what that token recorded only."""
        ...

    def delete(self, *, run_id: str | None, recorded_by: str | None = None) -> int:
        """Delete one run's entries, or all with ``run_id=None`` (with ``recorded_by``: of
        that token only); returns how many."""
        ...

    def purge(self, *, received_before: str, keep_newest: int) -> int:
        """Delete entries older than ``received_before`` and beyond the newest ``keep_newest``."""
        ...

    def count(self) -> int:
        """How many entries the log holds (the ``event_registry_inspection_log_events`` gauge)."""
        ...

    def close(self) -> None: ...


@runtime_checkable
class RepresentationClock(Protocol):
    """When each served representation last changed: the ``Last-Modified`` of conditional GETs.

    A store may implement it next to :class:`SchemaStore` (same database, shared by workers);
    otherwise the app keeps the times in memory. Tested by tests/contract/test_representations.py.
    """

    def modified(self, *, url: str, etag: str, now: str) -> str:
        """The stored time while ``etag`` is the one recorded for ``url``; a different ``etag``
        records ``max(now, stored time)`` (so the time never moves backwards) and returns it.
        ``now`` and the result are UTC ISO 8601 strings (``core.model.utc_now``)."""
        ...


class TokenStore(Protocol):
    """Where API tokens live, by the hash of their secret (tests/contract/test_tokens.py).

    A write is committed before the method returns, so every other process sharing the store
    sees it on its next read.
    """

    def add(self, *, token: TokenRecord, audit: AuditEntry | None = None) -> TokenRecord:
        """Store a new token (its id and secret hash are unique) and append ``audit`` to the
        registry's audit trail in the same transaction."""
        ...

    def find(self, *, secret_hash: str) -> TokenRecord | None:
        """The token with this secret hash, revoked and expired ones included."""
        ...

    def get(self, *, token_id: str) -> TokenRecord:
        """Raises TokenNotFound."""
        ...

    def list(self) -> list[TokenRecord]:
        """Every token (revoked ones included), oldest first."""
        ...

    def revoke(self, *, token_id: str, at: str, audit: AuditEntry | None = None) -> TokenRecord:
        """Mark revoked (once: a second revoke keeps the first time, and appends no ``audit``);
        raises TokenNotFound."""
        ...

    def touch(self, *, token_id: str, at: str) -> None:
        """Record a use (``last_used_at``); a missing token is ignored."""
        ...

    def close(self) -> None: ...
