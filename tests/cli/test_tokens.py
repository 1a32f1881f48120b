"""``event-registry tokens`` offline on the database, and ``--token`` really sent by every
command that talks to a registry, checked against each scope."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from litestar.testing import TestClient

from registry.app import create_app
from registry.cli import main
from registry.core.auth import SCOPES, includes
from registry.settings import Settings
from registry.store.memory import InMemoryStore
from tests.harness import URL, Cli, seed

PLAN = Path(__file__).resolve().parents[1] / "data" / "plan"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_tokens_create_list_revoke_offline_on_the_database(tmp_path: Path) -> None:
    db = str(tmp_path / "r.db")
    code, out = run(
        "tokens", "create", "--scope", "admin", "--name", "boot", "--db", db, "--format", "json"
    )
    assert code == 0
    issued = json.loads(out)
    secret, token_id = issued["token"], issued["info"]["id"]
    assert secret.startswith("er_")
    code, out = run("tokens", "list", "--db", db, "--format", "json")
    assert [t["name"] for t in json.loads(out)] == ["boot"]
    assert secret not in out
    assert "secretHash" not in out
    app = create_app(Settings(db=db, auth="on", seed_catalog=False))
    with TestClient(app) as client:
        auth = {"Authorization": f"Bearer {secret}"}
        assert client.get("/tokens", headers=auth).status_code == 200
        code, out = run("tokens", "revoke", token_id, "--db", db)
        assert (code, out.startswith(f"revoked {token_id}")) == (0, True)
        app.dependencies["tokens"].dependency()._cache.clear()  # skip the 1 s bound here
        assert client.get("/tokens", headers=auth).status_code == 401


def test_text_create_prints_only_the_secret_on_stdout(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "tokens",
            "create",
            "--scope",
            "read",
            "--name",
            "sdk",
            "--prefix",
            "mobile",
            "--db",
            str(tmp_path / "r.db"),
        ],
    )
    assert result.exit_code == 0
    assert result.stdout.strip().startswith("er_")
    assert "not shown again" in result.stderr
    _, out = run("tokens", "list", "--db", str(tmp_path / "r.db"))
    assert "only prefix:mobile" in out


def test_revoking_an_unknown_token_fails_cleanly(tmp_path: Path) -> None:
    code, out = run("tokens", "revoke", "tok_nope", "--db", str(tmp_path / "r.db"))
    assert code == 1
    assert "token_not_found" in out


@pytest.fixture
def guarded() -> tuple[Cli, dict[str, str]]:
    cli = Cli(create_app(Settings(auth="on"), store=InMemoryStore()))
    seed(cli.service, "checkout", {"type": "object"})
    tokens = cli.app.dependencies["tokens"].dependency()
    return cli, {s: tokens.create(name=s, scope=s, creator="t").secret for s in SCOPES}


def commands(tmp_path: Path) -> list[tuple[str, list[str]]]:
    plan = tmp_path / "plan"
    shutil.copytree(PLAN, plan)
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"eventTypeKey": "checkout", "keyValue": "a@b.c", "params": []}))
    schema = tmp_path / "new.json"
    schema.write_text(json.dumps({"type": "object"}))
    return [
        ("read", ["pull", str(tmp_path / "pulled"), "--url", URL]),
        ("read", ["codegen", "--lang", "python", "--url", URL]),
        ("read", ["check-compat", "--url", URL, "checkout", str(schema)]),
        ("read", ["diff", "--url", URL, "checkout", "1", "1"]),
        ("validate", ["validate", str(event), "--url", URL]),
        ("write", ["push", str(plan), "--url", URL]),
    ]


@pytest.mark.parametrize("scope", [None, *SCOPES], ids=lambda s: f"token={s}")
@pytest.mark.parametrize(
    "index", range(6), ids=["pull", "codegen", "check-compat", "diff", "validate", "push"]
)
def test_cli_commands_send_the_token_and_need_their_scope(
    guarded: tuple[Cli, dict[str, str]], tmp_path: Path, index: int, scope: str | None
) -> None:
    cli, secrets = guarded
    needed, args = commands(tmp_path)[index]
    token = ["--token", secrets[scope]] if scope else []
    result = cli(*args, *token)
    sent = {r.headers.get("authorization") for r in cli.seen}
    assert sent == {f"Bearer {secrets[scope]}" if scope else None}
    if scope is None or not includes(scope, needed):  # type: ignore[arg-type]
        assert result.exit_code == 2, result.output
        assert "check --token" in result.output
        assert (secrets[scope] if scope else "er_") not in result.output
    else:
        assert result.exit_code == 0, result.output
