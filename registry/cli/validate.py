"""``event-registry validate PATH...``: sample events against a registry, or offline.

Exit codes: 0 every event valid; 1 at least one event has an error (or a warning, with
``--fail-on-warnings``; a file that is not JSON counts as an invalid event); 2 the command could
not run (bad options, unreadable path, unreachable registry, a refused token, a plan folder that
does not load).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from registry.cli.checking import (
    CHUNK_EVENTS,
    OFFLINE_CHUNK_EVENTS,
    CheckMany,
    check_all,
    http_check,
)
from registry.cli.http import CommandError, connect, token_option, url_option
from registry.cli.inputs import Sample, expand, read
from registry.cli.output import RENDERERS, failed
from registry.core.report import Report
from registry.plan import OfflineRegistry, PlanError


def offline_check(folder: Path, mode: Any, coerce: bool | None) -> CheckMany:
    try:
        registry = OfflineRegistry.from_folder(folder)
    except PlanError as exc:
        raise CommandError(str(exc)) from exc

    def check(samples: list[Sample]) -> list[Report]:
        return [
            registry.validate(s.event, mode=mode, coerce=coerce, body_size=len(s.raw))
            for s in samples
        ]

    return check


def emit(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.write_text(click.unstyle(text), encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"cannot write {output}: {exc.strerror or exc}") from exc


@click.command("validate")
@click.argument("paths", nargs=-1, required=True)
@url_option()
@token_option()
@click.option(
    "--schemas",
    type=click.Path(file_okay=False, path_type=Path),
    help="Validate offline against a tracking-plan folder instead of a running registry.",
)
@click.option(
    "--mode",
    type=click.Choice(["strict", "lenient"]),
    help="Undeclared params: strict = error, lenient = warning [default: the type's config].",
)
@click.option(
    "--coerce/--no-coerce",
    default=None,
    help="Accept strings holding a number/boolean of the expected type (as warnings).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(list(RENDERERS)),
    default="text",
    show_default=True,
    help="text | json | junit (XML) | sarif (2.1.0) | github (workflow annotations).",
)
@click.option("--fail-on-warnings", is_flag=True, help="Exit 1 on warnings too.")
@click.option(
    "--only-invalid",
    is_flag=True,
    help="List only the events that fail (the summary still counts every event).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file instead of stdout.",
)
@click.pass_context
def validate(
    ctx: click.Context,
    *,
    paths: tuple[str, ...],
    url: str | None,
    token: str | None,
    schemas: Path | None,
    mode: str | None,
    coerce: bool | None,
    output_format: str,
    fail_on_warnings: bool,
    only_invalid: bool,
    output: Path | None,
) -> None:
    """Validate sample events from PATHS (JSON files holding one event or an array of events,
    NDJSON files, folders, globs, or - for stdin) against a registry (--url) or a tracking-plan
    folder (--schemas).

    Exits 0 when every event is valid, 1 when any event has errors (or warnings, with
    --fail-on-warnings), 2 when the command could not run (usage, unreadable input,
    unreachable registry).
    """
    if (url is None) == (schemas is None):
        raise click.UsageError("give exactly one of --url (a running registry) or --schemas DIR")
    files = expand(paths)
    if schemas is not None:
        check = offline_check(schemas, mode, coerce)
    else:
        check = http_check(connect(ctx, str(url), token), mode, coerce)
    samples = (sample for path in files for sample in read(path))
    chunk = OFFLINE_CHUNK_EVENTS if schemas is not None else CHUNK_EVENTS
    results = check_all(check, samples, chunk_events=chunk)
    shown = [r for r in results if r.failed(fail_on_warnings)] if only_invalid else results
    emit(RENDERERS[output_format](shown, fail_on_warnings, summary_of=results), output)
    ctx.exit(1 if failed(results, fail_on_warnings) else 0)
