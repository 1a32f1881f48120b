"""Keys cannot escape: a plan file addresses its own event type and nothing else (issue 10)."""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from registry.app import create_app
from registry.cli import main
from registry.cli.http import path
from registry.core.model import EventType
from registry.plan import PlanError, read_plan
from registry.settings import Settings
from registry.store.memory import InMemoryStore
from registry.store.sqlite import SqliteStore
from tests.harness import URL, Cli
from tests.serving import serving

LEGACY = EventType(
    key="..", created_at="2020-01-01T00:00:00.000Z", updated_at="2020-01-01T00:00:00.000Z"
)


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("..", "must not be '..'"),
        (".", "must not be '.'"),
        ("a\u0000b", "U+0000 (control character)"),
        ("a\u001bb", "U+001B"),
        ("pay\u202eyap", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
        ("  ", "whitespace only"),
        ("order ", "ends with whitespace"),
    ],
)
def test_plan_files_refuse_keys_that_escape(tmp_path: Path, key: str, message: str) -> None:
    (tmp_path / "a.json").write_text(json.dumps({"key": key}), encoding="utf-8")
    with pytest.raises(PlanError) as caught:
        read_plan(tmp_path)
    assert message in str(caught.value)


def test_a_plan_file_with_key_dot_dot_never_reaches_put_config(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "%2E%2E.json").write_text(
        json.dumps({"key": "..", "config": {"compatibility": "NONE",
                                             "envelope": {"keyValue": False}}}),
        encoding="utf-8",
    )  # fmt: skip
    result = cli("push", str(tmp_path), "--url", URL)
    assert result.exit_code == 2
    assert "must not be '..'" in result.output
    assert [r for r in cli.seen if r.method != "GET"] == []
    assert cli.service.global_config().compatibility is None


@given(st.text(min_size=1, max_size=40).filter(lambda k: "/" not in k))
def test_every_key_addresses_exactly_its_own_path_segment(key: str) -> None:
    """What httpx sends, decoded once as a server does, is /event-types/<key>/config."""
    url = httpx.URL("http://127.0.0.1:1" + path("event-types", key, "config"))
    segments = url.raw_path.decode("ascii").split("?")[0].split("/")
    assert [urllib.parse.unquote(s) for s in segments] == ["", "event-types", key, "config"]


@pytest.mark.parametrize("key", ["..", "."])
def test_dot_segments_are_sent_encoded(key: str) -> None:
    assert path("event-types", key, "config") == f"/event-types/{'%2E' * len(key)}/config"


def test_a_stored_dot_dot_key_stays_readable_and_deletable_over_a_real_server() -> None:
    """Keys stored before the rule: reachable by their own URL, and never the global config."""
    store = InMemoryStore()
    store.create_event_type(event_type=LEGACY)
    with serving(create_app(Settings(), store=store)) as base, httpx.Client(base_url=base) as c:
        put = c.put(path("event-types", "..", "config"), json={"compatibility": "NONE"})
        assert put.status_code == 200
        assert put.json()["eventTypeKey"] == ".."
        assert c.get("/config").json()["own"] == {}
        assert c.get(path("event-types", "..")).json()["key"] == ".."
        assert c.delete(path("event-types", "..")).status_code == 204
        gone = c.delete(path("event-types", ".."), params={"permanent": "true"})
        assert gone.status_code == 204
    assert store.all_keys() == []


def test_registration_of_an_unsafe_key_is_refused_with_the_character_named(cli: Cli) -> None:
    response = cli.http().post("/event-types", json={"key": "pay\u202eyap"})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_event_type_key"
    assert "U+202E (RIGHT-TO-LEFT OVERRIDE) at position 3" in response.json()["detail"]


def test_migrate_lists_stored_keys_registration_would_refuse(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    store = SqliteStore(db)
    store.create_event_type(event_type=LEGACY)
    store.close()
    result = CliRunner().invoke(main, ["migrate", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "1 stored key(s) would be refused" in result.output
    assert "'..': eventTypeKey must not be '..'" in result.output
