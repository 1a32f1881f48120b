"""``event-registry diff`` (local and registry) and ``check-compat --url``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from registry.cli import main
from tests.harness import URL, Cli

COMPAT = Path(__file__).resolve().parents[1] / "data" / "compat"
V1 = str(COMPAT / "purchase.v1.json")
REQUIRED = str(COMPAT / "purchase.v2.required-added.json")
ENUM = str(COMPAT / "purchase.v2.enum-extended.json")


def run(*args: str) -> object:
    return CliRunner().invoke(main, list(args))


# -- local diff ----------------------------------------------------------------------------


def test_local_diff_marks_each_change_with_what_it_breaks() -> None:
    result = CliRunner().invoke(main, ["diff", V1, REQUIRED])
    assert result.exit_code == 0
    first, summary = result.output.strip().splitlines()
    assert first.startswith("required_added  /required  [breaks backward]  ")
    assert summary == f"1 change(s) from {V1} to {REQUIRED}, 1 breaking"
    forward = CliRunner().invoke(main, ["diff", V1, ENUM]).output
    assert "[breaks forward]" in forward


def test_local_diff_json_has_the_api_shape() -> None:
    result = CliRunner().invoke(main, ["diff", V1, REQUIRED, "--format", "json"])
    document = json.loads(result.output)
    assert (document["from"], document["to"]) == (V1, REQUIRED)
    change = document["changes"][0]
    assert change["code"] == "required_added"
    assert (change["breaksBackward"], change["breaksForward"]) == (True, False)


def test_exit_code_flag_follows_git() -> None:
    assert CliRunner().invoke(main, ["diff", V1, REQUIRED, "--exit-code"]).exit_code == 1
    same = CliRunner().invoke(main, ["diff", V1, V1, "--exit-code"])
    assert same.exit_code == 0
    assert "0 change(s)" in same.output


@pytest.mark.parametrize(
    "args",
    [
        pytest.param([V1], id="one-file"),
        pytest.param([V1, V1, V1], id="three-files"),
        pytest.param([V1, "missing.json"], id="missing-file"),
        pytest.param([V1, str(COMPAT)], id="folder"),
        pytest.param(["--url", URL, "key", "1"], id="url-needs-three"),
    ],
)
def test_diff_usage_errors_exit_2(args: list[str]) -> None:
    assert CliRunner().invoke(main, ["diff", *args]).exit_code == 2


# -- against a registry --------------------------------------------------------------------


@pytest.fixture
def purchase(cli: Cli) -> Cli:
    service = cli.service
    service.create_event_type(key="purchase made")
    service.register_version(key="purchase made", schema=json.loads(Path(V1).read_text()))
    service.register_version(key="purchase made", schema=json.loads(Path(ENUM).read_text()))
    return cli


def test_registry_diff_between_versions(purchase: Cli) -> None:
    result = purchase("diff", "--url", URL, "purchase made", "1", "latest")
    assert result.exit_code == 0, result.output
    assert "enum_value_added  /properties/currency/enum  [breaks forward]" in result.output
    assert result.output.strip().endswith("1 change(s) from 1 to 2, 1 breaking")
    assert purchase.seen[-1].url.raw_path == b"/event-types/purchase%20made/versions/1/diff/latest"
    as_json = json.loads(purchase("diff", "--url", URL, "purchase made", "2", "1",
                                  "--format", "json").output)  # fmt: skip
    assert (as_json["eventTypeKey"], as_json["from"], as_json["to"]) == ("purchase made", 2, 1)


def test_registry_diff_of_an_unknown_version_exits_2(purchase: Cli) -> None:
    result = purchase("diff", "--url", URL, "purchase made", "1", "9")
    assert result.exit_code == 2
    assert "version_not_found" in result.output


def test_check_compat_against_a_registry(purchase: Cli) -> None:
    ok = purchase("check-compat", "--url", URL, "purchase made", ENUM)
    assert ok.exit_code == 0, ok.output
    assert "compatible at BACKWARD (STRICT) against purchase made (v2)" in ok.output
    bad = purchase("check-compat", "--url", URL, "purchase made", REQUIRED)
    assert bad.exit_code == 1
    assert "required_added  /required  " in bad.output
    sent = purchase.seen[-1]
    assert (sent.method, sent.url.path) == ("POST", "/event-types/purchase made/compatibility")


def test_check_compat_json_is_the_registry_answer(purchase: Cli) -> None:
    result = purchase("check-compat", "--url", URL, "purchase made", REQUIRED, "--format", "json")
    assert result.exit_code == 1
    answer = json.loads(result.output)
    assert answer["compatible"] is False
    assert answer["checkedVersions"] == [2]
    assert "examples" in answer


def test_check_compat_sends_a_param_list_as_params(purchase: Cli, tmp_path: Path) -> None:
    params = tmp_path / "params.json"
    params.write_text(json.dumps([{"name": "amount", "type": "number"}]))
    purchase("check-compat", "--url", URL, "purchase made", str(params))
    assert json.loads(purchase.seen[-1].content) == {
        "params": [{"name": "amount", "type": "number"}]
    }


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["nobody", ENUM], id="unknown-type"),
        pytest.param(["purchase made", ENUM, "--level", "FULL"], id="level-with-url"),
        pytest.param(["purchase made", "missing.json"], id="missing-file"),
    ],
)
def test_check_compat_url_usage_errors_exit_2(purchase: Cli, args: list[str]) -> None:
    assert purchase("check-compat", "--url", URL, *args).exit_code == 2
