"""Drop-in dry-run use cases: judge what a Yespo client sends, answer as Yespo would, record it.

Nothing is ever forwarded. Each inner event is validated by ``RegistryService.validate`` (with
``base_path="/events/3"`` in batches) under its event type's effective configuration; the Yespo
rules of :mod:`registry.core.yespo` add what the envelope format itself requires. Every event is
written to the :class:`~registry.core.ports.InspectionLog` (masked) before the answer is built,
so a caller holding the HTTP response can query ``/inspect`` at once.
"""

from __future__ import annotations

import copy
import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import msgspec

from registry.core import crossfield, orders, tracker, yespo
from registry.core.config import Mode
from registry.core.dryrun_results import (
    DryRunReport,
    DryRunResult,
    EventOutcome,
    device_identifies,
    merge,
    with_violations,
)
from registry.core.errors import EventTypeNotFound, VersionNotFound
from registry.core.inspecting import InspectionCases
from registry.core.inspection import (
    MAX_USER_AGENT,
    InspectedEvent,
    Masker,
    RetentionPolicy,
    check_run_id,
    contact_hash,
    contact_values,
)
from registry.core.model import utc_now
from registry.core.ports import InspectionLog
from registry.core.report import Report, finish_report
from registry.core.service import RegistryService
from registry.core.tags import PiiIndex
from registry.core.validation import Violation

Now = Callable[[], dt.datetime]


class DryRunService(InspectionCases):
    """The dry-run endpoints and the inspection log over a :class:`RegistryService`."""

    def __init__(
        self,
        registry: RegistryService,
        log: InspectionLog,
        *,
        masker: Masker,
        retention: RetentionPolicy,
        clock: Callable[[], str] = utc_now,
        now: Now = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self._registry = registry
        self._log = log
        self._masker = masker
        self._retention = retention
        self._clock = clock
        self._now = now
        self._recorded_by: str | None = None
        self._user_agent: str | None = None
        self._secret: bytes | None = None
        self._pii = PiiIndex(lambda schema_id: registry.get_schema(schema_id=schema_id).document)

    def _contact_hashes(self, payload: Any) -> list[str]:
        values = contact_values(payload)
        if not values:
            return []
        if self._secret is None:
            self._secret = self._log.secret()
        return sorted(contact_hash(self._secret, v) for v in values)

    # -- judging -----------------------------------------------------------------------------

    def recording_for(
        self, recorded_by: str | None, user_agent: str | None = None
    ) -> DryRunService:
        """This service with what it records labelled as sent by the token ``recorded_by``
        with ``user_agent`` (a cheap per-request view sharing registry, log and policies)."""
        if recorded_by is None and user_agent is None:
            return self
        view = copy.copy(self)
        view._recorded_by = recorded_by
        view._user_agent = user_agent[:MAX_USER_AGENT] if user_agent else None
        return view

    def _judge(
        self, event: object, fmt: yespo.Format, *, base: str = "", body_size: int | None = None
    ) -> tuple[object, Report]:
        """Validate under the event type's own configuration, plus the format's extra rules."""
        member = yespo.params_member(event)
        event, extra = yespo.normalise_event(event, fmt, base)
        report = self._registry.validate(event, body_size=body_size, base_path=base)
        if report.event_type_key in crossfield.ORDER_EVENTS and fmt != "mobile":
            subject = crossfield.params_subject(event, base)
            extra += crossfield.check("order_event", subject) if subject else []
        report = merge(report, extra)
        if member != "params":
            report = with_violations(
                report, yespo.as_sent([*report.errors, *report.warnings], base, member)
            )
        return event, report

    def single(
        self, body: object, *, fmt: yespo.Format, body_size: int, run_id: str | None
    ) -> DryRunResult:
        """``POST /api/v1/event`` and ``/api/v2/event``."""
        _, report = self._judge(body, fmt, body_size=body_size)
        status, text = self._yespo_answer(report)
        result = self._result(
            fmt, run_id, status=status, problems=[], outcomes=[EventOutcome(0, report)], body=text
        )
        self._record(result, [body])
        return result

    def _yespo_answer(self, report: Report) -> tuple[int, str | None]:
        """200, or 400 with Yespo's text when the event is refused or lacks required params.

        Envelope refusals always answer 400. A missing required param answers 400 only while
        the type's *Validate parameters* switch (``validateParams``) is on, the default.
        """
        refused = [v for v in report.errors if v.code in yespo.REJECTING_CODES]
        if refused:
            return 400, "; ".join(yespo.problem_line(v) for v in refused)
        missing = any(
            v.code == "required_missing" and v.path in ("/params", "/parameters")
            for v in report.errors
        )
        if missing and self._validates_params(report.event_type_key):
            return 400, yespo.validation_error_text(yespo.required_structure(self._schema(report)))
        return 200, None

    def _validates_params(self, key: str | None) -> bool:
        if key is None:
            return True
        try:
            return self._registry.effective_config(key=key).validate_params
        except EventTypeNotFound:
            return True

    def _schema(self, report: Report) -> object:
        if report.event_type_key is None or report.version is None:
            return {}
        try:
            version = self._registry.get_version(key=report.event_type_key, version=report.version)
        except (EventTypeNotFound, VersionNotFound):
            return {}
        return version.document

    def past_events(self, body: object, *, fmt: yespo.Format, run_id: str | None) -> DryRunResult:
        """``POST /api/v1/past_events`` and ``/api/v2/past_events`` (at most 500 events)."""
        problems = yespo.batch_problems(body, fmt)
        events = _events(body)
        now = self._now()
        outcomes = []
        for i, raw in enumerate(events):
            event, report = self._judge(raw, fmt, base=f"/events/{i}")
            status, extra = yespo.past_event_problems(event, i, now=now)
            outcomes.append(EventOutcome(i, merge(report, [*problems, *extra]), status))
        if problems:
            result = self._result(
                fmt,
                run_id,
                status=400,
                problems=problems,
                outcomes=outcomes,
                body=_problem_text(problems),
            )
        else:
            accepted = sum(o.status == yespo.ACCEPTED for o in outcomes)
            answer = {
                "results": [{"status": o.status} for o in outcomes],
                "successCount": accepted,
                "errorCount": len(outcomes) - accepted,
            }
            result = self._result(
                fmt, run_id, status=200, problems=problems, outcomes=outcomes, body=answer
            )
        self._record(result, events or [body])
        return result

    def mobile(self, body: object, *, run_id: str | None) -> DryRunResult:
        """``POST /api/v1/events``: the Reteno/Yespo mobile SDK batch (the device identifies)."""
        problems = yespo.batch_problems(body, "mobile")
        events = _events(body)
        outcomes = []
        for i, raw in enumerate(events):
            base = f"/events/{i}"
            _, report = self._judge(raw, "mobile", base=base)
            extra = [*problems, *yespo.mobile_event_problems(raw, i)]
            outcomes.append(EventOutcome(i, merge(device_identifies(report, base), extra)))
        status, text = (400, _problem_text(problems)) if problems else (200, None)
        result = self._result(
            "mobile", run_id, status=status, problems=problems, outcomes=outcomes, body=text
        )
        self._record(result, events or [body])
        return result

    def tracker(self, body: object, *, run_id: str | None) -> DryRunResult:
        """``POST /api/v2`` on the tracker host: always 200 with an empty body (see README)."""
        if tracker.classify(body) == "client_log":
            outcome = EventOutcome(0, tracker.empty_report())
            result = self._result(
                "client_log", run_id, status=200, problems=[], outcomes=[outcome], body=None
            )
            self._record(result, [body])
            return result
        event, problems = tracker.as_event(body)
        if event is None:
            report = merge(tracker.empty_report(), problems)
        else:
            validated = self._registry.validate(event, body_size=None)
            named_by = "" if event["eventTypeKey"] == tracker.WEBCONTACT else tracker.NAMED_BY
            report = merge(tracker.into_body(validated, "", named_by), problems)
        result = self._result(
            "tracker",
            run_id,
            status=200,
            problems=[],
            outcomes=[EventOutcome(0, report)],
            body=None,
        )
        self._record(result, [body])
        return result

    def orders(self, body: object, *, run_id: str | None) -> DryRunResult:
        """``POST /api/v1/orders``: Yespo's ``failedOrders`` answer, one report per order."""
        problems, items = orders.batch_problems(body), orders.orders_of(body)
        outcomes = []
        for i, order in enumerate(items):
            if not isinstance(order, dict):
                outcomes.append(EventOutcome(i, tracker.empty_report()))
                continue
            base = f"/orders/{i}"
            report = tracker.into_body(self._registry.validate(orders.as_event(order)), base, "")
            rules = crossfield.check("orders_api", crossfield.object_subject(order, base))
            outcomes.append(EventOutcome(i, merge(report, rules)))
        answer: Any = _problem_text(problems)
        if problems:
            status = 400
            outcomes = [EventOutcome(o.index, merge(o.report, problems)) for o in outcomes]
        else:
            status, answer = 200, orders.answer(items, [o.report for o in outcomes])
        result = self._result(
            "orders", run_id, status=status, problems=problems, outcomes=outcomes, body=answer
        )
        self._record(result, items or [body])
        return result

    def unsupported(
        self, *, method: str, path: str, api: str, body: object, run_id: str | None
    ) -> DryRunResult:
        """A Yespo path the registry does not emulate: recorded as ``unsupported``, never judged."""
        note = Violation(
            code="not_emulated",
            severity="error",
            path="",
            message=f"{method} {path}: {api} is not emulated by the registry; nothing was checked",
        )
        report = finish_report(key=None, version=None, schema_id=None, violations=[note])
        result = self._result(
            "unsupported",
            run_id,
            status=404,
            problems=[],
            outcomes=[EventOutcome(0, report)],
            body=None,
        )
        self._record(result, [{"method": method, "path": path, "body": body}])
        return result

    def validate(
        self,
        event: object,
        *,
        body_size: int,
        run_id: str | None,
        record: bool,
        mode: Mode | None = None,
        coerce: bool | None = None,
    ) -> Report:
        """``POST /validate``; with ``record`` the event lands in the inspection log too."""
        report = self._registry.validate(event, body_size=body_size, mode=mode, coerce=coerce)
        if record:
            outcome = EventOutcome(0, report)
            result = self._result(
                "validate", run_id, status=None, problems=[], outcomes=[outcome], body=None
            )
            self._record(result, [event])
        return report

    def _result(
        self,
        fmt: str,
        run_id: str | None,
        *,
        status: int | None,
        problems: list[Violation],
        outcomes: list[EventOutcome],
        body: Any,
    ) -> DryRunResult:
        if not outcomes:
            outcomes = [
                EventOutcome(
                    0, finish_report(key=None, version=None, schema_id=None, violations=problems)
                )
            ]
        report = DryRunReport(
            format=fmt,
            valid=not problems and all(o.report.valid for o in outcomes),
            http_status=status or 200,
            request_id=uuid.uuid4().hex,
            run_id=check_run_id(run_id),
            errors=problems,
            events=outcomes,
        )
        return DryRunResult(report=report, body=body)

    # -- the log -----------------------------------------------------------------------------

    def _record(self, result: DryRunResult, payloads: list[Any]) -> None:
        report, received_at = result.report, self._clock()
        entries, contacts = [], []
        for outcome in report.events:
            payload = payloads[outcome.index] if outcome.index < len(payloads) else None
            contacts.append(self._contact_hashes(payload))
            masker = self._masker.also(self._pii.names(outcome.report.schema_id))
            masked, hidden = masker.mask(payload)
            entries.append(
                InspectedEvent(
                    received_at=received_at,
                    run_id=report.run_id,
                    format=report.format,
                    request_id=report.request_id,
                    index=outcome.index,
                    event_type_key=outcome.report.event_type_key,
                    valid=outcome.report.valid,
                    http_status=None if report.format == "validate" else report.http_status,
                    status=outcome.status,
                    payload=masked,
                    report=masker.scrub(msgspec.to_builtins(outcome.report), hidden),
                    recorded_by=self._recorded_by,
                    user_agent=self._user_agent,
                )
            )
        self._log.record(entries=entries, contacts=contacts)

    def validate_inline(
        self, event: object, *, body_size: int, mode: Mode | None = None, coerce: bool | None = None
    ) -> Report | None:
        """``POST /validate`` without recording, when that is cheap enough for the event loop
        (see ``RegistryService.validate_inline``); ``None``: call :meth:`validate` off the loop."""
        return self._registry.validate_inline(event, body_size=body_size, mode=mode, coerce=coerce)

    def close(self) -> None:
        """Release the inspection log (the registry service is closed by its owner)."""
        self._log.close()


def _events(body: object) -> list[Any]:
    events = body.get("events") if isinstance(body, dict) else None
    return events if isinstance(events, list) else []


def _problem_text(problems: list[Violation]) -> str:
    return "; ".join(yespo.problem_line(v) for v in problems)
