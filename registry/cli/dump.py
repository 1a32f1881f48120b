"""``export`` and ``import``: a registry's complete content as one versioned JSON file.

The format is :mod:`registry.core.dump`; both commands go through the service's ports, so they
work on every store (moving a registry from SQLite to another store is export, then import).
"""

from __future__ import annotations

import sys
from typing import Any

import click

from registry import __version__
from registry.cli.database import open_database
from registry.cli.http import CommandError
from registry.core.dump import decode_dump, encode_dump
from registry.core.errors import RegistryError
from registry.envvars import env_name
from registry.settings import describe_db, is_postgres


def _service(**flags: Any) -> Any:
    from registry.cli import settings_from
    from registry.wiring import build_service

    settings = settings_from(**flags)
    return settings, build_service(settings, open_database(settings))


@click.command("export")
@click.option("--db", help=f"Database [env {env_name('db')}].")
def export_command(**flags: Any) -> None:
    """Write everything the registry holds to stdout as one JSON dump.

    Event types, every version with its number, schema id and fingerprint, lifecycle states and
    sunsets, examples, global and per-type config, the audit trail. Not the inspection log
    (recorded traffic). Restore it with `event-registry import`.
    """
    _, service = _service(**flags)
    try:
        records = service.export_records()
    finally:
        service.close()
    sys.stdout.buffer.write(encode_dump(records, registry_version=__version__))
    sys.stdout.flush()


@click.command("import")
@click.argument("dump", type=click.File("rb"))
@click.option("--db", help=f"Database [env {env_name('db')}]; must hold nothing yet.")
def import_command(dump: Any, **flags: Any) -> None:
    """Load a dump written by `event-registry export` (a file, or - for stdin).

    Original ids are kept (schema ids, version numbers, audit ids), so the target database
    must be empty (a new file, or one just created by `event-registry migrate`); otherwise
    nothing is written and the command exits 2 (store_not_empty).
    """
    settings, service = _service(**flags)
    try:
        records = decode_dump(dump.read())
        service.import_records(records=records)
    except RegistryError as exc:
        raise CommandError(f"{exc.code}: {exc}") from None
    finally:
        service.close()
    target = describe_db(settings.db) if is_postgres(settings.db) else settings.db  # no password
    click.echo(
        f"{target}: imported {len(records.event_types)} event types, "
        f"{len(records.versions)} versions, {len(records.schemas)} schemas, "
        f"{len(records.examples)} examples, {len(records.audit)} audit entries",
        err=True,
    )
