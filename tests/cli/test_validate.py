"""``event-registry validate``: inputs, both back ends, every output format, every exit code."""

from __future__ import annotations

import json
import socket
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from registry.cli import main
from registry.cli.inputs import parse
from tests.harness import URL, Cli

DATA = Path(__file__).resolve().parents[1] / "data"
PLAN = str(DATA / "plan")
EVENTS = DATA / "events"
ORDERS = str(EVENTS / "orders.ndjson")
BATCH = str(EVENTS / "batch.json")
SINGLE = str(EVENTS / "single.json")
SARIF_SCHEMA = json.loads((DATA / "sarif-2.1.0-minimal.schema.json").read_text("utf-8"))


def offline(*args: str, input: str | None = None, color: bool = False) -> Any:
    args = ("validate", "--schemas", PLAN, *args)
    return CliRunner().invoke(main, list(args), input=input, color=color)


@pytest.fixture
def seeded(cli: Cli) -> Cli:
    assert cli("push", PLAN, "--url", URL).exit_code == 0
    return cli


# -- exit codes ----------------------------------------------------------------------------


def test_all_valid_exits_0() -> None:
    result = offline(SINGLE)
    assert result.exit_code == 0, result.output
    assert "1 event(s): 1 valid, 0 invalid" in result.output


def test_any_error_exits_1() -> None:
    assert offline(ORDERS).exit_code == 1


def test_warnings_alone_exit_0_unless_fail_on_warnings(tmp_path: Path) -> None:
    warned = tmp_path / "warned.json"
    event = {"eventTypeKey": "page view", "params": {"url": "https://x.example/", "extra": 1}}
    warned.write_text(json.dumps(event))
    result = offline(str(warned))
    assert result.exit_code == 0
    assert "unknown_param" in result.output
    assert offline(str(warned), "--fail-on-warnings").exit_code == 1


@pytest.mark.parametrize(
    "args",
    [
        pytest.param([], id="no-paths"),
        pytest.param(["missing.json"], id="missing-file"),
        pytest.param(["nothing-*.ndjson"], id="glob-without-match"),
        pytest.param([SINGLE, "--format", "xml"], id="bad-format"),
        pytest.param([SINGLE, "--mode", "sloppy"], id="bad-mode"),
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    assert offline(*args).exit_code == 2


def test_neither_or_both_back_ends_exit_2() -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["validate", SINGLE]).exit_code == 2
    both = runner.invoke(main, ["validate", SINGLE, "--schemas", PLAN, "--url", URL])
    assert both.exit_code == 2
    assert "exactly one of --url" in both.output


def test_a_broken_plan_folder_exits_2(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", SINGLE, "--schemas", str(tmp_path)])
    assert result.exit_code == 2
    assert "bad.json is not valid JSON" in result.output


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_connection_refused_exits_2() -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    result = CliRunner().invoke(main, ["validate", SINGLE, "--url", url])
    assert result.exit_code == 2
    assert f"cannot reach the registry at {url}" in result.output


def test_a_refused_token_exits_2(seeded: Cli) -> None:
    def forbidding(base_url: str, headers: dict[str, str]) -> Any:
        client = seeded.factory(base_url, headers)
        client.event_hooks["response"].append(lambda r: setattr(r, "status_code", 401))
        return client

    result = CliRunner().invoke(
        main, ["validate", SINGLE, "--url", URL], obj={"client_factory": forbidding}
    )
    assert result.exit_code == 2
    assert "check --token" in result.output


# -- inputs --------------------------------------------------------------------------------


def test_ndjson_keeps_lines_and_reports_malformed_lines_as_invalid_events() -> None:
    document = json.loads(offline(ORDERS, "--format", "json").output)
    results = document["results"]
    assert [(r["index"], r["line"]) for r in results] == [(0, 1), (1, 2), (2, 4), (3, 5)]
    malformed = results[2]["report"]
    assert malformed["errors"][0]["code"] == "malformed_json"
    assert document["summary"]["malformed"] == 1


def test_json_array_elements_get_the_line_they_start_on() -> None:
    samples = list(parse(Path(BATCH).read_bytes(), "batch.json"))
    assert [(s.index, s.line) for s in samples] == [(0, 2), (1, 6), (2, 7)]
    assert samples[1].event == {"eventTypeKey": "page view", "params": {"url": 42}}


def test_ndjson_is_detected_without_the_suffix() -> None:
    data = b'{"eventTypeKey": "a"}\n{"eventTypeKey": "b"}\n'
    assert [s.event["eventTypeKey"] for s in parse(data, "events.txt")] == ["a", "b"]


def test_a_file_that_is_not_json_is_one_invalid_event_with_its_line() -> None:
    samples = list(parse(b'{\n  "eventTypeKey": \n}', "broken.json"))
    assert len(samples) == 1
    assert samples[0].error is not None
    assert samples[0].line == 3


def test_stdin_globs_and_folders() -> None:
    event = Path(SINGLE).read_text("utf-8")
    from_stdin = json.loads(offline("-", "--format", "json", input=event).output)
    assert [r["file"] for r in from_stdin["results"]] == ["<stdin>"]
    by_glob = json.loads(offline(str(EVENTS / "*.json"), "--format", "json").output)
    assert {Path(r["file"]).name for r in by_glob["results"]} == {"batch.json", "single.json"}
    by_folder = json.loads(offline(str(EVENTS), "--format", "json").output)
    assert by_folder["summary"]["total"] == 8


def test_mode_and_coerce_override_the_type_config(tmp_path: Path) -> None:
    event = tmp_path / "e.json"
    event.write_text(json.dumps({"eventTypeKey": "orderCreated", "keyValue": "a@b.example",
                                 "params": {"externalOrderId": "1", "totalCost": "5",
                                            "extra": 1}}))  # fmt: skip
    strict = json.loads(offline(str(event), "--format", "json").output)["results"][0]["report"]
    assert {v["code"] for v in strict["errors"]} == {"unknown_param", "type_mismatch"}
    relaxed = offline(str(event), "--mode", "lenient", "--coerce", "--format", "json")
    assert relaxed.exit_code == 0
    report = json.loads(relaxed.output)["results"][0]["report"]
    assert {v["code"] for v in report["warnings"]} == {"unknown_param", "type_mismatch"}


# -- against a running registry --------------------------------------------------------------


def test_registry_gives_the_same_reports_as_offline(seeded: Cli) -> None:
    remote = seeded("validate", ORDERS, BATCH, SINGLE, "--url", URL, "--format", "json")
    local = offline(ORDERS, BATCH, SINGLE, "--format", "json")
    assert remote.exit_code == local.exit_code == 1
    assert json.loads(remote.output) == json.loads(local.output)


def test_registry_mode_coerce_and_token_are_sent(seeded: Cli) -> None:
    result = seeded(
        "validate", SINGLE, "--url", URL, "--token", "s3cret", "--mode", "lenient", "--coerce"
    )
    assert result.exit_code == 0, result.output
    sent = [r for r in seeded.seen if r.url.path == "/validate/batch"]
    assert sent[0].headers["authorization"] == "Bearer s3cret"
    assert dict(sent[0].url.params) == {"mode": "lenient", "coerce": "true", "results": "all"}


def test_token_and_url_come_from_the_environment(seeded: Cli, monkeypatch: Any) -> None:
    monkeypatch.setenv("EVENT_REGISTRY_URL", URL)
    monkeypatch.setenv("EVENT_REGISTRY_TOKEN", "from-env")
    assert seeded("validate", SINGLE).exit_code == 0
    assert seeded.seen[-1].headers["authorization"] == "Bearer from-env"


def test_an_event_the_registry_refuses_is_an_invalid_event(seeded: Cli, tmp_path: Path) -> None:
    event = tmp_path / "huge.json"
    event.write_text(json.dumps({"eventTypeKey": "orderCreated", "blob": "x" * 1_100_000}))
    result = seeded("validate", str(event), "--url", URL, "--format", "json")
    assert result.exit_code == 1
    error = json.loads(result.output)["results"][0]["report"]["errors"][0]
    assert error["code"] == "request_too_large"


# -- output formats ------------------------------------------------------------------------


def test_text_is_a_table_without_colour_when_not_a_terminal() -> None:
    result = offline(ORDERS)
    assert "\x1b[" not in result.output
    lines = result.output.splitlines()
    assert lines[0].split() == [f"{ORDERS}:1", "[0]", "orderCreated", "v1", "ok"]
    assert "type_mismatch" in lines[2]
    assert "/params/1/value (totalCost)" in lines[2]
    assert lines[-1] == "4 event(s): 2 valid, 2 invalid (3 error(s), 1 warning(s))"


@pytest.mark.parametrize(
    ("flags", "verdicts"),
    [
        ((), ["ok", "INVALID", "INVALID", "ok (warnings)"]),
        (("--fail-on-warnings",), ["ok", "INVALID", "INVALID", "INVALID"]),
    ],
)
def test_each_row_s_verdict_is_its_own_event_s(flags: tuple[str, ...], verdicts: list[str]) -> None:
    # rows of one type and version share their columns, never their verdict
    rows = [line for line in offline(ORDERS, *flags).output.splitlines() if line.startswith("/")]
    assert [row.split("  ")[-1].strip() for row in rows] == verdicts


def test_text_is_coloured_on_a_terminal() -> None:
    assert "\x1b[31m" in offline(ORDERS, color=True).output


def test_json_has_every_report_and_a_summary() -> None:
    document = json.loads(offline(ORDERS, BATCH, "--format", "json").output)
    assert document["failed"] is True
    assert len(document["results"]) == 7
    summary = document["summary"]
    assert (summary["total"], summary["valid"], summary["invalid"]) == (7, 3, 4)
    assert summary["byCode"]["type_mismatch"] == 2
    first = document["results"][0]
    assert set(first) == {"file", "index", "line", "report"}
    assert first["report"]["eventTypeKey"] == "orderCreated"


def test_junit_parses_back_with_one_testcase_per_event() -> None:
    result = offline(ORDERS, BATCH, "--format", "junit")
    assert result.exit_code == 1
    root = ET.fromstring(result.output)
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures")) == ("7", "4")
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [ORDERS, BATCH]
    cases = suites[0].findall("testcase")
    assert [c.get("name") for c in cases] == [
        f"{ORDERS}:0 orderCreated",
        f"{ORDERS}:1 orderCreated",
        f"{ORDERS}:2 (no eventTypeKey)",
        f"{ORDERS}:3 page view",
    ]
    assert cases[0].find("failure") is None
    failure = cases[1].find("failure")
    assert failure is not None
    assert failure.get("type") == "type_mismatch"
    assert "type_mismatch /params/1/value (totalCost)" in (failure.text or "")
    assert "not_in_enum /params/2/value (status)" in (failure.text or "")
    warned = cases[3]
    assert warned.find("failure") is None
    assert "unknown_param" in (warned.findtext("system-out") or "")


def test_junit_counts_warnings_as_failures_with_the_flag() -> None:
    root = ET.fromstring(offline(ORDERS, "--format", "junit", "--fail-on-warnings").output)
    assert root.get("failures") == "3"


def test_sarif_is_valid_2_1_0_with_a_result_per_violation(monkeypatch: Any) -> None:
    monkeypatch.chdir(DATA.parents[1])  # URIs are relative to the working directory
    result = offline(ORDERS, BATCH, "--format", "sarif")
    assert result.exit_code == 1
    sarif = json.loads(result.output)
    jsonschema.Draft202012Validator(
        SARIF_SCHEMA, format_checker=jsonschema.FormatChecker()
    ).validate(sarif)
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    assert run["tool"]["driver"]["name"] == "event-registry"
    results = run["results"]
    assert len(results) == 6  # 4 errors, the malformed line, 1 warning
    first = results[0]
    assert (first["ruleId"], first["level"]) == ("type_mismatch", "error")
    assert first["message"]["text"]
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "tests/data/events/orders.ndjson"
    assert location["region"] == {"startLine": 2}
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert all(rules[r["ruleIndex"]] == r["ruleId"] for r in results)
    assert {r["level"] for r in results} == {"error", "warning"}


def test_sarif_uris_are_percent_encoded(tmp_path: Path) -> None:
    spaced = tmp_path / "my events.json"
    spaced.write_text(json.dumps({"eventTypeKey": "nope"}))
    sarif = json.loads(offline(str(spaced), "--format", "sarif").output)
    uri = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri["uri"].endswith("my%20events.json")


def test_github_annotations() -> None:
    result = offline(ORDERS, "--format", "github")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith(f"::error file={ORDERS},line=2,title=type_mismatch (orderCreated)::")
    assert any(line.startswith("::warning ") and "unknown_param" in line for line in lines)
    assert lines[-1] == "event-registry: 4 event(s), 2 valid, 2 invalid"


def test_github_escapes_messages_and_properties(tmp_path: Path) -> None:
    odd = tmp_path / "a,b:c.json"
    odd.write_text(json.dumps({"eventTypeKey": "50%\nof"}))
    line = offline(str(odd), "--format", "github").output.splitlines()[0]
    assert "a%2Cb%3Ac.json" in line
    assert "50%25%0Aof" in line


def test_output_file_gets_the_report_without_colour(tmp_path: Path) -> None:
    target = tmp_path / "report.xml"
    result = offline(ORDERS, "--format", "junit", "-o", str(target), color=True)
    assert result.exit_code == 1
    assert result.output == ""
    assert ET.parse(target).getroot().tag == "testsuites"
    text = tmp_path / "report.txt"
    offline(ORDERS, "-o", str(text), color=True)
    assert "\x1b[" not in text.read_text("utf-8")
