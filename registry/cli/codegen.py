"""``event-registry codegen``: TypeScript or Python types for every event type's latest schema.

Schemas come from a registry (``GET /bundle`` for the schemas, ``GET /event-types`` for the
descriptions) or from a tracking-plan folder. Exit codes: 0 written; 2 the command could not run.
"""

from __future__ import annotations

from pathlib import Path

import click

from registry.cli.http import CommandError, connect, token_option, url_option
from registry.cli.validate import emit
from registry.codegen import LANGS, TypeSource, generate
from registry.plan import OfflineRegistry, PlanError, read_plan


def from_registry(
    ctx: click.Context, url: str, token: str | None, prefix: str, tag: str | None
) -> list[TypeSource]:
    registry = connect(ctx, url, token)
    filters: dict[str, str] = {"prefix": prefix} | ({"tag": tag} if tag is not None else {})
    bundle = registry.json("GET", "/bundle", params=filters)["eventTypes"]
    descriptions: dict[str, str] = {}
    params: dict[str, str | int] = {**filters, "limit": 500}
    while True:
        page = registry.json("GET", "/event-types", params=params)
        descriptions.update({t["key"]: t["description"] for t in page["items"]})
        if page["nextCursor"] is None:
            break
        params["cursor"] = page["nextCursor"]
    return [
        TypeSource(key=key, description=descriptions.get(key, ""), schema=entry["schema"])
        for key, entry in bundle.items()
    ]


def from_folder(folder: Path, prefix: str, tag: str | None) -> list[TypeSource]:
    try:
        entries, _ = read_plan(folder)
        offline = OfflineRegistry(entries, source=str(folder))
    except PlanError as exc:
        raise CommandError(str(exc)) from exc
    return [
        TypeSource(key=e.key, description=e.description, schema=offline.schema_of(e.key))
        for e in entries
        if e.key.startswith(prefix)
        and (tag is None or tag in e.tags)
        and offline.schema_of(e.key) is not None
    ]


@click.command("codegen")
@click.option("--lang", type=click.Choice(LANGS), required=True, help="Output language.")
@url_option()
@token_option()
@click.option(
    "--schemas",
    type=click.Path(file_okay=False, path_type=Path),
    help="Generate from a tracking-plan folder instead of a running registry.",
)
@click.option("--prefix", default="", help="Only keys starting with this.")
@click.option("--tag", help="Only event types with this tag.")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file."
)
@click.pass_context
def codegen(
    ctx: click.Context,
    *,
    lang: str,
    url: str | None,
    token: str | None,
    schemas: Path | None,
    prefix: str,
    tag: str | None,
    output: Path | None,
) -> None:
    """Generate types for each event type's latest schema: TypeScript interfaces (string-literal
    unions for enums, optional members, a discriminated AnyEvent union) or Python msgspec
    Structs (a tagged AnyEvent union that also validates when decoding).

    Exits 0 when written, 2 when the command could not run.
    """
    if (url is None) == (schemas is None):
        raise click.UsageError("give exactly one of --url (a running registry) or --schemas DIR")
    if schemas is not None:
        types, source = from_folder(schemas, prefix, tag), f"from {schemas.as_posix()}"
    else:
        types, source = from_registry(ctx, str(url), token, prefix, tag), f"from {url}"
    emit(generate(lang, types, source=source), output)  # type: ignore[arg-type]
