"""``event-registry tokens``: issue, list and revoke API tokens, offline on the database.

This is how the first admin token is made: no server needs to run, and nothing is sent over a
network. The secret is printed once; only its SHA-256 is stored.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import click
import msgspec

from registry.core.audit import Actor
from registry.core.auth import SCOPES, TokenRecord
from registry.core.errors import RegistryError
from registry.core.tokens import TokenService, expiry_in_days
from registry.envvars import env_name
from registry.settings import load_settings


def _service(db: str | None) -> TokenService:
    from registry.wiring import open_token_store

    try:
        settings = load_settings(os.environ, db=db)
    except RegistryError as exc:
        raise click.BadParameter(str(exc)) from None
    try:
        return TokenService(open_token_store(settings))
    except RegistryError as exc:  # the PostgreSQL database unreachable, its driver missing
        raise click.ClickException(f"{exc.code}: {exc}") from None


def _public(token: TokenRecord) -> dict[str, Any]:
    data: dict[str, Any] = msgspec.to_builtins(token)
    del data["secretHash"]
    return data


def _db_option() -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option("--db", help=f"SQLite file or postgresql:// URL [env {env_name('db')}].")


def _format_option() -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")


@click.group()
def tokens() -> None:
    """Issue, list and revoke API tokens (works offline on the database)."""


@tokens.command("create")
@click.option(
    "--scope", required=True, type=click.Choice(SCOPES), help="read ⊂ validate ⊂ write ⊂ admin."
)
@click.option("--name", required=True, help="Who or what uses it (shown in the audit trail).")
@click.option(
    "--prefix", "prefixes", multiple=True, help="Restrict to keys with this prefix (repeatable)."
)
@click.option("--tag", "tags", multiple=True, help="Restrict to types with this tag (repeatable).")
@click.option("--expires-in-days", type=click.IntRange(min=1), help="Expire after this many days.")
@click.option(
    "--creator", default="cli", show_default=True, help="Recorded as the token's creator."
)
@_db_option()
@_format_option()
def create(
    scope: str,
    name: str,
    prefixes: tuple[str, ...],
    tags: tuple[str, ...],
    expires_in_days: int | None,
    creator: str,
    db: str | None,
    fmt: str,
) -> None:
    """Issue a token and print its secret (this is the only time it is shown)."""
    service = _service(db)
    try:
        issued = service.create(
            name=name,
            scope=scope,
            creator=creator,
            key_prefixes=list(prefixes),
            tags=list(tags),
            expires_at=expiry_in_days(expires_in_days) if expires_in_days else None,
        )
    except RegistryError as exc:
        raise click.ClickException(f"{exc.code}: {exc}") from None
    finally:
        service.close()
    if fmt == "json":
        click.echo(msgspec.json.encode({"token": issued.secret, "info": _public(issued.token)}))
        return
    click.echo(issued.secret)
    click.echo(
        f"token {issued.token.id} ({issued.token.scope}, {issued.token.name!r}): store the secret "
        "now, it is not shown again",
        err=True,
    )


@tokens.command("list")
@_db_option()
@_format_option()
def list_tokens(db: str | None, fmt: str) -> None:
    """List tokens (never their secrets)."""
    service = _service(db)
    try:
        found = service.list()
    finally:
        service.close()
    if fmt == "json":
        click.echo(msgspec.json.encode([_public(t) for t in found]))
        return
    for t in found:
        state = (
            "revoked" if t.revoked_at else ("expires " + t.expires_at if t.expires_at else "active")
        )
        limits = ",".join([*(f"prefix:{p}" for p in t.key_prefixes), *(f"tag:{g}" for g in t.tags)])
        click.echo(
            f"{t.id}  {t.scope:8} {t.name:24} {state:32} last used {t.last_used_at or 'never'}"
            + (f"  only {limits}" if limits else "")
        )


@tokens.command("revoke")
@click.argument("token_id")
@_db_option()
def revoke(token_id: str, db: str | None) -> None:
    """Revoke a token; every server on this database refuses it within a second."""
    service = _service(db)
    try:
        token = service.revoke(token_id=token_id, actor=Actor("cli"))
    except RegistryError as exc:
        raise click.ClickException(f"{exc.code}: {exc}") from None
    finally:
        service.close()
    click.echo(f"revoked {token.id} ({token.name!r}) at {token.revoked_at}")
