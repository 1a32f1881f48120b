"""``event-registry audit``: read a registry's audit trail (``GET /audit``), following cursors.

Exit codes: 0 done (also when nothing matched); 2 when the command could not run (unreachable
registry, refused token, a filter the registry rejects).
"""

from __future__ import annotations

from typing import Any

import click
import msgspec

from registry.cli.http import connect, token_option, unexpected, url_option

PAGE = 500


def render_entry(entry: dict[str, Any]) -> str:
    """``#12 2026-01-01T10:00:00.000Z ci@10.0.0.5 version.register orderCreated v3 ...``."""
    who = entry["actor"] + (f"@{entry['address']}" if entry.get("address") else "")
    what = " ".join(
        part
        for part in (
            entry.get("key") and repr(entry["key"]),
            entry.get("version") is not None and f"v{entry['version']}",
            entry.get("name") and f"example {entry['name']!r}",
        )
        if part
    )
    changes = ", ".join(
        f"{field}: {_short(old)} -> {_short(new)}" for field, (old, new) in entry["changes"].items()
    )
    return f"#{entry['id']} {entry['at']} {who} {entry['action']} {what}".rstrip() + (
        f"  ({changes})" if changes else ""
    )


def _short(value: Any) -> str:
    text = msgspec.json.encode(value).decode()
    return text if len(text) <= 40 else text[:37] + "..."


@click.command("audit")
@url_option(required=True)
@token_option()
@click.option("--key", help="Only changes of this event type.")
@click.option("--actor", help="Only changes by this actor (token name, or 'anonymous').")
@click.option("--since", help="ISO 8601: changes at or after this instant.")
@click.option("--until", help="ISO 8601: changes before this instant.")
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=1000,
    show_default=True,
    help="Print at most this many entries.",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_context
def audit_command(
    ctx: click.Context,
    /,
    *,
    url: str,
    token: str | None,
    limit: int,
    fmt: str,
    **filters: str | None,
) -> None:
    """Print the audit trail of a registry, oldest first: who changed what, when, from where,
    with each changed field before -> after."""
    registry = connect(ctx, url, token)
    params: dict[str, Any] = {k: v for k, v in filters.items() if v is not None}
    entries: list[dict[str, Any]] = []
    while len(entries) < limit:
        params["limit"] = min(PAGE, limit - len(entries))
        response = registry.request("GET", "/audit", params=params)
        if response.status_code != 200:
            raise unexpected("GET", "/audit", response)
        page = response.json()
        entries += page["items"]
        if page["nextCursor"] is None:
            break
        params["cursor"] = page["nextCursor"]
    if fmt == "json":
        click.echo(msgspec.json.encode(entries).decode())
        return
    for entry in entries:
        click.echo(render_entry(entry))
    click.echo(f"{len(entries)} audit entr{'y' if len(entries) == 1 else 'ies'}", err=True)
