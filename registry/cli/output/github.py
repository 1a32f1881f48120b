"""GitHub Actions workflow commands: an annotation per violation on the file and line."""

from __future__ import annotations

from registry.cli.output.results import Result, level_of, summarise


def _data(text: str) -> str:
    """Escape a command's message (GitHub's runner rules)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """Escape a command property value (also ``:`` and ``,``)."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(
    results: list[Result], fail_on_warnings: bool, *, summary_of: list[Result] | None = None
) -> str:
    lines = []
    for result in results:
        key = result.report.event_type_key or "(no eventTypeKey)"
        for v in result.violations:
            props = [f"file={_property(result.file)}"]
            if result.line is not None:
                props.append(f"line={result.line}")
            props.append(f"title={_property(f'{v.code} ({key})')}")
            where = f"{v.path or '(event)'}{f' ({v.param})' if v.param else ''}"
            message = f"{result.label} {key} {where}: {v.message}"
            lines.append(f"::{level_of(v, fail_on_warnings)} {','.join(props)}::{_data(message)}")
    s = summarise(results)
    lines.append(f"event-registry: {s.total} event(s), {s.valid} valid, {s.invalid} invalid")
    return "\n".join(lines) + "\n"
