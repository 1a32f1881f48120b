"""The audit trail's values and pure rules: who changed what, from where; the change feed.

Every state change the :class:`~registry.core.service.RegistryService` makes is described by one
:class:`AuditEntry` that the store appends *in the same transaction* as the change, so the trail
never misses a change and never records one that did not happen. Entries are never removed by
anything but an explicit purge (``DELETE /audit?before=...``), not even by a permanent delete of
the event type they describe.

``changes`` holds every field that moved, as ``{field: [before, after]}``: a version's schema
fingerprint and state, an event type's metadata, a config member. The change feed
(``GET /changes``, webhooks) is the subset of entries in :data:`FEED_TYPES`.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from typing import Any, Literal

import msgspec

from registry.core.errors import InvalidRequest

Action = Literal[
    "event_type.create",
    "event_type.update",
    "event_type.delete",
    "event_type.restore",
    "event_type.purge",
    "version.register",
    "version.state",
    "version.sunset",
    "config.global",
    "config.type",
    "example.put",
    "example.delete",
    "audit.purge",
    "token.create",
    "token.revoke",
]
ANONYMOUS = "anonymous"
MAX_PAGE = 500


class Actor(msgspec.Struct, frozen=True):
    """Who made a change: a token's name (or ``anonymous``) and the client address."""

    name: str
    address: str = ""


SYSTEM = Actor("system")
"""Changes the registry makes itself: catalog seeding, offline plans, sunset announcements."""


class AuditEntry(msgspec.Struct, frozen=True, kw_only=True, rename="camel"):
    """One state change. ``id`` is assigned by the store (0 before it is stored)."""

    id: int = 0
    at: str
    actor: str
    address: str = ""
    action: str
    key: str | None = None
    version: int | None = None
    name: str | None = None
    """The example's name for ``example.*`` actions; the token's id for ``token.*``."""
    changes: dict[str, list[Any]] = {}
    """``{field: [before, after]}`` for every field that changed."""


class AuditQuery(msgspec.Struct, frozen=True, kw_only=True):
    """Filters and keyset pagination (oldest first, by id)."""

    key: str | None = None
    actor: str | None = None
    since: str | None = None
    until: str | None = None
    actions: tuple[str, ...] | None = None
    after_id: int | None = None
    limit: int = 50


class AuditPage(msgspec.Struct, frozen=True, rename="camel"):
    items: list[AuditEntry]
    next_cursor: str | None


def entry(
    actor: Actor,
    action: Action,
    *,
    at: str,
    key: str | None = None,
    version: int | None = None,
    name: str | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """An entry whose ``changes`` are the fields that differ between ``before`` and ``after``."""
    return AuditEntry(
        at=at,
        actor=actor.name,
        address=actor.address,
        action=action,
        key=key,
        version=version,
        name=name,
        changes=diff(before or {}, after or {}),
    )


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for each field whose value differs (a missing one is None)."""
    fields = dict.fromkeys([*before, *after])
    return {f: [before.get(f), after.get(f)] for f in fields if before.get(f) != after.get(f)}


def matches(item: AuditEntry, query: AuditQuery) -> bool:
    """The filter semantics every store implements (the memory store uses it directly)."""
    checks = (
        query.key is None or item.key == query.key,
        query.actor is None or item.actor == query.actor,
        query.since is None or item.at >= query.since,
        query.until is None or item.at < query.until,
        query.actions is None or item.action in query.actions,
        query.after_id is None or item.id > query.after_id,
    )
    return all(checks)


def page(items: list[AuditEntry], limit: int) -> AuditPage:
    """The first ``limit`` of ``items`` (fetched ``limit + 1``) and the cursor of the next page."""
    shown = items[:limit]
    more = len(items) > limit and bool(shown)
    return AuditPage(items=shown, next_cursor=str(shown[-1].id) if more else None)


def parse_cursor(cursor: str | None, pointer: str = "cursor") -> int | None:
    """The id a ``nextCursor`` (or an SSE ``Last-Event-ID``) names; InvalidRequest otherwise."""
    if cursor is None or cursor == "":
        return None
    if cursor.isascii() and cursor.isdigit() and len(cursor) <= 18:
        return int(cursor)
    raise InvalidRequest(f"cursor {cursor!r} is not a cursor this API returned", pointer=pointer)


# -- the change feed -------------------------------------------------------------------------

FEED_TYPES: dict[str, str] = {
    "version.register": "register",
    "version.sunset": "sunset",
    "event_type.delete": "delete",
    "event_type.purge": "delete",
}
"""Audit actions that are feed events, by feed type. ``version.state`` maps by its new state."""
STATE_FEED_TYPES = {"deprecated": "deprecate", "disabled": "disable", "active": "activate"}
FEED_ACTIONS = (*FEED_TYPES, "version.state")


class Change(msgspec.Struct, frozen=True, kw_only=True, rename="camel"):
    """One change-feed event: an audit entry with the kind of change SDK teams care about."""

    id: int
    type: str
    """``register``, ``deprecate``, ``disable``, ``activate``, ``sunset`` or ``delete``."""
    at: str
    actor: str
    key: str | None
    version: int | None
    changes: dict[str, list[Any]]


class ChangePage(msgspec.Struct, frozen=True, rename="camel"):
    items: list[Change]
    next_cursor: str | None
    """Pass as ``after`` to get what happened next (set even when nothing more is there yet)."""


def feed_type(item: AuditEntry) -> str | None:
    """The feed type of an audit entry, or None when the entry is not a feed event."""
    if item.action == "version.state":
        state = item.changes.get("state", [None, None])[1]
        return STATE_FEED_TYPES.get(state) if isinstance(state, str) else None
    return FEED_TYPES.get(item.action)


def changes_of(items: Iterable[AuditEntry]) -> list[Change]:
    return [
        Change(
            id=i.id,
            type=t,
            at=i.at,
            actor=i.actor,
            key=i.key,
            version=i.version,
            changes=i.changes,
        )
        for i in items
        if (t := feed_type(i)) is not None
    ]


# -- who is asking ---------------------------------------------------------------------------


def parse_proxies(text: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """``"10.0.0.1, 192.168.0.0/16"`` -> networks; ValueError names a bad entry."""
    networks = []
    for part in (p.strip() for p in text.split(",")):
        if part:
            networks.append(ipaddress.ip_network(part, strict=False))
    return tuple(networks)


def _trusted(address: str, proxies: tuple[Any, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in proxies)


def client_address(peer: str, forwarded_for: str | None, proxies: tuple[Any, ...]) -> str:
    """The address a change came from: the peer, unless the peer is a trusted proxy.

    Behind trusted proxies the ``X-Forwarded-For`` chain is read from the right (each proxy
    appends the address it saw); the first address that is not itself a trusted proxy is the
    client. An untrusted peer's ``X-Forwarded-For`` is ignored: anybody can send one.
    """
    if not forwarded_for or not _trusted(peer, proxies):
        return peer
    hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, proxies):
            return hop[:100]
    return hops[0][:100] if hops else peer


def actor_name(principal: object) -> str:
    """The name of the authenticated principal (``registry_principal``), or ``anonymous``."""
    name = getattr(principal, "name", None)
    return name if isinstance(name, str) and name else ANONYMOUS


# -- what is compared ------------------------------------------------------------------------


def type_fields(event_type: Any) -> dict[str, Any]:
    """An event type's audited fields (metadata and whether it is soft-deleted)."""
    return {
        "description": event_type.description,
        "owner": event_type.owner,
        "tags": list(event_type.tags),
        "deleted": event_type.deleted,
    }


def version_fields(version: Any) -> dict[str, Any]:
    """A version's audited fields: its schema fingerprint and lifecycle."""
    return {
        "fingerprint": version.fingerprint,
        "state": version.state,
        "sunset": version.sunset,
        "note": version.note,
    }


def config_fields(config: Any) -> dict[str, Any]:
    """A TypeConfig's members as set (unset ones left out), by wire name."""
    return dict(msgspec.to_builtins(config))


def example_fields(example: Any, fingerprint: str) -> dict[str, Any]:
    return {
        "fingerprint": fingerprint,
        "expectValid": example.expect_valid,
        "description": example.description,
    }
