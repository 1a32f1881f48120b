"""Yespo's own answers for the drop-in dry-run endpoints: pure rules, no I/O.

Facts (shared/domain/yespo-events.md): past events take ``occurred`` as ``YYYY-MM-DD`` or
``YYYY-MM-DDTHH:mm`` and a required ``keyValue``, at most 500 per request, and get a per-event
``status`` (§2.3); a failed parameter validation answers 400 with the text
``The event should have the following params: `` + a JSON array of ``{name, required}`` (§4, §5);
the mobile SDK posts ``{deviceId, externalUserId?, events: [{eventTypeKey, occurred, params?}]}``
(§7.7); the dkulyk/esputnik client names the list ``parameters`` (§9).

Choices where the reference is silent (README "Drop-in dry-run endpoints" repeats them):

* ``occurred`` "in the future" means later than *now* in the easternmost time zone (UTC+14):
  the value is in the contact's time zone, which the registry does not know, so only a date that
  is in the future everywhere gets ``OCCURRED_TIME_IN_FUTURE``.
* ``OCCURRED_TIME_TOO_DEPTH`` is never produced: Yespo does not state the limit (§11.8).
* A past event without ``keyValue`` gets ``KEY_VALUE_IS_REQUIRED``. Yespo lists no status for
  it (the OAS only marks the member required); treat every status other than ``ACCEPTED`` as an
  error.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any, Literal

import msgspec

from registry.core.validation import Violation

__all__ = [
    "ACCEPTED",
    "FORMATS",
    "MAX_PAST_EVENTS",
    "REJECTING_CODES",
    "Format",
    "batch_problems",
    "mobile_event_problems",
    "normalise_event",
    "occurred_status",
    "past_event_problems",
    "required_structure",
    "status_violation",
    "validation_error_text",
]

Format = Literal["v1", "v2", "past_events_v1", "past_events_v2", "mobile", "validate"]
FORMATS: tuple[Format, ...] = ("v1", "v2", "past_events_v1", "past_events_v2", "mobile", "validate")
MAX_PAST_EVENTS = 500
ACCEPTED = "ACCEPTED"
OCCURRED_DATE_IS_REQUIRED = "OCCURRED_DATE_IS_REQUIRED"
INCORRECT_OCCURRED_DATE_FORMAT = "INCORRECT_OCCURRED_DATE_FORMAT"
OCCURRED_TIME_IN_FUTURE = "OCCURRED_TIME_IN_FUTURE"
KEY_VALUE_IS_REQUIRED = "KEY_VALUE_IS_REQUIRED"
VALIDATION_PREFIX = "The event should have the following params: "

REJECTING_CODES = frozenset(
    {
        "invalid_event_type_key",
        "invalid_key_value",
        "missing_contact_identifier",
        "duplicate_param",
        "missing_param_value",
        "param_name_too_long",
        "payload_too_large",
        "malformed_event",
        "invalid_params",
    }
)
"""Envelope errors after which Yespo does not accept a single event (§2.1, §3, §5): 400."""

_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})\Z")
_DATE_TIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})\Z")
_EASTERNMOST = dt.timedelta(hours=14)
_STATUS_CODES = {
    OCCURRED_DATE_IS_REQUIRED: ("occurred_required", "occurred is required for past events"),
    INCORRECT_OCCURRED_DATE_FORMAT: (
        "invalid_occurred",
        "occurred must be YYYY-MM-DD or YYYY-MM-DDTHH:mm for past events",
    ),
    OCCURRED_TIME_IN_FUTURE: ("occurred_in_future", "occurred is in the future"),
}


def parse_occurred(value: object) -> dt.datetime | None:
    """A naive datetime for ``YYYY-MM-DD`` / ``YYYY-MM-DDTHH:mm``; ``None`` for anything else."""
    if not isinstance(value, str):
        return None
    match = _DATE_TIME.match(value) or _DATE.match(value)
    if match is None:
        return None
    year, month, day, *clock = (int(part) for part in match.groups())
    hour, minute = clock if clock else (0, 0)
    try:
        return dt.datetime(year, month, day, hour, minute)
    except ValueError:
        return None


def occurred_status(value: object, *, now: dt.datetime) -> str:
    """Yespo's per-event status for a past event's ``occurred`` (``now`` is aware, in UTC)."""
    if value is None or value == "":
        return OCCURRED_DATE_IS_REQUIRED
    parsed = parse_occurred(value)
    if parsed is None:
        return INCORRECT_OCCURRED_DATE_FORMAT
    latest = (now.astimezone(dt.UTC) + _EASTERNMOST).replace(tzinfo=None)
    return OCCURRED_TIME_IN_FUTURE if parsed > latest else ACCEPTED


def status_violation(status: str, occurred: object, base: str) -> Violation | None:
    """The report entry that explains a non-ACCEPTED occurred status."""
    if status not in _STATUS_CODES:
        return None
    code, message = _STATUS_CODES[status]
    extra: dict[str, Any] = {} if occurred is None else {"actual": occurred}
    return Violation(code=code, severity="error", path=f"{base}/occurred", message=message, **extra)


def past_event_problems(
    event: object, index: int, *, now: dt.datetime
) -> tuple[str, list[Violation]]:
    """``(status, violations)`` of one past event beyond what ``validate`` already checks."""
    base = f"/events/{index}"
    if not isinstance(event, dict):
        return INCORRECT_OCCURRED_DATE_FORMAT, []
    status = occurred_status(event.get("occurred"), now=now)
    found = [v for v in [status_violation(status, event.get("occurred"), base)] if v is not None]
    key_value = event.get("keyValue")
    if key_value is None or (isinstance(key_value, str) and not key_value.strip()):
        found.append(
            Violation(
                code="key_value_required",
                severity="error",
                path=f"{base}/keyValue",
                message="keyValue is required for past events",
            )
        )
        if status == ACCEPTED:
            status = KEY_VALUE_IS_REQUIRED
    return status, found


def mobile_event_problems(event: object, index: int) -> list[Violation]:
    """Mobile SDK events always carry ``occurred`` (ISO 8601 UTC with milliseconds)."""
    if isinstance(event, dict) and "occurred" not in event:
        return [
            Violation(
                code="occurred_required",
                severity="error",
                path=f"/events/{index}/occurred",
                message="occurred is required in a mobile SDK event",
            )
        ]
    return []


def _batch_error(path: str, message: str) -> Violation:
    return Violation(code="invalid_batch", severity="error", path=path, message=message)


def batch_problems(body: object, fmt: Format) -> list[Violation]:
    """Shape problems of a past-events or mobile batch body (the events are judged one by one)."""
    if not isinstance(body, dict):
        return [_batch_error("", "the body must be a JSON object with an 'events' array")]
    found: list[Violation] = []
    events = body.get("events")
    if not isinstance(events, list):
        found.append(_batch_error("/events", "'events' must be an array of events"))
    else:
        found += [
            _batch_error(f"/events/{i}", "every event must be a JSON object")
            for i, event in enumerate(events)
            if not isinstance(event, dict)
        ]
    if isinstance(events, list) and fmt != "mobile" and len(events) > MAX_PAST_EVENTS:
        found.append(
            Violation(
                code="too_many_events",
                severity="error",
                path="/events",
                message=f"{len(events)} events; Yespo accepts at most {MAX_PAST_EVENTS} a request",
                expected=MAX_PAST_EVENTS,
                actual=len(events),
            )
        )
    if fmt == "mobile":
        device = body.get("deviceId")
        if not isinstance(device, str) or not device.strip():
            found.append(_batch_error("/deviceId", "deviceId must be a non-empty string"))
    return found


def normalise_event(event: object, fmt: Format, base: str = "") -> tuple[object, list[Violation]]:
    """Accept ``parameters`` as an alias of ``params`` and flag what Yespo's format would refuse.

    Returns the event to validate (a shallow copy when renamed) and the extra violations.
    """
    if not isinstance(event, dict):
        return event, []
    event, found = _params_alias(event, base)
    params = event.get("params")
    if fmt != "validate" and isinstance(params, dict):
        found.append(
            Violation(
                code="invalid_params",
                severity="error",
                path=f"{base}/params",
                message="Yespo's endpoints take params as an array of {name, value} objects",
            )
        )
    if fmt in ("v1", "past_events_v1") and isinstance(params, list):
        found += list(_v1_values(params, base))
    return event, found


def _params_alias(event: dict[str, Any], base: str) -> tuple[dict[str, Any], list[Violation]]:
    if "parameters" not in event or "params" in event:
        return event, []
    renamed = {("params" if k == "parameters" else k): v for k, v in event.items()}
    note = Violation(
        code="params_alias",
        severity="warning",
        path=f"{base}/parameters",
        message="'parameters' read as 'params' (dkulyk/esputnik client); Yespo documents 'params'",
    )
    return renamed, [note]


def _v1_values(params: list[Any], base: str) -> Iterator[Violation]:
    for i, item in enumerate(params):
        if isinstance(item, dict) and "value" in item and not isinstance(item["value"], str):
            yield Violation(
                code="v1_value_not_string",
                severity="warning",
                path=f"{base}/params/{i}/value",
                param=item.get("name") if isinstance(item.get("name"), str) else None,
                message="v1 values are strings; send nested JSON escaped, or use /api/v2/event",
                actual=item["value"],
            )


def required_structure(schema: object) -> list[dict[str, Any]]:
    """The "configured structure" Yespo prints: every root param with its required flag."""
    if not isinstance(schema, dict):
        return []
    required = [n for n in schema.get("required", []) if isinstance(n, str)]
    names = list(schema.get("properties", {}) if isinstance(schema.get("properties"), dict) else {})
    names += [n for n in required if n not in names]
    return [{"name": n, "required": n in required} for n in names]


def validation_error_text(structure: list[dict[str, Any]]) -> str:
    """Yespo's 400 body: the prefix, then compact JSON (not a JSON document as a whole)."""
    return VALIDATION_PREFIX + msgspec.json.encode(structure).decode()
