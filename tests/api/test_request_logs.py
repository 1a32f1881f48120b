"""One access line per request with a request id; nothing secret or personal in it."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from registry.app import create_app
from registry.logs import ACCESS_LOGGER, JsonFormatter, formatter, log_config
from registry.settings import Settings
from registry.store.memory import InMemoryStore

SECRET = "tok_live_8f2c1d"
EMAIL = "jane.doe@example.com"


def lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == ACCESS_LOGGER]


def test_a_sane_request_id_is_echoed_and_logged_with_the_route_template(
    client: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=ACCESS_LOGGER)
    answer = client.get("/event-types/orderCreated", headers={"X-Request-ID": "ci-run.42:7"})
    assert answer.status_code == 404
    assert answer.headers["x-request-id"] == "ci-run.42:7"
    (record,) = lines(caplog)
    line = json.loads(JsonFormatter().format(record))
    assert set(line) == {"ts", "level", "logger", "message", "request_id", "method", "route"} | {
        "status",
        "duration_ms",
    }
    assert (line["level"], line["logger"]) == ("info", ACCESS_LOGGER)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", line["ts"])
    assert (line["request_id"], line["method"], line["route"], line["status"]) == (
        "ci-run.42:7",
        "GET",
        "/event-types/{key}",
        404,
    )
    assert isinstance(line["duration_ms"], float)
    assert line["duration_ms"] >= 0


@pytest.mark.parametrize(
    "sent",
    ["has space", "x" * 129, "semi;colon", "", "<script>"],
    ids=["space", "too-long", "semicolon", "empty", "markup"],
)
def test_an_insane_request_id_is_replaced_by_a_fresh_one(
    client: Any, caplog: pytest.LogCaptureFixture, sent: str
) -> None:
    caplog.set_level(logging.INFO, logger=ACCESS_LOGGER)
    answer = client.get("/health/live", headers={"X-Request-ID": sent})
    assert answer.status_code == 200
    echoed = answer.headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", echoed)
    (record,) = lines(caplog)
    assert record.request_id == echoed  # type: ignore[attr-defined]


def test_every_request_gets_its_own_id_when_none_is_sent(client: Any) -> None:
    ids = {client.get("/health/live").headers["x-request-id"] for _ in range(3)}
    assert len(ids) == 3


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_no_token_body_email_or_raw_path_reaches_the_log(
    client: Any, caplog: pytest.LogCaptureFixture, fmt: str
) -> None:
    caplog.set_level(logging.DEBUG)
    event = {"eventTypeKey": "orderCreated", "keyValue": EMAIL, "params": [{"name": "email"}]}
    event["params"][0]["value"] = EMAIL
    client.post(
        f"/validate?email={EMAIL}&token={SECRET}",
        json=event,
        headers={"Authorization": f"Bearer {SECRET}", "Cookie": f"session={SECRET}"},
    )
    client.get(f"/event-types/{EMAIL}", headers={"X-Api-Key": SECRET})
    server_side = [r for r in caplog.records if r.name != "httpx"]  # httpx: the test's client
    text = "\n".join(formatter(fmt).format(r) for r in server_side)
    assert len(lines(caplog)) == 2
    assert SECRET not in text
    assert EMAIL not in text
    assert "jane" not in text


def test_log_config_formats_the_registry_and_uvicorn_loggers_alike() -> None:
    config = log_config("json", "warning")
    assert config["formatters"]["registry"] == {"()": "registry.logs.formatter", "fmt": "json"}
    for name in ("registry", "uvicorn", "uvicorn.error"):
        assert config["loggers"][name] == {
            "handlers": ["stderr"],
            "level": "WARNING",
            "propagate": False,
        }
    assert isinstance(formatter("json"), JsonFormatter)
    assert not isinstance(formatter("text"), JsonFormatter)


@pytest.fixture
def authed() -> Iterator[tuple[Any, Any]]:
    """An app with auth on (built before the test's log capture starts) and its client."""
    app = create_app(Settings(auth="on"), store=InMemoryStore())
    with TestClient(app) as client:
        yield app, client


def test_the_actor_is_the_token_name_never_the_token(
    authed: tuple[Any, Any], caplog: pytest.LogCaptureFixture
) -> None:
    app, client = authed
    caplog.set_level(logging.INFO, logger=ACCESS_LOGGER)
    tokens = app.dependencies["tokens"].dependency()
    secret = str(tokens.create(name="ci-bot", scope="read", creator="tests").secret)
    assert client.get("/event-types", headers={"Authorization": f"Bearer {secret}"}).is_success
    assert client.get("/health/live").status_code == 200
    mine, anonymous = lines(caplog)
    assert mine.actor == "ci-bot"  # type: ignore[attr-defined]
    assert anonymous.actor is None  # type: ignore[attr-defined]
    assert json.loads(JsonFormatter().format(mine))["actor"] == "ci-bot"
    assert "actor" not in json.loads(JsonFormatter().format(anonymous))
    assert secret not in "\n".join(formatter("text").format(r) for r in caplog.records)
