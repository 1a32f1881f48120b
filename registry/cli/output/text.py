"""The human format: one row per event, its violations indented below, a summary line.

Colours are click styles; ``click.echo`` drops them when stdout is not a terminal.
"""

from __future__ import annotations

import click

from registry.cli.output.results import Result, failed, summarise
from registry.core.validation import Violation

_COLOURS = {"error": "red", "warning": "yellow", "ok": "green"}


def _where(result: Result) -> str:
    line = f":{result.line}" if result.line is not None else ""
    return f"{result.file}{line} [{result.index}]"


def _verdict(result: Result, fail_on_warnings: bool) -> str:
    if result.failed(fail_on_warnings):
        return click.style("INVALID", fg=_COLOURS["error"], bold=True)
    if result.report.warnings:
        return click.style("ok (warnings)", fg=_COLOURS["warning"])
    return click.style("ok", fg=_COLOURS["ok"])


def _violation_line(v: Violation) -> str:
    severity = click.style(f"{v.severity:7}", fg=_COLOURS[v.severity])
    where = v.path or "(event)"
    param = f" ({v.param})" if v.param else ""
    return f"    {severity}  {v.code:26}  {where}{param}: {v.message}"


def render_text(
    results: list[Result], fail_on_warnings: bool, *, summary_of: list[Result] | None = None
) -> str:
    """The table of ``results``; the summary line over ``summary_of`` when given."""
    rows = [
        (
            _where(r),
            r.report.event_type_key or "(no eventTypeKey)",
            f"v{r.report.version}" if r.report.version is not None else "-",
        )
        for r in results
    ]
    widths = [max((len(row[i]) for row in rows), default=0) for i in range(3)]
    lines = []
    for result, row in zip(results, rows, strict=True):
        cells = "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        lines.append(f"{cells}  {_verdict(result, fail_on_warnings)}")
        lines += [_violation_line(v) for v in result.violations]
    lines.append(_summary(results if summary_of is None else summary_of, fail_on_warnings))
    return "\n".join(lines) + "\n"


def _summary(results: list[Result], fail_on_warnings: bool) -> str:
    s = summarise(results)
    errors = sum(len(r.report.errors) for r in results)
    warnings = sum(len(r.report.warnings) for r in results)
    text = (
        f"{s.total} event(s): {s.valid} valid, {s.invalid} invalid "
        f"({errors} error(s), {warnings} warning(s))"
    )
    colour = "red" if failed(results, fail_on_warnings) else "green"
    return click.style(text, fg=colour, bold=True)
