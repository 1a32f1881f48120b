"""What a dry run answers: each event's outcome, the run's report and the full result, and the
pure rules that merge the Yespo format's own violations into an event's report.

Used by :mod:`registry.core.dryrun` (the use cases) and the API's Yespo endpoints.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import msgspec

from registry.core.report import Report, finish_report
from registry.core.validation import Violation
from registry.core.validation.envelope import is_contact_name


class EventOutcome(msgspec.Struct, frozen=True, rename="camel", omit_defaults=True):
    """One inner event: its index, Yespo's per-event status (past events) and our report."""

    index: int
    report: Report
    status: str | None = None


class DryRunReport(msgspec.Struct, frozen=True, rename="camel"):
    """The registry's full verdict on one request to a dry-run endpoint."""

    format: str
    valid: bool
    http_status: int
    request_id: str
    run_id: str | None
    errors: list[Violation]
    """Problems of the request as a whole (batch shape, too many events)."""
    events: list[EventOutcome]


class DryRunResult(msgspec.Struct, frozen=True):
    """``body`` is Yespo's answer: text (``str``), JSON (``dict``) or nothing (``None``)."""

    report: DryRunReport
    body: Any


def compact_summary(report: DryRunReport) -> dict[str, Any]:
    """A bounded digest of a report, for a response header the full report does not fit in."""
    codes = Counter(v.code for v in report.errors)
    for outcome in report.events:
        codes.update(v.code for v in (*outcome.report.errors, *outcome.report.warnings))
    return {
        "format": report.format,
        "valid": report.valid,
        "httpStatus": report.http_status,
        "requestId": report.request_id,
        "truncated": True,
        "eventCount": len(report.events),
        "invalidCount": sum(not o.report.valid for o in report.events),
        "codes": dict(codes),
    }


def names_the_contact(violation: Violation, base: str) -> bool:
    """The envelope's identifier rule, or a schema's "one of these identifiers" (order buyer)."""
    if violation.code == "missing_contact_identifier":
        return True
    expected = violation.expected
    return (
        violation.code == "composition_failed"
        and violation.path == f"{base}/params"
        and isinstance(expected, list)
        and bool(expected)
        and all(isinstance(n, str) and is_contact_name(n) for n in expected)
    )


def device_identifies(report: Report, base: str) -> Report:
    """Mobile SDK events are tied to the batch's device: rules that ask who the contact is are moot.

    That is the envelope's keyValue/identifier rule and a schema's buyer rule (``anyOf`` of
    contact identifiers, as in catalog orders: the iOS SDK's Order has no externalCustomerId).
    """
    if not any(names_the_contact(v, base) for v in report.errors):
        return report
    return finish_report(
        key=report.event_type_key,
        version=report.version,
        schema_id=report.schema_id,
        violations=[
            v for v in (*report.errors, *report.warnings) if not names_the_contact(v, base)
        ],
        capped=report.violations_capped is True,
    )


def with_violations(report: Report, violations: list[Violation]) -> Report:
    return finish_report(
        key=report.event_type_key,
        version=report.version,
        schema_id=report.schema_id,
        violations=violations,
        capped=report.violations_capped is True,
    )


def merge(report: Report, extra: list[Violation]) -> Report:
    """``report`` plus ``extra`` violations, without repeating a (code, path) already there."""
    seen = {(v.code, v.path) for v in (*report.errors, *report.warnings)}
    added = [v for v in extra if (v.code, v.path) not in seen]
    if not added:
        return report
    return finish_report(
        key=report.event_type_key,
        version=report.version,
        schema_id=report.schema_id,
        violations=[*report.errors, *report.warnings, *added],
        capped=report.violations_capped is True,
    )
