"""`event-registry export` / `import`: a registry moved through a dump file answers the same."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest
from click.testing import CliRunner
from litestar.testing import TestClient

from registry.app import create_app
from registry.cli import main
from registry.settings import Settings


def run(*args: str, input: bytes | None = None):
    return CliRunner().invoke(main, list(args), input=input)


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    """The built-in catalog seeded into a SQLite file, a version deprecated over HTTP, and
    that file's dump."""
    db = tmp_path_factory.mktemp("source") / "a.db"
    assert run("seed", "--db", str(db)).exit_code == 0
    with TestClient(create_app(Settings(db=str(db)))) as client:
        answer = client.patch(
            "/event-types/orderCreated/versions/1",
            json={"state": "deprecated", "sunset": "2027-01-31", "note": "moving on"},
        )
        assert answer.status_code == 200, answer.text
    exported = run("export", "--db", str(db))
    assert exported.exit_code == 0, exported.output
    return db, exported.stdout_bytes


def test_export_import_export_is_byte_identical(source: tuple[Path, bytes], tmp_path: Path) -> None:
    _, dump = source
    (tmp_path / "dump.json").write_bytes(dump)
    target = tmp_path / "b.db"
    imported = run("import", str(tmp_path / "dump.json"), "--db", str(target))
    assert imported.exit_code == 0, imported.output
    assert imported.stderr.startswith(f"{target}: imported 36 event types, 36 versions, ")
    again = run("export", "--db", str(target))
    assert again.stdout_bytes == dump


def test_the_imported_registry_answers_validate_and_schemas_the_same(
    source: tuple[Path, bytes], tmp_path: Path
) -> None:
    db, dump = source
    target = tmp_path / "b.db"
    assert run("import", "-", "--db", str(target), input=dump).exit_code == 0
    records = msgspec.json.decode(dump)["records"]
    with (
        TestClient(create_app(Settings(db=str(db)))) as before,
        TestClient(create_app(Settings(db=str(target)))) as after,
    ):
        for stored in records["schemas"]:
            path = f"/schemas/{stored['schema_id']}"
            assert after.get(path).json() == before.get(path).json()
        deprecated = after.get("/event-types/orderCreated/versions/1").json()
        assert (deprecated["state"], deprecated["sunset"]) == ("deprecated", "2027-01-31")
        verdicts = set()
        for example in records["examples"]:
            payload = example["example"]["payload"]
            answer = after.post("/validate", json=payload)
            assert answer.status_code == 200
            assert answer.json() == before.post("/validate", json=payload).json()
            verdicts.add(answer.json()["valid"])
        assert verdicts == {True, False}  # both kinds of report compared
        assert after.get("/audit?limit=500").json() == before.get("/audit?limit=500").json()


def test_import_into_a_database_holding_anything_exits_2_and_changes_nothing(
    source: tuple[Path, bytes], tmp_path: Path
) -> None:
    db, dump = source
    (tmp_path / "dump.json").write_bytes(dump)
    result = run("import", str(tmp_path / "dump.json"), "--db", str(db))
    assert result.exit_code == 2
    assert result.output == (
        "Error: store_not_empty: the target database already holds event types, schemas, "
        "audit entries or a global config; import writes original ids only into an empty "
        "database\n"
    )
    assert run("export", "--db", str(db)).stdout_bytes == dump


def test_a_file_that_is_not_a_dump_exits_2_naming_the_reason(tmp_path: Path) -> None:
    (tmp_path / "notes.json").write_text('{"hello": "world"}', encoding="utf-8")
    result = run("import", str(tmp_path / "notes.json"), "--db", str(tmp_path / "b.db"))
    assert result.exit_code == 2
    assert result.output == (
        "Error: dump_invalid: not a valid registry dump: not an event-registry dump "
        "(format must be 'event-registry-dump')\n"
    )
    assert run("export", "--db", str(tmp_path / "b.db")).exit_code == 0
