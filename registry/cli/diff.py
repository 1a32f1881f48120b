"""``event-registry diff``: the typed schema diff, each change marked by the direction it breaks.

* ``diff OLD.json NEW.json`` -- two local files, diffed in process;
* ``diff --url URL KEY A B`` -- two versions of a registered type (``GET
  /event-types/{key}/versions/{a}/diff/{b}``; A and B are numbers or ``latest``).

Exit codes (git's convention): 0 done; with ``--exit-code``, 1 when there are changes; 2 usage
error (unreadable file, bad arguments, unknown type or version, unreachable registry).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import msgspec

from registry.cli.check_compat import load_schema
from registry.cli.http import connect, path, problem_of, token_option, unexpected, url_option
from registry.core.compatibility import Policy, diff


def _breaks(change: dict[str, Any]) -> str:
    directions = [
        name
        for name, flag in (("backward", "breaksBackward"), ("forward", "breaksForward"))
        if change.get(flag)
    ]
    return "breaks " + " + ".join(directions) if directions else "compatible"


def render_text(document: dict[str, Any]) -> str:
    changes = document["changes"]
    lines = [
        f"{c['code']}  {c.get('path') or '(root)'}  [{_breaks(c)}]  {c['message']}" for c in changes
    ]
    breaking = sum(bool(c.get("breaksBackward") or c.get("breaksForward")) for c in changes)
    lines.append(
        f"{len(changes)} change(s) from {document['from']} to {document['to']}, {breaking} breaking"
    )
    return "\n".join(lines)


def _local(old: str, new: str, policy: str) -> dict[str, Any]:
    changes = diff(load_schema(Path(old)), load_schema(Path(new)), policy=Policy(policy.upper()))
    return {"from": old, "to": new, "changes": msgspec.to_builtins(changes)}


def _remote(ctx: click.Context, url: str, token: str | None, args: tuple[str, ...]) -> Any:
    key, a, b = args
    registry = connect(ctx, url, token)
    target = path("event-types", key, "versions", a, "diff", b)
    response = registry.request("GET", target)
    if response.status_code == 200:
        return response.json()
    if response.status_code in (404, 422):
        problem = problem_of(response)
        raise click.UsageError(f"{problem.get('code')}: {problem.get('detail', '')}")
    raise unexpected("GET", target, response)


@click.command("diff")
@click.argument("args", nargs=-1, required=True, metavar="OLD.json NEW.json | KEY A B")
@url_option()
@token_option()
@click.option(
    "--policy",
    type=click.Choice([p.value for p in Policy], case_sensitive=False),
    default=Policy.STRICT.value,
    show_default=True,
    help="How undeclared properties are treated (local files; the registry uses the type's).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: one line per change; json: {from, to, changes} as the API returns it.",
)
@click.option("--exit-code", is_flag=True, help="Exit 1 when there are changes (like git diff).")
@click.pass_context
def diff_command(
    ctx: click.Context,
    *,
    args: tuple[str, ...],
    url: str | None,
    token: str | None,
    policy: str,
    output_format: str,
    exit_code: bool,
) -> None:
    """List the semantic changes from schema OLD to NEW (local files), or with --url between
    versions A and B of event type KEY; each change says whether it breaks backward and/or
    forward compatibility.

    Exits 0 when done (with --exit-code: 0 identical, 1 changes), 2 on a usage error.
    """
    expected = 2 if url is None else 3
    if len(args) != expected:
        form = "OLD.json NEW.json" if url is None else "KEY A B (with --url)"
        raise click.UsageError(f"expected {form}, got {len(args)} argument(s)")
    document = _local(args[0], args[1], policy) if url is None else _remote(ctx, url, token, args)
    if output_format == "json":
        click.echo(msgspec.json.encode(document).decode())
    else:
        click.echo(render_text(document))
    ctx.exit(1 if exit_code and document["changes"] else 0)
