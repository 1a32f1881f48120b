"""``event-registry check-compat OLD.json NEW.json``: the compatibility checker at the command line.

Exit codes: 0 compatible, 1 incompatible, 2 usage error (missing or unreadable file, invalid
JSON, a document that is not a schema, a bad option).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import msgspec

from registry.core.compatibility import CompatibilityResult, Level, Policy, check_against

_EXIT_INCOMPATIBLE = 1


def _load(path: Path) -> Any:
    try:
        schema = msgspec.json.decode(path.read_bytes())
    except OSError as exc:
        raise click.UsageError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except msgspec.DecodeError as exc:
        raise click.UsageError(f"{path} is not valid JSON: {exc}") from exc
    if not isinstance(schema, dict | bool):
        raise click.UsageError(f"{path} is not a JSON Schema (expected an object or a boolean)")
    return schema


def _text(result: CompatibilityResult, old: Path) -> list[str]:
    both = len(result.level.directions) > 1
    lines = []
    for finding in result.findings:
        tag = f"[{finding.direction}] " if both else ""
        lines.append(f"{finding.code}  {finding.path or '(root)'}  {tag}{finding.message}")
    where = f"at {result.level} ({result.policy}) against {old}"
    if result.compatible:
        lines.append(f"compatible {where}")
    else:
        lines.append(f"incompatible {where}: {len(result.findings)} finding(s)")
    return lines


@click.command("check-compat")
@click.argument("old", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--level",
    type=click.Choice([lv.value for lv in Level], case_sensitive=False),
    default=Level.BACKWARD.value,
    show_default=True,
    help="Compatibility level (Confluent semantics).",
)
@click.option(
    "--policy",
    type=click.Choice([p.value for p in Policy], case_sensitive=False),
    default=Policy.STRICT.value,
    show_default=True,
    help="STRICT: content models taken literally. LENIENT: undeclared properties never sent.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: one line per finding and a verdict; json: the CompatibilityResult.",
)
@click.pass_context
def check_compat(
    ctx: click.Context, *, old: Path, new: Path, level: str, policy: str, output_format: str
) -> None:
    """Check whether schema NEW may follow schema OLD.

    Exits 0 when compatible, 1 when incompatible, 2 on a usage error.
    """
    before, after = _load(old), _load(new)
    result = check_against(
        after, [(1, before)], level=Level(level.upper()), policy=Policy(policy.upper())
    )
    if output_format == "json":
        click.echo(msgspec.json.encode(result).decode())
    else:
        click.echo("\n".join(_text(result, old)))
    ctx.exit(0 if result.compatible else _EXIT_INCOMPATIBLE)
