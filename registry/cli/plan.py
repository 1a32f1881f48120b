"""``event-registry push DIR`` and ``event-registry pull DIR``: the tracking plan as code.

push exit codes: 0 the registry matches the folder (or, with --dry-run, the plan is clean);
1 a problem -- an incompatible schema, an invalid schema, a soft-deleted type, a step the registry
refused; 2 the command could not run (unreadable folder, unreachable registry).
pull exit codes: 0 written; 2 the command could not run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import msgspec

from registry.cli.http import CommandError, Registry, connect, path, token_option, url_option
from registry.cli.sync import (
    TypePlan,
    apply_step,
    fetch_remote,
    finding_line,
    list_keys,
    plan_entry,
)
from registry.core.config import TypeConfig
from registry.plan import PlanEntry, PlanError, PlanExample, read_plan, write_plan

_DIR = click.Path(file_okay=False, path_type=Path)


def _read(directory: Path) -> list[PlanEntry]:
    try:
        entries, warnings = read_plan(directory)
    except PlanError as exc:
        raise CommandError(str(exc)) from exc
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    return entries


def _check_compatibility(registry: Registry, plan: TypePlan) -> None:
    """Ask the registry whether the planned version would pass its compatibility level."""
    url = path("event-types", plan.key, "compatibility")
    result = registry.json("POST", url, json=plan.version_body)
    if not result["compatible"]:
        plan.problems.append(
            f"incompatible ({result['level']}, {result['policy']}) with version "
            f"{result.get('conflictsWith')}:"
        )
        plan.problems += ["  " + finding_line(f) for f in result["findings"]]
    for verdict in result.get("examples", []):
        if not verdict.get("asExpected", True):
            plan.notes.append(f"stored example {verdict['name']!r} would change its verdict")


def _print(plan: TypePlan) -> None:
    if not plan.steps and not plan.problems:
        click.echo(f"{plan.key}: unchanged")
    for step in plan.steps:
        click.echo(f"{plan.key}: {step.detail}")
    for note in plan.notes:
        click.echo(f"{plan.key}: note: {note}")
    for problem in plan.problems:
        click.echo(click.style(f"{plan.key}: PROBLEM: {problem}", fg="red"))


def _apply(registry: Registry, plan: TypePlan) -> bool:
    for step in plan.steps:
        ok, lines = apply_step(registry, plan.key, step)
        for line in lines:
            shown = f"{plan.key}: {step.detail}: {line}"
            click.echo(shown if ok else click.style(shown, fg="red"))
        if not ok:
            return False
    return True


def _summary(plans: list[TypePlan], verb: str) -> str:
    changed = sum(bool(p.steps) for p in plans)
    problems = sum(bool(p.problems) for p in plans)
    return (
        f"{len(plans)} event type(s): {changed} {verb}, "
        f"{len(plans) - changed - problems} unchanged, {problems} with problems"
    )


@click.command("push")
@click.argument("directory", type=_DIR)
@url_option(required=True)
@token_option()
@click.option(
    "--dry-run", is_flag=True, help="Print the plan and every incompatibility; change nothing."
)
@click.pass_context
def push(
    ctx: click.Context, *, directory: Path, url: str, token: str | None, dry_run: bool
) -> None:
    """Apply the tracking-plan folder DIRECTORY to a registry: create or update event types,
    their config, a new schema version only when the schema changed, and their examples.

    Exits 0 when done (or the dry-run plan is clean), 1 on any incompatibility or refused
    change, 2 when the command could not run.
    """
    entries = _read(directory)
    registry = connect(ctx, url, token)
    plans = [plan_entry(e, fetch_remote(registry, e.key)) for e in entries]
    if dry_run:
        for plan in plans:
            if plan.version_body is not None and not any(s.kind == "create" for s in plan.steps):
                _check_compatibility(registry, plan)
            _print(plan)
        click.echo(_summary(plans, "to change"))
        ctx.exit(1 if any(p.problems for p in plans) else 0)
    for plan in plans:
        _print(plan)
    if any(p.problems for p in plans):
        click.echo("nothing applied: fix the problems above first", err=True)
        ctx.exit(1)
    failed = [p.key for p in plans if not _apply(registry, p)]
    click.echo(_summary(plans, "changed"))
    if failed:
        click.echo(f"refused by the registry: {', '.join(failed)}", err=True)
    ctx.exit(1 if failed else 0)


def pull_entry(registry: Registry, key: str) -> PlanEntry:
    """The plan entry of ``key`` as the registry holds it (latest non-disabled version)."""
    base = path("event-types", key)
    event_type = registry.json("GET", base)
    config = registry.json("GET", base + "/config")["own"]
    examples = registry.json("GET", base + "/examples")["examples"]
    latest = registry.request("GET", base + "/versions/latest")
    version: dict[str, Any] = latest.json() if latest.status_code == 200 else {}
    params = version.get("params")
    return PlanEntry(
        key=key,
        description=event_type["description"],
        owner=event_type["owner"],
        tags=event_type["tags"],
        config=msgspec.convert(config, TypeConfig),
        schema=version.get("schema") if params is None else None,
        params=params,
        examples=[
            PlanExample(
                name=e["name"],
                payload=e["payload"],
                expectValid=e["expectValid"],
                description=e.get("description", ""),
            )
            for e in examples
        ],
    )


@click.command("pull")
@click.argument("directory", type=_DIR)
@url_option(required=True)
@token_option()
@click.option("--prefix", default="", help="Only keys starting with this.")
@click.option("--tag", help="Only event types with this tag.")
@click.pass_context
def pull(
    ctx: click.Context,
    *,
    directory: Path,
    url: str,
    token: str | None,
    prefix: str,
    tag: str | None,
) -> None:
    """Write the registry's event types into the tracking-plan folder DIRECTORY, one
    <key>.json file each (deterministic: sorted keys, 2-space indent, trailing newline).

    Exits 0 when written, 2 when the command could not run.
    """
    registry = connect(ctx, url, token)
    entries = [pull_entry(registry, key) for key in list_keys(registry, prefix=prefix, tag=tag)]
    try:
        written = write_plan(directory, entries)
    except (PlanError, OSError) as exc:
        raise CommandError(str(exc)) from exc
    click.echo(f"wrote {len(written)} file(s) to {directory}")
