"""``event-registry inspect --run-id X``: gate a CI run on what reached the drop-in endpoints.

A pipeline points its app's tests at the drop-in endpoints (tagging the run through the key,
the Basic user or the ``/run/<id>/`` prefix, README "Run tagging"), then runs this command. It
reads every recorded entry of the run from ``GET /inspect/events`` and renders them with the
``validate`` command's formats; plugins' own log records (format ``client_log``) are not events
and are left out.

Exit codes: 0 every recorded event of the run is valid; 1 at least one is not (or has a warning,
with ``--fail-on-warnings``; an ``unsupported`` request counts as invalid: nothing was checked),
or nothing was recorded for the run (unless ``--allow-empty``); 2 the command could not run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import msgspec

from registry.cli.http import CommandError, Registry, connect, token_option, url_option
from registry.cli.output import RENDERERS, Result, failed
from registry.cli.validate import emit
from registry.core.report import Report
from registry.plan import problem_report

PAGE = 500
MAX_PAGES = 2000
"""At most a million entries; a run larger than that is not a CI run."""
NOT_EVENTS = frozenset({"client_log"})


def recorded(registry: Registry, run_id: str) -> list[dict[str, Any]]:
    """Every entry of the run, oldest first."""
    entries: list[dict[str, Any]] = []
    cursor: str | None = None
    for _ in range(MAX_PAGES):
        params = {"runId": run_id, "limit": str(PAGE), **({"cursor": cursor} if cursor else {})}
        page = registry.json("GET", "/inspect/events", params=params)
        entries += page["items"]
        cursor = page.get("nextCursor")
        if not cursor:
            return entries[::-1]
    raise CommandError(f"run {run_id!r} has more than {PAGE * MAX_PAGES} recorded entries")


def result_of(run_id: str, entry: dict[str, Any]) -> Result:
    """One recorded entry as a ``validate`` result: file ``inspect/<run>/<format>``, index = id."""
    try:
        report = msgspec.convert(entry["report"], Report, strict=False)
    except msgspec.ValidationError as exc:
        report = problem_report(None, code="malformed_event", message=f"stored report: {exc}")
    return Result(
        file=f"inspect/{run_id}/{entry['format']}", index=entry["id"], line=None, report=report
    )


@click.command("inspect")
@click.option("--run-id", required=True, help="The run to gate on (as recorded in /inspect).")
@url_option(required=True)
@token_option()
@click.option(
    "--format",
    "output_format",
    type=click.Choice(list(RENDERERS)),
    default="text",
    show_default=True,
    help="text | json | junit (XML) | sarif (2.1.0) | github (workflow annotations).",
)
@click.option("--fail-on-warnings", is_flag=True, help="Exit 1 on warnings too.")
@click.option("--allow-empty", is_flag=True, help="Exit 0 when nothing was recorded for the run.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file instead of stdout.",
)
@click.pass_context
def inspect_run(
    ctx: click.Context,
    *,
    run_id: str,
    url: str,
    token: str | None,
    output_format: str,
    fail_on_warnings: bool,
    allow_empty: bool,
    output: Path | None,
) -> None:
    """Gate on the events a run sent to the drop-in endpoints (read from --url's /inspect).

    Exits 0 when every recorded event of RUN_ID is valid, 1 when one is not (or nothing was
    recorded, unless --allow-empty), 2 when the command could not run.
    """
    registry = connect(ctx, url, token)
    entries = [e for e in recorded(registry, run_id) if e.get("format") not in NOT_EVENTS]
    results = sorted((result_of(run_id, e) for e in entries), key=lambda r: (r.file, r.index))
    emit(RENDERERS[output_format](results, fail_on_warnings), output)
    if not results and not allow_empty:
        click.echo(f"event-registry: nothing was recorded for run {run_id!r}", err=True)
        ctx.exit(1)
    ctx.exit(1 if failed(results, fail_on_warnings) else 0)
