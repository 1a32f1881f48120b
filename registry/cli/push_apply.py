"""Applying one event type's plan all or nothing.

Versions are immutable, so every check runs before anything is written (``push`` in
registry/cli/plan.py: the plan, the schema check, the registry's compatibility dry-run of every
new version, the examples' shape) and the new version is registered last. Until then each
applied step records how to undo it (the registry's state before the push, from :class:`Remote`);
if a later step is refused or the connection fails, those undo steps run newest first, so the
type is left as it was. What cannot be restored (the connection stays down) is listed, never
hidden.
"""

from __future__ import annotations

from typing import Any

import click
import msgspec

from registry.cli.http import CommandError, Registry, path
from registry.cli.sync import Remote, Step, StepKind, TypePlan, apply_step, finding_line

ORDER: dict[StepKind, int] = {
    "create": 0,
    "metadata": 1,
    "config": 2,
    "put-example": 3,
    "delete-example": 3,
    "version": 4,
}
"""The order steps are applied in: everything that can be undone first, the version last."""


def ordered(steps: list[Step]) -> list[Step]:
    return sorted(steps, key=lambda s: ORDER[s.kind])


def _example_body(example: dict[str, Any]) -> dict[str, Any]:
    return {
        "payload": example["payload"],
        "expectValid": example["expectValid"],
        "description": example.get("description", ""),
    }


def undo_of(step: Step, remote: Remote) -> list[Step]:
    """The steps that put back what ``step`` changed (none for a version: it goes last)."""
    if step.kind == "create":
        return [
            Step(kind="delete-type", detail="delete the created event type"),
            Step(kind="purge-type", detail="delete the created event type for good"),
        ]
    if step.kind == "metadata":
        before = remote.event_type or {}
        names = ", ".join(step.body)
        body = {name: before.get(name) for name in step.body}
        return [Step(kind="metadata", detail=f"restore {names}", body=body)]
    if step.kind == "config":
        return [Step(kind="config", detail="restore config", body=remote.config)]
    if step.kind in ("put-example", "delete-example"):
        old = next((e for e in remote.examples if e["name"] == step.name), None)
        if old is None:
            return [
                Step(kind="delete-example", detail=f"remove example {step.name!r}", name=step.name)
            ]
        return [
            Step(
                kind="put-example",
                detail=f"restore example {step.name!r}",
                body=_example_body(old),
                name=step.name,
            )
        ]
    return []


def recheck(registry: Registry, plan: TypePlan) -> list[str]:
    """The registry's verdict on the new version under the config just set ([] = compatible)."""
    result = registry.json(
        "POST", path("event-types", plan.key, "compatibility"), json=plan.version_body
    )
    if result["compatible"]:
        return []
    lines = [
        f"incompatible ({result['level']}, {result['policy']}) with version "
        f"{result.get('conflictsWith')} under the new config:"
    ]
    return lines + ["  " + finding_line(f) for f in result["findings"]]


class Outcome(msgspec.Struct, kw_only=True):
    applied: bool
    """Every step went through."""
    left_over: list[str] = []
    """Steps that were applied and could not be undone (the connection failed)."""
    error: str = ""
    """The connection failure that stopped the push, when there was one."""


def _echo(plan: TypePlan, step: Step, lines: list[str], *, ok: bool) -> None:
    for line in lines:
        shown = f"{plan.key}: {step.detail}: {line}"
        click.echo(shown if ok else click.style(shown, fg="red"))


def _run(registry: Registry, plan: TypePlan, remote: Remote, undo: list[Step]) -> bool:
    for step in ordered(plan.steps):
        if step.kind == "version" and plan.recheck:
            problems = recheck(registry, plan)
            if problems:
                _echo(plan, step, problems, ok=False)
                return False
        ok, lines = apply_step(registry, plan.key, step)
        _echo(plan, step, lines, ok=ok)
        if not ok:
            return False
        undo[:0] = undo_of(step, remote)
    return True


def _roll_back(registry: Registry, plan: TypePlan, undo: list[Step]) -> list[str]:
    """Run ``undo`` (newest first); the details of the steps that could not be undone."""
    for index, step in enumerate(undo):
        try:
            ok, lines = apply_step(registry, plan.key, step)
        except CommandError:
            ok, lines = False, []
        if not ok:
            _echo(plan, step, lines or ["could not be restored"], ok=False)
            return [s.detail for s in undo[index:]]
        click.echo(f"{plan.key}: rolled back: {step.detail}")
    return []


def apply_plan(registry: Registry, plan: TypePlan, remote: Remote) -> Outcome:
    """Apply ``plan``'s steps; on a refusal or a connection failure, undo what was applied."""
    undo: list[Step] = []
    try:
        if _run(registry, plan, remote, undo):
            return Outcome(applied=True)
        error = ""
    except CommandError as exc:
        click.echo(click.style(f"{plan.key}: {exc.message}", fg="red"), err=True)
        error = exc.message
    return Outcome(applied=False, left_over=_roll_back(registry, plan, undo), error=error)
