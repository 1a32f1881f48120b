"""``event-registry infer``: propose a schema from sample events (files, stdin or recorded runs).

* ``infer FILE…`` -- events as a client sends them (JSON, arrays, NDJSON, folders, ``-``),
  inferred in process; ``--key K`` keeps only that type's events (needed when the files hold
  several types).
* ``infer FILE… --url URL`` -- the same samples sent to ``POST /event-types/{key}/infer``, so
  the answer also holds the typed diff and the compatibility verdict against the latest version.
* ``infer --url URL --key K [--run-id R] [--since T]`` -- learn from what a running registry
  recorded on its drop-in endpoints.

Prints one JSON document ``{"schema", "params", "stats", ...}`` on stdout (``-o`` writes it to a
file; ``--emit schema`` or ``--emit params`` prints only that part, ready to register).
Exit codes: 0 proposed; 2 the command could not run (no samples, unreadable or malformed files,
bad options, unreachable registry).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import msgspec

from registry.cli import inputs
from registry.cli.http import CommandError, connect, path, problem_of, token_option, url_option
from registry.core.infer import infer
from registry.core.learning import samples_of


def _events(files: tuple[str, ...]) -> list[Any]:
    events = []
    for name in inputs.expand(files):
        for sample in inputs.read(name):
            if sample.error is not None:
                raise CommandError(f"{sample.file}:{sample.line}: not JSON: {sample.error}")
            events.append(sample.event)
    return events


def _key_of(events: list[Any], key: str | None) -> str | None:
    if key is not None:
        return key
    keys = sorted(
        {e["eventTypeKey"] for e in events if isinstance(e, dict) and "eventTypeKey" in e},
        key=str,
    )
    if len(keys) > 1:
        shown = ", ".join(map(str, keys[:10]))
        raise CommandError(f"the samples hold several event types ({shown}): pick one with --key")
    return str(keys[0]) if keys else None


def _local(events: list[Any], key: str | None) -> dict[str, Any]:
    samples, ignored = samples_of(events, key)
    if not samples:
        raise CommandError("no sample events to learn from")
    proposal = infer(samples, title=key, ignored=ignored)
    return {"schema": proposal.schema, "params": proposal.params, "stats": proposal.stats}


def _remote(ctx: click.Context, url: str, token: str | None, key: str, body: Any) -> Any:
    registry = connect(ctx, url, token)
    target = path("event-types", key, "infer")
    response = registry.request("POST", target, json=body)
    if response.status_code != 200:
        problem = problem_of(response)
        raise CommandError(f"{problem.get('code')}: {problem.get('detail', '')}")
    return response.json()


@click.command("infer")
@click.argument("files", nargs=-1)
@click.option("--key", help="Learn this event type only (required with --url).")
@url_option()
@token_option()
@click.option("--run-id", help="With --url and no files: learn from this recorded run.")
@click.option("--since", help="With --url and no files: events recorded at or after (ISO 8601).")
@click.option(
    "--limit",
    type=click.IntRange(1, 10_000),
    default=1000,
    show_default=True,
    help="With --url and no files: most recorded events read (newest first).",
)
@click.option(
    "--emit",
    type=click.Choice(["all", "schema", "params"]),
    default="all",
    show_default=True,
    help="Print the whole document, or only the JSON Schema / the param list (ready to register).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the document to this file instead of stdout.",
)
@click.pass_context
def infer_command(
    ctx: click.Context,
    files: tuple[str, ...],
    key: str | None,
    url: str | None,
    token: str | None,
    run_id: str | None,
    since: str | None,
    limit: int,
    emit: str,
    output: Path | None,
) -> None:
    """Propose a schema (JSON Schema and param list) from sample events or recorded traffic."""
    if (run_id or since) and (files or not url):
        raise click.UsageError(
            "--run-id/--since read a running registry's log: use them with --url and no files"
        )
    if not files and not url:
        raise click.UsageError("give sample files (or '-' for stdin), or --url with --key")
    if files:
        events = _events(files)
        key = _key_of(events, key)
        if url is None:
            document = _local(events, key)
        elif key is None:
            raise click.UsageError("--url needs --key (the samples name no event type)")
        else:
            document = _remote(ctx, url, token, key, {"samples": events})
    else:
        if key is None:
            raise click.UsageError("--url without files needs --key")
        body = {"limit": limit, **({"runId": run_id} if run_id else {})}
        document = _remote(
            ctx, url or "", token, key, {**body, **({"since": since} if since else {})}
        )
    shown = document if emit == "all" else document[emit]
    text = msgspec.json.format(msgspec.json.encode(shown), indent=2).decode()
    if output is None:
        click.echo(text)
    else:
        output.write_text(text + "\n", encoding="utf-8")
