"""The human format: one row per event, its violations indented below, a summary line.

Colours are click styles; ``click.echo`` drops them when stdout is not a terminal.
"""

from __future__ import annotations

import click

from registry.cli.output.results import Result
from registry.core.validation import Violation

_COLOURS = {"error": "red", "warning": "yellow", "ok": "green"}


_INVALID = click.style("INVALID", fg=_COLOURS["error"], bold=True)
_WARNED = click.style("ok (warnings)", fg=_COLOURS["warning"])
_OK = click.style("ok", fg=_COLOURS["ok"])
_NO_KEY = "(no eventTypeKey)"


def _where(result: Result) -> str:
    line = f":{result.line}" if result.line is not None else ""
    return f"{result.file}{line} [{result.index}]"


def _violation_line(v: Violation) -> str:
    severity = click.style(f"{v.severity:7}", fg=_COLOURS[v.severity])
    where = v.path or "(event)"
    param = f" ({v.param})" if v.param else ""
    return f"    {severity}  {v.code:26}  {where}{param}: {v.message}"


def render_text(
    results: list[Result], fail_on_warnings: bool, *, summary_of: list[Result] | None = None
) -> str:
    """The table of ``results``; the summary line over ``summary_of`` when given.

    One pass per column and one per row: this runs once per event of a long input."""
    wheres = [_where(r) for r in results]
    keys = [r.report.event_type_key or _NO_KEY for r in results]
    versions = [f"v{v}" if (v := r.report.version) is not None else "-" for r in results]
    w0, w1, w2 = (max(map(len, column), default=0) for column in (wheres, keys, versions))
    tails: dict[tuple[str, str, bool, bool], str] = {}  # "key  version  verdict", made once each
    lines = []
    for result, where, key, version in zip(results, wheres, keys, versions, strict=True):
        report = result.report
        errors, warnings = report.errors, report.warnings
        shape = (key, version, not errors, not warnings)
        tail = tails.get(shape)
        if tail is None:
            verdict = _INVALID if result.failed(fail_on_warnings) else _WARNED if warnings else _OK
            tail = tails[shape] = f"{key.ljust(w1)}  {version.ljust(w2)}  {verdict}"
        lines.append(f"{where.ljust(w0)}  {tail}")
        if errors or warnings:
            lines += [_violation_line(v) for v in result.violations]
    lines.append(_summary(results if summary_of is None else summary_of, fail_on_warnings))
    return "\n".join(lines) + "\n"


def _summary(results: list[Result], fail_on_warnings: bool) -> str:
    valid = errors = warnings = 0
    for result in results:  # one pass: the summary line of a long input costs a row's worth
        report = result.report
        valid += report.valid
        errors += len(report.errors)
        warnings += len(report.warnings)
    text = (
        f"{len(results)} event(s): {valid} valid, {len(results) - valid} invalid "
        f"({errors} error(s), {warnings} warning(s))"
    )
    colour = "red" if errors or (fail_on_warnings and warnings) else "green"
    return click.style(text, fg=colour, bold=True)
