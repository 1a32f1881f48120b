"""The inspection log's values and its pure rules: masking, cursors, retention cut-offs.

Every event received on the dry-run endpoints (and on ``/validate`` when asked) becomes one
:class:`InspectedEvent`: the payload as received (masked), the registry's report, the envelope
format, the time, the run id. Batches become one entry per inner event sharing a ``request_id``.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import hashlib
import hmac
import re
from collections.abc import Iterable
from typing import Any

import msgspec

from registry.core.errors import InvalidRequest
from registry.core.model import format_instant
from registry.core.validation.envelope import CONTACT_IDENTIFIERS

MASK = "***"
DEFAULT_MASK_FIELDS = (
    "keyValue",
    *CONTACT_IDENTIFIERS,
    "contactJson",
    "user_email",
    "user_phone",
)
"""``keyValue``, every contact-identifier alias the envelope accepts, ``contactJson``, and the
tracker's ``user_email`` / ``user_phone``."""
DEFAULT_MASK_PATTERNS = ("*password*", "*secret*")
MAX_RUN_ID = 200
MAX_USER_AGENT = 300
_JSON_OPENERS = ("{", "[")


class InspectedEvent(msgspec.Struct, frozen=True, kw_only=True, rename="camel"):
    """One recorded event. ``id`` is assigned by the log (0 before it is stored)."""

    id: int = 0
    received_at: str
    run_id: str | None = None
    format: str
    request_id: str
    index: int = 0
    event_type_key: str | None = None
    valid: bool
    http_status: int | None = None
    """What the dry-run endpoint answered (``None`` for ``/validate``)."""
    status: str | None = None
    """Yespo's per-event status for past events (``ACCEPTED``, ``OCCURRED_TIME_IN_FUTURE``...)."""
    payload: Any
    report: dict[str, Any]
    """The :class:`~registry.core.report.Report` as JSON builtins (masked)."""
    recorded_by: str | None = None
    """The id of the API token that sent the event (``None`` with auth off)."""
    user_agent: str | None = None
    """The request's ``User-Agent`` (at most 300 characters), for the traffic report."""

    def violations(self) -> list[dict[str, Any]]:
        """Errors then warnings of the stored report."""
        return [*self.report.get("errors", []), *self.report.get("warnings", [])]


class InspectionQuery(msgspec.Struct, frozen=True, kw_only=True):
    """Filters and keyset pagination (newest first, by id)."""

    run_id: str | None = None
    event_type_key: str | None = None
    valid: bool | None = None
    code: str | None = None
    since: str | None = None
    before_id: int | None = None
    limit: int = 50
    recorded_by: str | None = None


class InspectionPage(msgspec.Struct, frozen=True, rename="camel"):
    items: list[InspectedEvent]
    next_cursor: str | None


class TypeCount(msgspec.Struct, frozen=True, rename="camel"):
    total: int
    invalid: int
    last_seen: str


class CodeCount(msgspec.Struct, frozen=True, rename="camel"):
    events: int
    """Distinct recorded events with at least one violation of this code."""
    sample_event_id: int
    sample_payload: Any
    """The newest payload with this code (masked as stored)."""


class InspectionSummary(msgspec.Struct, frozen=True, rename="camel"):
    run_id: str | None
    total: int
    valid: int
    invalid: int
    last_seen: str | None
    by_event_type: dict[str, TypeCount]
    """Key ``""`` collects events without a usable eventTypeKey."""
    by_code: dict[str, CodeCount]
    by_param: dict[str, int]
    """Violations per param name."""


class RetentionPolicy(msgspec.Struct, frozen=True):
    max_age_days: int = 730
    max_events: int = 1_000_000


def cutoff(now: str, policy: RetentionPolicy) -> str:
    """The ``received_at`` before which entries are too old to keep (same ISO format)."""
    return format_instant(parse_instant(now) - dt.timedelta(days=policy.max_age_days))


def parse_instant(text: str) -> dt.datetime:
    """An ISO 8601 instant (``Z`` or offset; a naive one is taken as UTC) or InvalidRequest."""
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidRequest(f"not an ISO 8601 date-time: {text!r}", pointer="since") from None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def normalise_since(text: str | None) -> str | None:
    """``since`` as the stored format (UTC, milliseconds, ``Z``) so strings compare in order."""
    if text is None:
        return None
    return format_instant(parse_instant(text))


def parse_cursor(cursor: str | None) -> int | None:
    """The id a ``nextCursor`` names; InvalidRequest for anything else."""
    if cursor is None:
        return None
    if cursor.isascii() and cursor.isdigit() and len(cursor) <= 19 and int(cursor) < 2**63:
        return int(cursor)
    raise InvalidRequest(
        f"cursor {cursor[:40]!r} is not a cursor this API returned", pointer="cursor"
    )


def check_run_id(run_id: str | None) -> str | None:
    """An optional run id: 1..200 printable characters."""
    if run_id is None or run_id == "":
        return None
    if len(run_id) > MAX_RUN_ID or not run_id.isprintable():
        raise InvalidRequest(f"a run id has 1..{MAX_RUN_ID} printable characters", pointer="runId")
    return run_id


def parse_mask_fields(text: str) -> frozenset[str]:
    """``"email, Phone"`` -> the case-folded names to mask."""
    return frozenset(part.strip().casefold() for part in text.split(",") if part.strip())


def parse_mask_patterns(text: str) -> tuple[str, ...]:
    """``"*secret*, x-pii-*"`` -> the case-folded glob patterns of names to mask."""
    return tuple(part.strip().casefold() for part in text.split(",") if part.strip())


class Masker:
    """Replaces values of sensitive fields by ``"***"`` before anything is stored.

    A field is masked when its name (case-insensitive) is in the list or matches one of the glob
    ``patterns`` (``*secret*``), wherever it appears: an object member at any depth, or a
    ``{"name": ..., "value": ...}`` param entry (list form). JSON text inside strings (v1
    escaped values) is parsed, masked and re-encoded. Every masked string value is also
    scrubbed from the report (messages quote offending values).
    """

    def __init__(self, fields: Iterable[str], patterns: Iterable[str] = ()) -> None:
        self.fields = frozenset(f.casefold() for f in fields)
        globs = [fnmatch.translate(p.casefold()) for p in patterns]
        self._pattern = re.compile("|".join(globs)) if globs else None

    def mask(self, payload: Any) -> tuple[Any, set[str]]:
        """``(masked copy, the string values that were hidden)``; the input is untouched."""
        hidden: set[str] = set()
        return self._walk(payload, hidden), hidden

    def also(self, fields: frozenset[str]) -> Masker:
        """This masker plus ``fields`` (a schema's ``x-pii`` params); itself when none are new."""
        extra = frozenset(f.casefold() for f in fields) - self.fields
        if not extra:
            return self
        wider = Masker(self.fields | extra)
        wider._pattern = self._pattern
        return wider

    def _walk(self, node: Any, hidden: set[str]) -> Any:
        if isinstance(node, dict):
            if (
                isinstance(node.get("name"), str)
                and "value" in node
                and self._sensitive(node["name"])
            ):
                return {**node, "value": self._hide(node["value"], hidden)}
            return {
                k: self._hide(v, hidden) if self._sensitive(k) else self._walk(v, hidden)
                for k, v in node.items()
            }
        if isinstance(node, list):
            return [self._walk(item, hidden) for item in node]
        if isinstance(node, str) and node.lstrip()[:1] in _JSON_OPENERS and self._any:
            return self._inside_json_text(node, hidden)
        return node

    def _inside_json_text(self, text: str, hidden: set[str]) -> str:
        try:
            decoded = msgspec.json.decode(text)
        except msgspec.DecodeError:
            return text
        before = len(hidden)
        masked = self._walk(decoded, hidden)
        return (
            text
            if len(hidden) == before and masked == decoded
            else msgspec.json.encode(masked).decode()
        )

    @property
    def _any(self) -> bool:
        return bool(self.fields) or self._pattern is not None

    def _sensitive(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        folded = name.casefold()
        if folded in self.fields:
            return True
        return self._pattern is not None and self._pattern.match(folded) is not None

    def _hide(self, value: Any, hidden: set[str]) -> Any:
        if value is None:
            return None
        _collect_strings(value, hidden)
        return MASK

    def scrub(self, document: Any, hidden: set[str]) -> Any:
        """A copy of ``document`` (JSON builtins) with every hidden string replaced by ``***``."""
        variants = {v for s in hidden if len(s) >= 3 for v in _quoted_forms(s)}
        secrets = sorted(variants, key=len, reverse=True)
        if not secrets:
            return document
        return _replace_strings(document, secrets)


_CONTACT_NAMES = frozenset(n.casefold() for n in ("keyValue", *CONTACT_IDENTIFIERS))


def contact_values(payload: Any) -> set[str]:
    """The normalised (trimmed, case-folded) contact identifiers anywhere in ``payload``:
    ``keyValue`` and every contact alias, as members or as ``{"name", "value"}`` params."""
    found: set[str] = set()
    _contacts(payload, found, depth=0)
    return found


def _contacts(node: Any, found: set[str], depth: int) -> None:
    if depth > 64:
        return
    if isinstance(node, dict):
        name = node.get("name")
        if isinstance(name, str) and name.casefold() in _CONTACT_NAMES and "value" in node:
            _add_contact(node["value"], found)
        for key, value in node.items():
            if key.casefold() in _CONTACT_NAMES:
                _add_contact(value, found)
            else:
                _contacts(value, found, depth + 1)
    elif isinstance(node, list):
        for item in node:
            _contacts(item, found, depth + 1)


def _add_contact(value: Any, found: set[str]) -> None:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return
    text = normalise_contact(str(value))
    if text and text != "null":
        found.add(text)


def normalise_contact(value: str) -> str:
    """How a contact identifier is compared: trimmed and case-folded."""
    return value.strip().casefold()


def contact_hash(secret: bytes, value: str) -> str:
    """The keyed hash stored beside an event so it can be erased by its contact."""
    digest = hmac.new(secret, normalise_contact(value).encode(), hashlib.sha256).hexdigest()
    return "hmac-sha256:" + digest


def _quoted_forms(secret: str) -> set[str]:
    """The secret, its JSON-escaped form, and the prefix a 60-character message excerpt keeps."""
    encoded = msgspec.json.encode(secret).decode()
    forms = {secret, encoded[1:-1]}
    if len(encoded) > 60:
        forms.add(encoded[1:59])
    return forms


def _collect_strings(value: Any, into: set[str]) -> None:
    if isinstance(value, str):
        into.add(value)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        into.add(str(value))
    elif isinstance(value, dict):
        for item in value.values():
            _collect_strings(item, into)
    elif isinstance(value, list):
        for item in value:
            _collect_strings(item, into)


def _replace_strings(node: Any, secrets: list[str]) -> Any:
    if isinstance(node, str):
        for secret in secrets:
            if secret in node:
                node = node.replace(secret, MASK)
        return node
    if isinstance(node, dict):
        return {k: _replace_strings(v, secrets) for k, v in node.items()}
    if isinstance(node, list):
        return [_replace_strings(v, secrets) for v in node]
    if isinstance(node, int | float) and not isinstance(node, bool) and str(node) in secrets:
        return MASK
    return node


def matches(entry: InspectedEvent, query: InspectionQuery) -> bool:
    """The filter semantics every InspectionLog implements (the memory log uses it directly)."""
    checks = (
        query.run_id is None or entry.run_id == query.run_id,
        query.event_type_key is None or entry.event_type_key == query.event_type_key,
        query.valid is None or entry.valid == query.valid,
        query.since is None or entry.received_at >= query.since,
        query.before_id is None or entry.id < query.before_id,
        query.recorded_by is None or entry.recorded_by == query.recorded_by,
        query.code is None or any(v.get("code") == query.code for v in entry.violations()),
    )
    return all(checks)


def summarise(entries: Iterable[InspectedEvent], run_id: str | None) -> InspectionSummary:
    """The summary over ``entries`` given newest first (reference for the SQL version)."""
    types: dict[str, TypeCount] = {}
    codes: dict[str, CodeCount] = {}
    params: dict[str, int] = {}
    total = valid = 0
    last_seen: str | None = None
    for entry in entries:
        total += 1
        valid += entry.valid
        last_seen = max(last_seen or entry.received_at, entry.received_at)
        key = entry.event_type_key or ""
        seen = types.get(key, TypeCount(0, 0, entry.received_at))
        types[key] = TypeCount(
            seen.total + 1, seen.invalid + (not entry.valid), max(seen.last_seen, entry.received_at)
        )
        for code in dict.fromkeys(v["code"] for v in entry.violations()):
            sample = codes.get(code, CodeCount(0, entry.id, entry.payload))
            codes[code] = msgspec.structs.replace(sample, events=sample.events + 1)
        for violation in entry.violations():
            if violation.get("param") is not None:
                params[violation["param"]] = params.get(violation["param"], 0) + 1
    return InspectionSummary(
        run_id=run_id,
        total=total,
        valid=valid,
        invalid=total - valid,
        last_seen=last_seen,
        by_event_type=types,
        by_code=codes,
        by_param=params,
    )
