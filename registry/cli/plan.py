"""``event-registry push DIR`` and ``event-registry pull DIR``: the tracking plan as code.

push exit codes: 0 the registry matches the folder (or, with --dry-run, the plan is clean);
1 a problem -- an incompatible schema, an invalid schema, a soft-deleted type, a step the registry
refused (that type rolled back); 2 the command could not run (unreadable folder, unreachable
registry, the connection lost during the push).
pull exit codes: 0 written; 2 the command could not run.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

import click
import msgspec

from registry.cli.http import CommandError, Registry, connect, path, token_option, url_option
from registry.cli.push_apply import Outcome, apply_plan, ordered
from registry.cli.sync import Remote, TypePlan, fetch_remote, finding_line, list_keys, plan_entry
from registry.core.config import TypeConfig
from registry.core.errors import RegistryError
from registry.core.evolution import check_example
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
        verdict = (
            f"incompatible ({result['level']}, {result['policy']}) with version "
            f"{result.get('conflictsWith')}"
        )
        if any(s.kind == "config" for s in plan.steps):
            plan.recheck = True
            plan.notes.append(
                f"{verdict} under the registry's current config; checked again once the new "
                "config is set, and nothing of this type is kept if it still is"
            )
            return
        plan.problems.append(verdict + ":")
        plan.problems += ["  " + finding_line(f) for f in result["findings"]]
    for verdict_ in result.get("examples", []):
        if not verdict_.get("asExpected", True):
            plan.notes.append(f"stored example {verdict_['name']!r} would change its verdict")


def _check_examples(plan: TypePlan) -> None:
    """The registry's own shape rules for examples, run before anything is written."""
    for step in plan.steps:
        if step.kind == "put-example":
            try:
                check_example(plan.key, step.name, step.body["payload"])
            except RegistryError as exc:
                plan.problems.append(f"example {step.name!r}: {exc.code}: {exc}")


def _preflight(registry: Registry, plan: TypePlan) -> None:
    """Every check that needs no write: examples, then the registry's compatibility dry-run."""
    if plan.problems:
        return
    _check_examples(plan)
    if plan.version_body is not None and not any(s.kind == "create" for s in plan.steps):
        _check_compatibility(registry, plan)


def _print(plan: TypePlan) -> None:
    if not plan.steps and not plan.problems:
        click.echo(f"{plan.key}: unchanged")
    for step in ordered(plan.steps):
        click.echo(f"{plan.key}: {step.detail}")
    for note in plan.notes:
        click.echo(f"{plan.key}: note: {note}")
    for problem in plan.problems:
        click.echo(click.style(f"{plan.key}: PROBLEM: {problem}", fg="red"))


def _summary(plans: list[TypePlan], verb: str, failed: Collection[str] = ()) -> str:
    """Each type counted once: with problems (or refused), else changed, else unchanged."""
    problems = sum(bool(p.problems) or p.key in failed for p in plans)
    changed = sum(bool(p.steps) and not p.problems and p.key not in failed for p in plans)
    return (
        f"{len(plans)} event type(s): {changed} {verb}, "
        f"{len(plans) - changed - problems} unchanged, {problems} with problems"
    )


def _apply_all(registry: Registry, plans: list[TypePlan], remotes: dict[str, Remote]) -> int:
    """Apply each type all or nothing; the exit code (0 done, 1 refused, 2 connection lost)."""
    outcomes: dict[str, Outcome] = {}
    for plan in plans:
        if plan.steps:
            outcomes[plan.key] = apply_plan(registry, plan, remotes[plan.key])
            if outcomes[plan.key].error:
                break
    failed = [key for key, outcome in outcomes.items() if not outcome.applied]
    skipped = [p.key for p in plans if p.steps and p.key not in outcomes]
    click.echo(_summary(plans, "changed", failed + skipped))
    if failed:
        click.echo(f"refused by the registry: {', '.join(failed)} (rolled back)", err=True)
    if skipped:
        click.echo(f"not attempted: {', '.join(skipped)}", err=True)
    left = [f"{key}: {step}" for key, o in outcomes.items() for step in o.left_over]
    if left:
        click.echo("could not roll back (applied, still in the registry):", err=True)
        for line in left:
            click.echo(f"  {line}", err=True)
    if any(o.error for o in outcomes.values()):
        return 2
    return 1 if failed else 0


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

    Every check runs before anything is written, and each event type is applied all or
    nothing: if the registry refuses a step, or the connection fails, what was already applied
    to that type is restored.

    Exits 0 when done (or the dry-run plan is clean), 1 on any incompatibility or refused
    change, 2 when the command could not run (or the connection failed during the push).
    """
    entries = _read(directory)
    registry = connect(ctx, url, token)
    remotes = {e.key: fetch_remote(registry, e.key) for e in entries}
    plans = [plan_entry(e, remotes[e.key]) for e in entries]
    for plan in plans:
        _preflight(registry, plan)
        _print(plan)
    if dry_run:
        click.echo(_summary(plans, "to change"))
        ctx.exit(1 if any(p.problems for p in plans) else 0)
    if any(p.problems for p in plans):
        click.echo(_summary(plans, "changed"))
        click.echo("nothing applied: fix the problems above first", err=True)
        ctx.exit(1)
    ctx.exit(_apply_all(registry, plans, remotes))


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
