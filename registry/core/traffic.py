"""The observed-traffic report of one event type, from its recorded events (pure).

For each param: the JSON type distribution, the presence rate, the most frequent values (masked
ones never shown), first and last seen; the same split by client format (``v1``, ``v2``,
``mobile``, ``tracker``, ``orders``, ``validate``...) and by user-agent family. Drift flags:

* ``type_mix_changed``: the set of JSON types a param arrives with differs between the older
  and the newer half of the events (a client started sending ``"5"`` instead of ``5``);
* ``missing_on_client``: a param present in some events of one client (format or user-agent
  family) and in none of another client's, when that client sent at least
  :data:`MIN_EVENTS_FOR_GAP` events of the type.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import msgspec

from registry.core import orders, tracker
from registry.core.infer import params_of
from registry.core.inspection import MASK, InspectedEvent
from registry.core.validation.codes import json_type

__all__ = ["ParamTraffic", "TrafficReport", "entry_params", "report", "user_agent_family"]

NOT_EVENTS = frozenset({"client_log", "unsupported"})
"""Recorded formats that carry no event."""

TOP_VALUES = 5
MIN_EVENTS_FOR_GAP = 3
_VALUE_CHARS = 80
USER_AGENT_FAMILIES: tuple[tuple[str, str], ...] = (
    ("reteno", "mobile-sdk"),
    ("okhttp", "android"),
    ("dalvik", "android"),
    ("android", "android"),
    ("cfnetwork", "ios"),
    ("darwin", "ios"),
    ("iphone", "ios"),
    ("guzzlehttp", "php"),
    ("php", "php"),
    ("wordpress", "php"),
    ("python", "python"),
    ("httpx", "python"),
    ("node", "node"),
    ("axios", "node"),
    ("go-http-client", "go"),
    ("java", "java"),
    ("curl", "curl"),
    ("mozilla", "browser"),
)
"""(case-folded substring, family), first match wins; no user agent is ``unknown``."""


def entry_params(entry: InspectedEvent) -> dict[str, Any] | None:
    """The params object one recorded entry carried (masked as stored), or ``None``.

    A tracker body and an Orders API order are params themselves; every other format stored
    the event as its client sent it.
    """
    if entry.format in NOT_EVENTS:
        return None
    payload = entry.payload
    if entry.format == "tracker":
        event, _ = tracker.as_event(payload)
        return params_of(event) if event is not None else None
    if entry.format == "orders":
        return params_of(orders.as_event(payload)) if isinstance(payload, dict) else None
    return params_of(payload)


def user_agent_family(user_agent: str | None) -> str:
    """``android``, ``ios``, ``browser``, ``php``... (``other`` when nothing matches)."""
    if not user_agent:
        return "unknown"
    folded = user_agent.casefold()
    return next((family for needle, family in USER_AGENT_FAMILIES if needle in folded), "other")


class Split(msgspec.Struct, frozen=True, rename="camel"):
    events: int
    present: int
    types: dict[str, int]


class ParamTraffic(msgspec.Struct, frozen=True, rename="camel"):
    name: str
    present: int
    presence: float
    """Percentage of the type's events carrying the param."""
    types: dict[str, int]
    top_values: list[tuple[str, int]]
    """Up to five ``(value as JSON text, count)``, most frequent first; masked values left out."""
    masked: int
    first_seen: str
    last_seen: str
    by_format: dict[str, Split]
    by_user_agent: dict[str, Split]
    drift: list[str]


class TrafficReport(msgspec.Struct, frozen=True, rename="camel"):
    event_type_key: str
    events: int
    first_seen: str | None
    last_seen: str | None
    formats: dict[str, int]
    user_agents: dict[str, int]
    params: list[ParamTraffic]


def report(key: str, entries: Sequence[InspectedEvent]) -> TrafficReport:
    """The report over ``entries`` (any order; those without params are skipped)."""
    events = [
        (e.received_at, e.format, user_agent_family(e.user_agent), p)
        for e in sorted(entries, key=lambda e: (e.received_at, e.id))
        if (p := entry_params(e)) is not None
    ]
    seen: dict[str, list[tuple[str, str, str, Any]]] = {}  # (received_at, format, family, value)
    for at, fmt, family, params in events:
        for name, value in params.items():
            seen.setdefault(name, []).append((at, fmt, family, value))
    formats = Counter(fmt for _, fmt, _, _ in events)
    families = Counter(family for _, _, family, _ in events)
    middle = events[len(events) // 2][0] if events else ""
    return TrafficReport(
        event_type_key=key,
        events=len(events),
        first_seen=events[0][0] if events else None,
        last_seen=events[-1][0] if events else None,
        formats=dict(formats),
        user_agents=dict(families),
        params=[
            _param(name, rows, len(events), formats, families, middle)
            for name, rows in seen.items()
        ],
    )


def _splits(
    rows: list[tuple[str, str, str, Any]], at: int, totals: Counter[str]
) -> dict[str, Split]:
    splits: dict[str, Split] = {}
    for client, events in totals.items():
        mine = [r for r in rows if r[at] == client]
        types = Counter(json_type(r[3]) for r in mine)
        splits[client] = Split(events=events, present=len(mine), types=dict(sorted(types.items())))
    return splits


def _drift(
    rows: list[tuple[str, str, str, Any]], middle: str, splits: list[dict[str, Split]]
) -> list[str]:
    flags = []
    older = {json_type(r[3]) for r in rows if r[0] < middle}
    newer = {json_type(r[3]) for r in rows if r[0] >= middle}
    if older and newer and older != newer:
        flags.append("type_mix_changed")
    for split in splits:
        if any(s.present for s in split.values()) and any(
            s.present == 0 and s.events >= MIN_EVENTS_FOR_GAP for s in split.values()
        ):
            flags.append("missing_on_client")
            break
    return flags


def _param(
    name: str,
    rows: list[tuple[str, str, str, Any]],
    total: int,
    formats: Counter[str],
    families: Counter[str],
    middle: str,
) -> ParamTraffic:
    values = Counter(
        msgspec.json.encode(r[3]).decode()[:_VALUE_CHARS] for r in rows if r[3] != MASK
    )
    by_format, by_agent = _splits(rows, 1, formats), _splits(rows, 2, families)
    return ParamTraffic(
        name=name,
        present=len(rows),
        presence=round(100 * len(rows) / total, 1) if total else 0.0,
        types=dict(sorted(Counter(json_type(r[3]) for r in rows).items())),
        top_values=values.most_common(TOP_VALUES),
        masked=sum(r[3] == MASK for r in rows),
        first_seen=rows[0][0],
        last_seen=rows[-1][0],
        by_format=by_format,
        by_user_agent=by_agent,
        drift=_drift(rows, middle, [by_format, by_agent]),
    )
