"""The ``event-registry`` command. Library errors become clean messages here, in one place."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import click

from registry import __version__
from registry.cli.http import CommandError
from registry.cli.lazy import Lazy, LazyGroup
from registry.envvars import env_name

if TYPE_CHECKING:
    from registry.settings import Settings

# The settings (and the core they load), the core's errors (and msgspec), the database and the
# commands' own modules are imported where they are used: `--help` starts without any of
# them, and `validate --schemas` without the database and the settings' command helpers.


def settings_from(**flags: Any) -> Settings:
    """Environment first, then flags; invalid values become a usage error (exit 2)."""
    from registry.core.errors import RegistryError
    from registry.settings import load_settings

    try:
        return load_settings(os.environ, **flags)
    except RegistryError as exc:
        raise click.BadParameter(str(exc)) from None


LAZY_COMMANDS = {
    "audit": Lazy(
        "registry.cli.audit",
        "audit_command",
        "Print the audit trail of a registry, oldest first: who changed what, when, from where, "
        "with each changed field before -> after.",
    ),
    "check-compat": Lazy(
        "registry.cli.check_compat",
        "check_compat",
        "Check whether schema NEW may follow schema OLD (two local files), or with --url whether "
        "NEW may become the next version of event type KEY in that registry (its configured "
        "level).",
    ),
    "codegen": Lazy(
        "registry.cli.codegen",
        "codegen",
        "Generate types for each event type's latest schema: TypeScript interfaces "
        "(string-literal unions for enums, optional members, a discriminated AnyEvent union) or "
        "Python msgspec Structs (a tagged AnyEvent union that also validates when decoding).",
    ),
    "diff": Lazy(
        "registry.cli.diff",
        "diff_command",
        "List the semantic changes from schema OLD to NEW (local files), or with --url between "
        "versions A and B of event type KEY; each change says whether it breaks backward and/or "
        "forward compatibility.",
    ),
    "export": Lazy(
        "registry.cli.dump",
        "export_command",
        "Write everything the registry holds to stdout as one JSON dump.",
    ),
    "import": Lazy(
        "registry.cli.dump",
        "import_command",
        "Load a dump written by `event-registry export` (a file, or - for stdin).",
    ),
    "infer": Lazy(
        "registry.cli.infer",
        "infer_command",
        "Propose a schema (JSON Schema and param list) from sample events or recorded traffic.",
    ),
    "inspect": Lazy(
        "registry.cli.inspect",
        "inspect_run",
        "Gate on the events a run sent to the drop-in endpoints (read from --url's /inspect).",
    ),
    "lint": Lazy(
        "registry.cli.lint",
        "lint_command",
        'Lint event-type schemas (rules: README "Lint"); exit 1 when there are findings.',
    ),
    "pull": Lazy(
        "registry.cli.plan",
        "pull",
        "Write the registry's event types into the tracking-plan folder DIRECTORY, one "
        "<key>.json file each (deterministic: sorted keys, 2-space indent, trailing newline).",
    ),
    "push": Lazy(
        "registry.cli.plan",
        "push",
        "Apply the tracking-plan folder DIRECTORY to a registry: create or update event types, "
        "their config, a new schema version only when the schema changed, and their examples.",
    ),
    "tokens": Lazy(
        "registry.cli.tokens",
        "tokens",
        "Issue, list and revoke API tokens (works offline on the database).",
    ),
    "validate": Lazy(
        "registry.cli.validate",
        "validate",
        "Validate sample events from PATHS (JSON files holding one event or an array of events, "
        "NDJSON files, folders, globs, or - for stdin) against a registry (--url) or a "
        "tracking-plan folder (--schemas).",
    ),
}
"""Imported when run (start-up is about imports: httpx, the plan loader, code generators)."""


@click.group(
    cls=LazyGroup,
    lazy=LAZY_COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, prog_name="event-registry")
def main() -> None:
    """event-registry: event types, versioned schemas and sample-event validation."""


@main.command()
@click.option("--host", help=f"Interface to bind [env {env_name('host')}; default 127.0.0.1].")
@click.option("--port", type=int, help=f"TCP port [env {env_name('port')}; default 8080].")
@click.option(
    "--db",
    help=f"SQLite file or postgresql:// URL [env {env_name('db')}; default event-registry.db].",
)
@click.option("--workers", type=int, help=f"Worker processes [env {env_name('workers')}; 1].")
@click.option("--log-level", help=f"Log level [env {env_name('log_level')}; info].")
@click.option(
    "--log-format",
    type=click.Choice(["text", "json"]),
    help=f"Log lines as text or JSON [env {env_name('log_format')}; text].",
)
@click.option(
    "--auth",
    type=click.Choice(["on", "off", "auto"]),
    help=f"Require API tokens [env {env_name('auth')}; auto: off on loopback, on elsewhere].",
)
@click.option(
    "--insecure-no-auth",
    is_flag=True,
    default=None,
    help="Allow auth off on a non-loopback address (anyone reaching it can change everything).",
)
def serve(**flags: Any) -> None:
    """Run the HTTP service (uvicorn). Creates and migrates the database on first start."""
    from registry import server

    settings = settings_from(**flags)
    with server.metrics_folder(settings.workers):  # before anything imports prometheus-client
        _serve(settings)


def _serve(settings: Settings) -> None:
    from registry import server
    from registry.app import auth_on
    from registry.cli.database import open_database
    from registry.core.errors import RegistryError
    from registry.settings import describe_db

    try:
        enabled = auth_on(settings)
    except RegistryError as exc:
        raise click.ClickException(f"{exc.code}: {exc}") from None
    open_database(settings, backup=True).close()  # migrate once, before any worker starts
    if settings.seed_catalog:
        _report_seed(seed_database(settings), quiet=True)
    worker_environment(settings)
    click.echo(
        f"event-registry {__version__} on http://{settings.host}:{settings.port} "
        f"(db {describe_db(settings.db)}, {settings.workers} worker(s), "
        f"auth {'on' if enabled else 'off'})",
        err=True,
    )
    server.run(settings)


def worker_environment(settings: Settings) -> None:
    """Hand the settings to the worker processes through the environment, the admin token
    replaced by its hash: a worker (and anything that dumps its environment) never holds it.
    The webhook secret does reach them (they sign deliveries); it is only redacted in output."""
    from registry.core.auth import hash_secret
    from registry.settings import Settings

    for field in Settings.__struct_fields__:
        if field not in HASHED_FOR_WORKERS:
            os.environ[env_name(field)] = str(getattr(settings, field))
    if settings.admin_token:
        os.environ[env_name("admin_token_sha256")] = hash_secret(settings.admin_token)
    for field in HASHED_FOR_WORKERS:
        os.environ.pop(env_name(field), None)


HASHED_FOR_WORKERS = frozenset({"admin_token"})
"""Secrets a worker receives only as a hash (every secret is redacted in printed output)."""


@main.command()
@click.option("--db", help=f"SQLite file or postgresql:// URL [env {env_name('db')}].")
def migrate(**flags: Any) -> None:
    """Create the database or apply pending migrations, then exit.

    An existing file with pending migrations is first copied to
    <file>.pre-migrate-<UTC timestamp>.bak (SQLite's online backup). Also lists stored schema
    versions over the evaluation-cost budget (on stderr).
    """
    from registry.cli.database import open_database
    from registry.core.keys import unsafe_keys
    from registry.settings import describe_db
    from registry.wiring import build_service

    settings = settings_from(**flags)
    store: Any = open_database(settings, backup=True)
    applied = store.applied_migrations()
    unsafe = unsafe_keys(_every_key(store))
    over = build_service(settings, store).over_budget()
    duplicates = store.duplicate_versions()
    store.close()
    click.echo(f"{describe_db(settings.db)}: up to date; applied migrations: {', '.join(applied)}")
    for stored, cost in over:
        click.echo(
            f"over the cost budget ({settings.max_schema_cost}): {stored.key} version "
            f"{stored.version} (schema id {stored.schema_id}) costs {cost} evaluations per "
            "value; still served, validated with the runtime caps; register a simpler version",
            err=True,
        )
    for key, number, original in duplicates:
        click.echo(
            f"merged duplicate: {key} v{number} holds the same schema as v{original} "
            "(left by a registration race before 0004_fingerprint_unique; still readable)"
        )
    if unsafe:
        click.echo(
            f"{len(unsafe)} stored key(s) would be refused by registration today (they stay "
            "readable and deletable; consider re-creating them under a safe key):"
        )
        for key, why in unsafe:
            click.echo(f"  {key!r}: {why}")


def _every_key(store: Any) -> list[str]:
    """Every stored key, soft-deleted ones included."""
    from registry.core.model import EventTypeQuery

    keys: list[str] = []
    after = None
    while True:
        page = store.list_event_types(
            query=EventTypeQuery(include_deleted=True, after=after, limit=500)
        )
        keys += [t.key for t in page.items]
        if page.next_cursor is None:
            return keys
        after = page.next_cursor


@main.command()
@click.option("--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml")
def openapi(fmt: str) -> None:
    """Print the OpenAPI document the app serves (committed as openapi.yaml)."""
    click.echo(render_openapi(fmt), nl=False)


@main.command("settings")
def show_settings() -> None:
    """List every setting with its environment variable and current value (secrets as ***)."""
    from registry.settings import SETTINGS_DOCS, shown

    settings = settings_from()
    for field, doc in SETTINGS_DOCS.items():
        click.echo(f"{env_name(field):36} {shown(settings, field):24} {doc}")


def seed_database(settings: Settings) -> list[Any]:
    """Load the catalog into the database named by ``settings`` (idempotent)."""
    from registry.catalog_files import find_catalog, load_catalog
    from registry.cli.database import open_database
    from registry.core.catalog import CatalogSeeder
    from registry.core.errors import RegistryError
    from registry.wiring import build_service

    try:
        entries = load_catalog(find_catalog(settings.catalog_dir))
        service = build_service(settings, open_database(settings))
        try:
            return CatalogSeeder(service).seed(entries)
        finally:
            service.close()
    except RegistryError as exc:
        raise CommandError(f"{exc.code}: {exc}") from None


def _report_seed(outcomes: list[Any], *, quiet: bool = False) -> None:
    counts: dict[str, int] = {}
    for outcome in outcomes:
        counts[outcome.action] = counts.get(outcome.action, 0) + 1
        if outcome.notes or not quiet:
            notes = f" ({'; '.join(outcome.notes)})" if outcome.notes else ""
            version = f" v{outcome.version}" if outcome.version else ""
            click.echo(f"{outcome.action:16} {outcome.key}{version}{notes}", err=quiet)
    summary = ", ".join(f"{n} {action}" for action, n in sorted(counts.items()))
    click.echo(f"catalog: {len(outcomes)} event types ({summary})", err=quiet)


@main.command()
@click.option("--db", help=f"SQLite file or postgresql:// URL [env {env_name('db')}].")
@click.option("--catalog-dir", help=f"Catalog folder [env {env_name('catalog_dir')}; built-in].")
def seed(**flags: Any) -> None:
    """Load (or reload) the event catalog into the registry; unchanged files change nothing."""
    _report_seed(seed_database(settings_from(**flags)))


@main.command()
@click.option("--db", help=f"SQLite file or postgresql:// URL [env {env_name('db')}].")
def purge(**flags: Any) -> None:
    """Apply the inspection-log retention (age and count limits) now, then exit."""
    from registry.cli.database import open_database
    from registry.settings import describe_db
    from registry.wiring import build_dryrun, build_service

    settings = settings_from(**flags)
    service = build_service(settings, open_database(settings))
    dryrun = build_dryrun(settings, service, None, in_memory=False)
    try:
        removed = dryrun.purge()
    finally:
        dryrun.close()
        service.close()
    click.echo(
        f"{describe_db(settings.db)}: purged {removed} recorded events (older than "
        f"{settings.retention_days} days or beyond the newest {settings.retention_max_events})"
    )


def render_openapi(fmt: str = "yaml") -> str:
    """The app's OpenAPI document, deterministic, as YAML or JSON text."""
    import msgspec
    import yaml

    from registry.app import create_app
    from registry.settings import Settings
    from registry.store.memory import InMemoryStore

    app = create_app(Settings(), store=InMemoryStore())
    document = app.openapi_schema.to_schema()
    if fmt == "json":
        return msgspec.json.format(msgspec.json.encode(document), indent=2).decode() + "\n"
    return str(yaml.safe_dump(document, sort_keys=True, allow_unicode=True, width=100))
