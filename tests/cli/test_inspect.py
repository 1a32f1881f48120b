"""``event-registry inspect --run-id``: a CI gate over what a run sent to the drop-in endpoints."""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET

import msgspec
import pytest
from click.testing import CliRunner

from registry.app import create_app
from registry.catalog_files import find_catalog, load_catalog
from registry.cli import main
from registry.core.catalog import CatalogSeeder
from registry.settings import Settings
from registry.store.memory import InMemoryStore
from tests.harness import URL, Cli

GENERAL = {"eventName": "StatusCart", "siteId": "S1", "datetime": 1733050000000,
           "cookies": {"sc": "c-1"}}  # fmt: skip
CART = {"GeneralInfo": GENERAL, "StatusCart": {"GUID": "g-1", "Products": []}}
BROKEN_CART = {"GeneralInfo": GENERAL, "StatusCart": {"GUID": False, "Products": []}}
LOG = {"orgId": 1, "typeCMS": "Shopify", "errorMessage": "", "data": "{}", "message": "m",
       "log_level": "INFO"}  # fmt: skip


def woo_key(run: str) -> dict[str, str]:
    """WooCommerce's Authorization: Basic base64(":" + key), the key carrying the run id."""
    return {"Authorization": "Basic " + base64.b64encode(f":run-{run}.s3cret".encode()).decode()}


@pytest.fixture
def cli() -> Cli:
    app = create_app(Settings(), store=InMemoryStore())
    CatalogSeeder(app.dependencies["service"].dependency()).seed(load_catalog(find_catalog()))
    runner = Cli(app)
    with runner.http() as http:
        http.post("/api/v2", json=CART, headers=woo_key("green"))
        http.post("/api/v2", json=LOG)  # the plugin's own log, untagged and never an event
        http.post("/run/green/api/v2", json=LOG)  # tagged, still not an event
        http.post("/api/v2", json=CART, headers=woo_key("red"))
        http.post("/api/v2", json=BROKEN_CART, headers=woo_key("red"))
        http.post("/api/v1/contact", json={}, headers=woo_key("unsupported"))
    return runner


def test_a_clean_run_exits_0(cli: Cli) -> None:
    result = cli("inspect", "--run-id", "green", "--url", URL)
    assert result.exit_code == 0, result.output
    assert "1 event(s): 1 valid, 0 invalid" in result.output


def test_a_run_with_an_invalid_event_exits_1(cli: Cli) -> None:
    result = cli("inspect", "--run-id", "red", "--url", URL, "--format", "json")
    assert result.exit_code == 1
    document = msgspec.json.decode(result.output)
    assert document["failed"] is True
    assert [r["report"]["valid"] for r in document["results"]] == [True, False]
    assert document["results"][1]["report"]["errors"][0]["path"] == "/StatusCart/GUID"


def test_an_unsupported_request_fails_the_gate(cli: Cli) -> None:
    result = cli("inspect", "--run-id", "unsupported", "--url", URL)
    assert result.exit_code == 1
    assert "not_emulated" in result.output


def test_an_empty_run_exits_1_unless_allowed(cli: Cli) -> None:
    assert cli("inspect", "--run-id", "nobody", "--url", URL).exit_code == 1
    assert cli("inspect", "--run-id", "nobody", "--url", URL, "--allow-empty").exit_code == 0


def test_junit_parses_back_with_one_testcase_per_recorded_event(cli: Cli) -> None:
    result = cli("inspect", "--run-id", "red", "--url", URL, "--format", "junit")
    assert result.exit_code == 1
    root = ET.fromstring(result.output)
    assert (root.get("tests"), root.get("failures")) == ("2", "1")
    [suite] = root.findall("testsuite")
    assert suite.get("name") == "inspect/red/tracker"
    cases = suite.findall("testcase")
    assert [c.find("failure") is None for c in cases] == [True, False]
    failure = cases[1].find("failure")
    assert failure is not None
    assert failure.get("type") == "type_mismatch"
    assert cases[1].get("name", "").endswith(" StatusCart")


@pytest.mark.parametrize("fmt", ["sarif", "github", "text"])
def test_every_validate_format_renders(cli: Cli, fmt: str) -> None:
    result = cli("inspect", "--run-id", "red", "--url", URL, "--format", fmt)
    assert result.exit_code == 1
    assert "type_mismatch" in result.output


def test_usage_errors_exit_2(cli: Cli) -> None:
    assert cli("inspect", "--url", URL).exit_code == 2  # no --run-id
    assert cli("inspect", "--run-id", "x").exit_code == 2  # no --url
    assert cli("inspect", "--run-id", "x" * 201, "--url", URL).exit_code == 2  # refused by /inspect


def test_an_unreachable_registry_exits_2() -> None:
    result = CliRunner().invoke(main, ["inspect", "--run-id", "x", "--url", "http://127.0.0.1:9"])
    assert result.exit_code == 2
    assert "cannot reach the registry" in result.output
