"""Safe defaults: the loopback rule, the Host allow-list, CORS, the cross-site POST rule, and
secrets that settings, serve and its workers never show."""

from __future__ import annotations

import os
from typing import Any

import pytest
from click.testing import CliRunner
from litestar import Litestar
from litestar.testing import TestClient

from registry.app import create_app
from registry.cli import main, worker_environment
from registry.core.auth import hash_secret
from registry.core.errors import InvalidSettings
from registry.settings import Settings, load_settings
from registry.store.memory import InMemoryStore

SECRET = "er_correct-horse-battery-staple-0123456789"


def client(settings: Settings, **kw: Any) -> TestClient[Litestar]:
    return TestClient(create_app(settings, store=InMemoryStore(), **kw), **_base(kw))


def _base(kw: dict[str, Any]) -> dict[str, Any]:
    return {"base_url": "http://registry.local"} if kw.get("served") else {}


def test_auth_is_off_on_loopback_by_default() -> None:
    with client(Settings()) as c:
        assert c.post("/event-types", json={"key": "a"}).status_code == 201
        assert c.get("/health").json()["auth"] == "off"


def test_auth_off_on_another_address_refuses_to_start() -> None:
    with pytest.raises(InvalidSettings, match="--insecure-no-auth"):
        create_app(Settings(host="0.0.0.0", auth="off"), store=InMemoryStore())


def test_auth_is_on_by_default_on_another_address() -> None:
    with client(Settings(host="0.0.0.0")) as c:
        assert c.get("/event-types").status_code == 401


def test_insecure_no_auth_starts_and_health_says_so() -> None:
    with client(Settings(host="0.0.0.0", insecure_no_auth=True, auth="off")) as c:
        assert c.get("/health").json()["insecure"] is True
        assert c.get("/event-types").status_code == 200


def test_serve_refuses_auth_off_on_a_non_loopback_bind(tmp_path: Any) -> None:
    result = CliRunner().invoke(
        main, ["serve", "--host", "0.0.0.0", "--auth", "off", "--db", str(tmp_path / "x.db")]
    )
    assert result.exit_code == 1
    assert "--insecure-no-auth" in result.output
    assert not (tmp_path / "x.db").exists()


@pytest.mark.parametrize(
    ("host", "allowed", "status"),
    [
        ("localhost:8080", "", 200),
        ("127.0.0.1:8080", "", 200),
        ("[::1]:8080", "", 200),
        ("attacker.example", "", 400),
        ("registry.example.com", "", 400),
        ("registry.example.com", "registry.example.com", 200),
        ("anything.example", "*", 200),
    ],
)
def test_the_served_app_checks_the_host_header(host: str, allowed: str, status: int) -> None:
    with client(Settings(allowed_hosts=allowed), served=True) as c:
        r = c.get("/event-types", headers={"Host": host})
        assert r.status_code == status
        if status == 400:
            assert r.json()["code"] == "host_not_allowed"


def test_in_process_clients_are_not_host_checked() -> None:
    with client(Settings()) as c:  # TestClient sends Host: testserver.local
        assert c.get("/event-types").status_code == 200


def test_cors_is_off_by_default() -> None:
    with client(Settings()) as c:
        r = c.get("/event-types", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in r.headers
        r = c.options(
            "/event-types",
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
        )
        assert "access-control-allow-origin" not in r.headers


def test_configured_origins_get_cors_and_others_do_not() -> None:
    with client(Settings(cors_origins="https://ui.example")) as c:
        ok = c.options(
            "/event-types",
            headers={
                "Origin": "https://ui.example",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization,content-type",
            },
        )
        assert ok.status_code == 204
        assert ok.headers["access-control-allow-origin"] == "https://ui.example"
        r = c.get("/event-types", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in r.headers


@pytest.mark.parametrize(
    ("content", "headers"),
    [
        (b"", {}),
        (b"key=a", {"Content-Type": "application/x-www-form-urlencoded"}),
        (b'{"key": "a"}', {"Content-Type": "text/plain"}),
        (b"", {"Content-Type": "multipart/form-data; boundary=x"}),
    ],
)
def test_a_post_a_cross_site_form_could_send_changes_nothing(
    content: bytes, headers: dict[str, str]
) -> None:
    with client(Settings()) as c:
        c.post("/event-types", json={"key": "gone"})
        c.delete("/event-types/gone")
        r = c.post("/event-types/gone/restore", content=content, headers=headers)
        assert (r.status_code, r.json()["code"]) == (415, "unsupported_media_type")
        assert c.get("/event-types/gone").status_code == 404


def test_a_bodiless_post_declared_json_and_a_bodiless_delete_still_work() -> None:
    with client(Settings()) as c:
        c.post("/event-types", json={"key": "gone"})
        c.delete("/event-types/gone")
        r = c.post("/event-types/gone/restore", headers={"Content-Type": "application/json"})
        assert r.status_code == 200
        assert c.delete("/inspect/events?runId=ci-42").json() == {"deleted": 0}


def test_settings_never_prints_the_admin_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENT_REGISTRY_ADMIN_TOKEN", SECRET)
    result = CliRunner().invoke(main, ["settings"])
    assert result.exit_code == 0
    assert SECRET not in result.output
    assert "EVENT_REGISTRY_ADMIN_TOKEN           ***" in result.output


def test_serve_hands_workers_the_hash_of_the_admin_token_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("EVENT_REGISTRY_ADMIN_TOKEN", SECRET)
    settings = load_settings(os.environ)
    worker_environment(settings)
    handed = {k: v for k, v in os.environ.items() if k.startswith("EVENT_REGISTRY_")}
    for name in list(handed):
        monkeypatch.delenv(name)  # undo for the next tests
    assert SECRET not in "".join(f"{k}={v}" for k, v in handed.items())
    assert handed["EVENT_REGISTRY_ADMIN_TOKEN_SHA256"] == hash_secret(SECRET)
    worker = load_settings(handed)
    with client(Settings(**{**_fields(worker), "auth": "on"})) as c:
        assert c.get("/tokens", headers={"Authorization": f"Bearer {SECRET}"}).status_code == 200


def _fields(settings: Settings) -> dict[str, Any]:
    return {f: getattr(settings, f) for f in Settings.__struct_fields__}


def test_a_bad_setting_names_the_variable_not_the_value() -> None:
    with pytest.raises(InvalidSettings, match="EVENT_REGISTRY_ADMIN_TOKEN: must be at least"):
        load_settings({"EVENT_REGISTRY_ADMIN_TOKEN": "short"})
    with pytest.raises(InvalidSettings, match="EVENT_REGISTRY_AUTH"):
        load_settings({"EVENT_REGISTRY_AUTH": "maybe"})


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("EVENT_REGISTRY_"):
            monkeypatch.delenv(name)
