"""``event-registry check-compat``: the compatibility checker at the command line.

Two forms:

* ``check-compat OLD.json NEW.json`` -- two local schema files, checked in process at
  ``--level``/``--policy``;
* ``check-compat --url URL KEY NEW.json`` -- asks a registry (``POST
  /event-types/{key}/compatibility``) whether NEW may follow KEY's versions under the type's
  configured level. NEW is a JSON Schema, or a JSON array (a param list).

Exit codes: 0 compatible, 1 incompatible, 2 usage error (missing or unreadable file, invalid
JSON, a document that is not a schema or that the server would refuse, a bad option, an
unreachable registry).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import msgspec

from registry.cli.http import connect, path, problem_of, token_option, unexpected, url_option
from registry.core.compatibility import CompatibilityResult, Level, Policy, check_against
from registry.core.errors import RegistryError
from registry.core.schema_check import SchemaLimits, check_schema

_EXIT_INCOMPATIBLE = 1


def read_json(path: Path) -> Any:
    """Decode a JSON file; unreadable files, folders and invalid JSON are usage errors."""
    if path.is_dir():
        raise click.UsageError(f"{path} is a folder, not a JSON file")
    try:
        return msgspec.json.decode(path.read_bytes())
    except OSError as exc:
        raise click.UsageError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except msgspec.DecodeError as exc:
        raise click.UsageError(f"{path} is not valid JSON: {exc}") from exc


def load_schema(path: Path) -> Any:
    """Read a schema file and run the server's registration check on it (exit 2 if refused)."""
    schema = read_json(path)
    if not isinstance(schema, dict | bool):
        raise click.UsageError(f"{path} is not a JSON Schema (expected an object or a boolean)")
    try:
        check_schema(schema, limits=_limits())
    except RegistryError as exc:
        raise click.UsageError(f"{path}: {exc.code}: {exc}") from exc
    return schema


def _limits() -> SchemaLimits:
    """The schema-size limits the server applies, from the same settings (environment)."""
    from registry.build import schema_limits
    from registry.cli import settings_from

    return schema_limits(settings_from())


def candidate_body(path: Path) -> dict[str, Any]:
    """``{"schema": ...}`` for a JSON Schema file, ``{"params": [...]}`` for a param list."""
    document = read_json(path)
    if isinstance(document, list):
        return {"params": document}
    if isinstance(document, dict | bool):
        return {"schema": document}
    raise click.UsageError(f"{path} is neither a JSON Schema nor a param list")


def _text(result: CompatibilityResult, against: str) -> list[str]:
    both = len(result.level.directions) > 1
    lines = []
    for finding in result.findings:
        tag = f"[{finding.direction}] " if both else ""
        lines.append(f"{finding.code}  {finding.path or '(root)'}  {tag}{finding.message}")
    where = f"at {result.level} ({result.policy}) against {against}"
    if result.compatible:
        lines.append(f"compatible {where}")
    else:
        lines.append(f"incompatible {where}: {len(result.findings)} finding(s)")
    return lines


def _local(old: Path, new: Path, level: str | None, policy: str | None) -> CompatibilityResult:
    before, after = load_schema(old), load_schema(new)
    return check_against(
        after,
        [(1, before)],
        level=Level((level or Level.BACKWARD.value).upper()),
        policy=Policy((policy or Policy.STRICT.value).upper()),
    )


def _remote(ctx: click.Context, url: str, token: str | None, key: str, new: Path) -> Any:
    body = candidate_body(new)
    registry = connect(ctx, url, token)
    target = path("event-types", key, "compatibility")
    response = registry.request("POST", target, json=body)
    if response.status_code == 200:
        return response.json()
    if response.status_code in (404, 409, 422):
        problem = problem_of(response)
        raise click.UsageError(f"{problem.get('code')}: {problem.get('detail', '')}")
    raise unexpected("POST", target, response)


@click.command("check-compat")
@click.argument("old", metavar="OLD.json|KEY")
@click.argument("new", metavar="NEW.json", type=click.Path(path_type=Path))
@url_option()
@token_option()
@click.option(
    "--level",
    type=click.Choice([lv.value for lv in Level], case_sensitive=False),
    help="Compatibility level (Confluent semantics) [local files; default BACKWARD].",
)
@click.option(
    "--policy",
    type=click.Choice([p.value for p in Policy], case_sensitive=False),
    help="STRICT: content models taken literally. LENIENT: undeclared properties never sent "
    "[local files; default STRICT].",
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
    ctx: click.Context,
    *,
    old: str,
    new: Path,
    url: str | None,
    token: str | None,
    level: str | None,
    policy: str | None,
    output_format: str,
) -> None:
    """Check whether schema NEW may follow schema OLD (two local files), or with --url whether
    NEW may become the next version of event type KEY in that registry (its configured level).

    Exits 0 when compatible, 1 when incompatible, 2 on a usage error.
    """
    if url is None:
        result = _local(Path(old), new, level, policy)
        answer: Any = result
        against = old
    else:
        if level is not None or policy is not None:
            raise click.UsageError("with --url the registry applies the type's configured level")
        answer = _remote(ctx, url, token, old, new)
        result = msgspec.convert(answer, CompatibilityResult)
        checked = ", ".join(f"v{v}" for v in result.checked_versions) or "no versions"
        against = f"{old} ({checked})"
    if output_format == "json":
        click.echo(msgspec.json.encode(answer).decode())
    else:
        click.echo("\n".join(_text(result, against)))
    ctx.exit(0 if result.compatible else _EXIT_INCOMPATIBLE)
