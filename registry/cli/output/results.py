"""One validated sample (where it came from + its report), the verdict rule and the json format."""

from __future__ import annotations

from typing import Any

import msgspec

from registry.core.batch import BatchSummary, SummaryBuilder
from registry.core.report import Report
from registry.core.validation import Violation


class Result(msgspec.Struct, frozen=True, kw_only=True):
    """The report of one sample event, with its origin (0-based index, 1-based line)."""

    file: str
    index: int
    line: int | None
    report: Report
    malformed: bool = False

    @property
    def label(self) -> str:
        """``file:index`` -- how every format names the event."""
        return f"{self.file}:{self.index}"

    @property
    def violations(self) -> list[Violation]:
        """Errors first, then warnings."""
        return [*self.report.errors, *self.report.warnings]

    def failed(self, fail_on_warnings: bool) -> bool:
        return bool(self.report.errors) or (fail_on_warnings and bool(self.report.warnings))


def failed(results: list[Result], fail_on_warnings: bool) -> bool:
    """True when any event has an error (or, with ``fail_on_warnings``, a warning)."""
    return any(r.failed(fail_on_warnings) for r in results)


def summarise(results: list[Result]) -> BatchSummary:
    builder = SummaryBuilder()
    for result in results:
        if result.malformed:
            builder.add_malformed()
        else:
            builder.add(result.report)
    return builder.finish()


def level_of(violation: Violation, fail_on_warnings: bool) -> str:
    """``error`` or ``warning`` as CI tools see it (warnings are errors under the flag)."""
    return "error" if violation.severity == "error" or fail_on_warnings else "warning"


def render_json(
    results: list[Result], fail_on_warnings: bool, *, summary_of: list[Result] | None = None
) -> str:
    """``{"results": [{file, index, line, report}], "summary": {...}, "failed": bool}``;
    ``summary`` and ``failed`` over ``summary_of`` when given (``--only-invalid``)."""
    everything = results if summary_of is None else summary_of
    document: dict[str, Any] = {
        "results": [
            {"file": r.file, "index": r.index, "line": r.line, "report": r.report} for r in results
        ],
        "summary": summarise(everything),
        "failed": failed(everything, fail_on_warnings),
    }
    return msgspec.json.format(msgspec.json.encode(document), indent=2).decode() + "\n"
