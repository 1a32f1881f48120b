"""Moving a registry from SQLite to PostgreSQL with the CLI: `event-registry export --db file`,
then `event-registry import --db postgresql://...` into an empty database (issue 13)."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest
from click.testing import CliRunner
from litestar.testing import TestClient

from registry.app import create_app
from registry.cli import main
from registry.core.audit import AuditQuery
from registry.core.service import RegistryService
from registry.settings import Settings
from registry.store.postgres.store import PostgresStore
from registry.store.sqlite import SqliteStore
from tests.contract.test_dump import LIMITS, populate


def run(*args: str, input: bytes | None = None):
    return CliRunner().invoke(main, list(args), input=input)


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    """A SQLite registry holding every kind of record a dump carries (the dump contract's
    ``populate``: soft- and permanently deleted types, lifecycle states, examples, global and
    per-type config, references, the audit trail), and its dump written by the CLI."""
    db = tmp_path_factory.mktemp("sqlite") / "source.db"
    store = SqliteStore(db)
    try:
        populate(store)
    finally:
        store.close()
    exported = run("export", "--db", str(db))
    assert exported.exit_code == 0, exported.output
    return db, exported.stdout_bytes


def test_sqlite_to_postgresql_keeps_every_record_and_numbering_goes_on(
    source: tuple[Path, bytes], pg_url: str, tmp_path: Path
) -> None:
    db, dump = source
    (tmp_path / "dump.json").write_bytes(dump)
    imported = run("import", str(tmp_path / "dump.json"), "--db", pg_url)
    assert imported.exit_code == 0, imported.output
    assert imported.stderr == (
        f"{pg_url}: imported 4 event types, 7 versions, 8 schemas, 1 examples, 21 audit entries\n"
    )
    sqlite, postgres = SqliteStore(db), PostgresStore(pg_url)
    try:
        before, after = sqlite.export_records(), postgres.export_records()
        assert after == before  # ids, fingerprints, versions, examples, config, lifecycle, audit
        assert [(v.key, v.version, v.schema_id, v.state) for v in after.versions] == [
            ("money", 1, 7, "active"),
            ("orderCreated", 1, 1, "deprecated"),
            ("orderCreated", 2, 2, "disabled"),
            ("orderCreated", 3, 3, "active"),
            ("orderCreated", 4, 4, "active"),
            ("refunded", 1, 8, "active"),
            ("retired", 1, 6, "active"),
        ]
        assert [s.fingerprint for s in after.schemas] == [s.fingerprint for s in before.schemas]
    finally:
        sqlite.close()
        postgres.close()
    again = run("export", "--db", pg_url)
    assert again.exit_code == 0, again.output
    assert again.stdout_bytes == dump  # byte for byte
    with TestClient(create_app(Settings(db=pg_url, seed_catalog=False))) as client:
        orphan = client.get("/schemas/5").json()  # only a permanently deleted type used it
        assert orphan["schema"] == {"type": "object", "title": "orphan"}
        assert orphan["fingerprint"] == after.schemas[4].fingerprint
        answer = client.post(
            "/event-types/orderCreated/versions",
            json={"schema": {"type": "object"}},  # BACKWARD (its config) with v4
        )
        assert answer.status_code == 201, answer.text
        assert (answer.json()["version"], answer.json()["schemaId"]) == (5, 9)
    store = PostgresStore(pg_url)
    try:
        page = store.list_audit(query=AuditQuery(after_id=21, limit=10))
        # serve's start also sunset orderCreated v1 (deprecated until 2026-06-01), when it ran
        assert [e.id for e in page.items] == list(range(22, 22 + len(page.items)))
        assert [e.action for e in page.items if e.action != "version.sunset"] == [
            "version.register"
        ]
    finally:
        store.close()


def test_import_into_a_postgresql_database_holding_anything_exits_2_and_changes_nothing(
    source: tuple[Path, bytes], pg_url: str
) -> None:
    _, dump = source
    store = PostgresStore(pg_url)
    try:
        RegistryService(store, limits=LIMITS).create_event_type(key="already")
        before = store.export_records()
    finally:
        store.close()
    result = run("import", "-", "--db", pg_url, input=dump)
    assert result.exit_code == 2
    assert result.output == (
        "Error: store_not_empty: the target database already holds event types, schemas, "
        "audit entries or a global config; import writes original ids only into an empty "
        "database\n"
    )
    store = PostgresStore(pg_url)
    try:
        assert store.export_records() == before
    finally:
        store.close()


def test_text_postgresql_cannot_hold_exits_2_and_writes_nothing(
    tmp_path: Path, pg_url: str
) -> None:
    """SQLite stores U+0000 in a description; PostgreSQL text cannot: a clean refusal."""
    db = tmp_path / "nul.db"
    store = SqliteStore(db)
    try:
        service = RegistryService(store, limits=LIMITS)
        service.create_event_type(key="fine")
        service.create_event_type(key="odd", description="a\u0000b")
    finally:
        store.close()
    dump = run("export", "--db", str(db)).stdout_bytes
    result = run("import", "-", "--db", pg_url, input=dump)
    assert result.exit_code == 2
    assert result.output.startswith(
        "Error: invalid_request: a value the database cannot store: "
    ), result.output
    store = PostgresStore(pg_url)
    try:
        assert store.export_records().empty
    finally:
        store.close()


def test_the_import_message_never_prints_the_password(
    source: tuple[Path, bytes], pg_url: str
) -> None:
    _, dump = source
    with_password = pg_url.replace("postgresql://postgres@", "postgresql://postgres:s3cret@")
    result = run("import", "-", "--db", with_password, input=dump)  # trust: password ignored
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("postgresql://postgres:***@127.0.0.1:")
    assert "s3cret" not in result.output


def test_postgresql_refuses_a_dump_with_two_versions_of_one_content(
    source: tuple[Path, bytes], pg_url: str
) -> None:
    """SQLite may hold one (the registration race before its 0004); PostgreSQL's constraint
    cannot: the reason names the versions, and nothing is written."""
    _, dump = source
    raw = msgspec.json.decode(dump)
    versions = raw["records"]["versions"]
    second = next(v for v in versions if (v["key"], v["version"]) == ("orderCreated", 2))
    second["schemaId"] = 1  # the content of orderCreated v1
    result = run("import", "-", "--db", pg_url, input=msgspec.json.encode(raw))
    assert result.exit_code == 2
    assert result.output == (
        "Error: dump_invalid: not a valid registry dump: orderCreated v2 holds the same schema "
        "as v1 (a duplicate left by a registration race before SQLite's 0004_fingerprint_unique);"
        " PostgreSQL keeps one version per content: import it into SQLite instead\n"
    )
    store = PostgresStore(pg_url)
    try:
        assert store.export_records().empty
    finally:
        store.close()
