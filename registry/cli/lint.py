"""``event-registry lint PATH…``: advice on event-type schemas beyond validity.

Each PATH is a schema file, a plan/catalog file (``{"key", "schema"|"params", ...}``), a
param-list file (a JSON array) or a folder of them (searched recursively for ``*.json``). All
files are linted together, so the cross-type rule (``param_casing_inconsistent``) compares them.

Exit codes: 0 no finding; 1 findings; 2 usage (unreadable or malformed file, unknown rule).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import msgspec

from registry import __version__
from registry.cli.http import CommandError
from registry.cli.output.github import _data, _property
from registry.cli.output.sarif import INFORMATION_URI, SARIF_SCHEMA, _uri
from registry.core import lint
from registry.core.errors import SchemaInvalid
from registry.core.paramlist import compile_param_list

FORMATS = ("text", "json", "sarif", "github")


class Linted(msgspec.Struct, frozen=True):
    file: str
    finding: lint.LintFinding


def _files(paths: tuple[str, ...]) -> list[Path]:
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*.json") if p.is_file())
        elif path.is_file():
            found.append(path)
        else:
            raise CommandError(f"no such file or folder: {given}")
    if not found:
        raise CommandError("no schema files to lint")
    return found


def subject_of(path: Path) -> lint.Subject:
    """The event type a file describes (its key, else the file name without ``.json``)."""
    try:
        document: Any = msgspec.json.decode(path.read_bytes())
    except (OSError, msgspec.DecodeError) as exc:
        raise CommandError(f"{path}: cannot read it as JSON: {exc}") from exc
    key: str = path.stem
    if isinstance(document, dict) and isinstance(document.get("key"), str):
        key = document["key"]
        document = document.get("schema", document.get("params", {}))
    if isinstance(document, list):
        try:
            document = compile_param_list(document)
        except SchemaInvalid as exc:
            raise CommandError(f"{path}: not a valid param list: {exc}") from exc
    return lint.Subject(key, document)


def _text(items: list[Linted]) -> str:
    lines = [
        f"{i.file}: {i.finding.key} {i.finding.param or i.finding.path or '(root)'}: "
        f"{i.finding.rule}: {i.finding.message}"
        for i in items
    ]
    lines.append(f"event-registry lint: {len(items)} finding(s)")
    return "\n".join(lines) + "\n"


def _json(items: list[Linted]) -> str:
    document = {
        "findings": [{"file": i.file, **msgspec.to_builtins(i.finding)} for i in items],
        "count": len(items),
    }
    return msgspec.json.format(msgspec.json.encode(document), indent=2).decode() + "\n"


def _sarif(items: list[Linted], rules: list[lint.Rule]) -> str:
    index = {r.code: n for n, r in enumerate(rules)}
    results = [
        {
            "ruleId": i.finding.rule,
            "ruleIndex": index[i.finding.rule],
            "level": "warning",
            "message": {"text": i.finding.message},
            "locations": [
                {
                    "physicalLocation": {"artifactLocation": {"uri": _uri(i.file)}},
                    "logicalLocations": [
                        {"fullyQualifiedName": f"{i.finding.key}{i.finding.path}", "kind": "member"}
                    ],
                }
            ],
            "properties": {"eventTypeKey": i.finding.key, "path": i.finding.path},
        }
        for i in items
    ]
    driver = {
        "name": "event-registry",
        "version": __version__,
        "informationUri": INFORMATION_URI,
        "rules": [
            {"id": r.code, "name": r.code, "shortDescription": {"text": r.summary}} for r in rules
        ],
    }
    sarif = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "results": results}],
    }
    return msgspec.json.format(msgspec.json.encode(sarif), indent=2).decode() + "\n"


def _github(items: list[Linted]) -> str:
    lines = []
    for i in items:
        title = _property(f"{i.finding.rule} ({i.finding.key})")
        where = i.finding.param or i.finding.path
        message = _data(f"{i.finding.key} {where}: {i.finding.message}")
        lines.append(f"::warning file={_property(i.file)},title={title}::{message}")
    lines.append(f"event-registry lint: {len(items)} finding(s)")
    return "\n".join(lines) + "\n"


@click.command("lint")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--rule",
    "rules",
    multiple=True,
    help="Run this rule (repeatable; 'all' for every rule). Default: the default rules.",
)
@click.option("--disable", multiple=True, help="Skip this rule (repeatable).")
@click.option(
    "--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file instead of stdout.",
)
def lint_command(
    paths: tuple[str, ...],
    rules: tuple[str, ...],
    disable: tuple[str, ...],
    output_format: str,
    output: Path | None,
) -> None:
    """Lint event-type schemas (rules: README "Lint"); exit 1 when there are findings."""
    try:
        chosen = lint.select(rules or None, disabled=disable)
    except KeyError as exc:
        raise click.UsageError(
            f"unknown rule {exc.args[0]!r}; rules: {', '.join(lint.RULE_CODES)}"
        ) from None
    files = _files(paths)
    subjects = [subject_of(f) for f in files]
    items = [
        Linted(file=str(f), finding=finding)
        for f, s in zip(files, subjects, strict=True)
        for rule in chosen
        for finding in rule.check(s, subjects)
    ]
    text = {
        "text": lambda: _text(items),
        "json": lambda: _json(items),
        "sarif": lambda: _sarif(items, chosen),
        "github": lambda: _github(items),
    }[output_format]()
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
    raise SystemExit(1 if items else 0)
