"""Which scope each operation needs: one table, plus prefix rules and escalations.

Every route of the app must resolve to a scope here (``tests/api/test_access_table.py`` walks
the route table and fails on a route that does not); at run time an undeclared route needs
``admin`` (fail closed). ``None`` means public: no token needed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from registry.core.auth import Scope

PUBLIC = None

OPERATIONS: dict[str, Scope | None] = {
    "health": PUBLIC,
    "healthLive": PUBLIC,  # probes: a load balancer or kubelet holds no token
    "healthReady": PUBLIC,
    # the web UI's page and files (registry/api/ui.py): no data in them; the page then sends
    # the user's token as Bearer to the operations below
    "uiPage": PUBLIC,
    "uiAsset": PUBLIC,
    # read: GETs, the bundle, codegen's sources, pure compatibility checks
    "listEventTypes": "read",
    "getEventType": "read",
    "listVersions": "read",
    "getVersion": "read",
    "getVersionSchema": "read",
    "getVersionReferencedBy": "read",
    "getSchemaById": "read",
    "getSchemaDocumentById": "read",
    "getBundle": "read",
    "getGlobalConfig": "read",
    "getEventTypeConfig": "read",
    "diffVersions": "read",
    "listExamples": "read",
    "checkCompatibility": "read",
    "checkCompatibilityWithVersion": "read",
    # the change feed: what SDK teams and CI follow instead of polling the bundle
    "listChanges": "read",
    "streamChanges": "read",
    # validate: validation and the inspection of one's own runs
    "validateEvent": "validate",
    "validateBatch": "validate",
    "listInspectedEvents": "validate",
    "inspectionSummary": "validate",
    "resetInspectedEvents": "validate",
    # learning: infer from samples or from one's own recorded runs (admin: every run, as
    # /inspect); lint is pure advice over a submitted schema
    "inferSchema": "validate",
    "trafficReport": "validate",
    "lintSchema": "read",
    # write: types, versions, examples, per-type config, lifecycle
    "createEventType": "write",
    "updateEventType": "write",
    "deleteEventType": "write",
    "restoreEventType": "write",
    "registerVersion": "write",
    "setVersionState": "write",
    "setEventTypeConfig": "write",
    "deleteEventTypeConfig": "write",
    "putExample": "write",
    "deleteExample": "write",
    # /ccompat/v7 (Confluent-compatible): reads and compatibility tests read, writes write,
    # permanent deletes admin (escalation below), the global config admin as natively
    "ccompatListSubjects": "read",
    "ccompatLookupSchema": "read",
    "ccompatListVersions": "read",
    "ccompatGetVersion": "read",
    "ccompatGetVersionSchema": "read",
    "ccompatReferencedBy": "read",
    "ccompatGetSchemaById": "read",
    "ccompatGetSchemaDocumentById": "read",
    "ccompatGetSchemaSubjects": "read",
    "ccompatGetSchemaVersions": "read",
    "ccompatGetSchemaTypes": "read",
    "ccompatGetServerVersion": "read",
    "ccompatGetGlobalConfig": "read",
    "ccompatGetSubjectConfig": "read",
    "ccompatGetGlobalMode": "read",
    "ccompatGetSubjectMode": "read",
    "ccompatTestCompatibility": "read",
    "ccompatTestCompatibilityWithVersion": "read",
    "ccompatNotServed": "read",
    "ccompatRegister": "write",
    "ccompatDeleteSubject": "write",
    "ccompatDeleteVersion": "write",
    "ccompatSetSubjectConfig": "write",
    "ccompatDeleteSubjectConfig": "write",
    "ccompatSetSubjectMode": "write",
    "ccompatSetGlobalMode": "admin",
    # admin: tokens, permanent delete (escalation below), global config
    "setGlobalConfig": "admin",
    "ccompatSetGlobalConfig": "admin",
    "ccompatDeleteGlobalConfig": "admin",
    "createToken": "admin",
    "listTokens": "admin",
    "revokeToken": "admin",
}

PREFIXES: tuple[tuple[str, Scope | None], ...] = (
    ("/api/", "validate"),  # Yespo drop-in endpoints, present and future
    ("/tracker/", "validate"),  # the web-tracking API on its own host's path
    ("/run/", "validate"),  # the drop-in endpoints again under /run/<id>/
    ("/schema/", PUBLIC),  # the OpenAPI document and its viewers
    ("/schema-assets/", PUBLIC),  # the viewers' static files
    ("/audit", "admin"),
    ("/metrics", "admin"),
)
"""Path prefixes whose routes need no entry in :data:`OPERATIONS` (the first match wins)."""


def _permanent_delete(query: Mapping[str, str]) -> Scope | None:
    return "admin" if query.get("permanent", "").lower() in ("true", "1") else None


def _contact_erasure(query: Mapping[str, str]) -> Scope | None:
    return "admin" if "contact" in query else None


ESCALATIONS: dict[str, Callable[[Mapping[str, str]], Scope | None]] = {
    "deleteEventType": _permanent_delete,
    "ccompatDeleteSubject": _permanent_delete,
    "ccompatDeleteVersion": _permanent_delete,
    "resetInspectedEvents": _contact_erasure,
}
"""Operations whose query can demand a larger scope than the table's."""


def declared_scope(method: str, path: str, operation_id: str | None) -> tuple[bool, Scope | None]:
    """``(declared, scope)`` of a route; OPTIONS (CORS preflight) is always public."""
    if method == "OPTIONS":
        return True, PUBLIC
    if operation_id is not None and operation_id in OPERATIONS:
        return True, OPERATIONS[operation_id]
    for prefix, scope in PREFIXES:
        if path == prefix.rstrip("/") or path.startswith(prefix):
            return True, scope
    return False, "admin"


def required_scope(
    method: str, path: str, operation_id: str | None, query: Mapping[str, str]
) -> Scope | None:
    """The scope one request needs (``None``: public)."""
    _, scope = declared_scope(method, path, operation_id)
    escalate = ESCALATIONS.get(operation_id or "")
    if escalate is not None:
        return escalate(query) or scope
    return scope
