"""``event-registry check-compat``: exit codes 0/1/2, text and json output."""

from __future__ import annotations

import json
from pathlib import Path

import msgspec
import pytest
from click.testing import CliRunner

from registry.cli.check_compat import check_compat
from registry.core.compatibility import CompatibilityResult, Level, Policy

DATA = Path(__file__).resolve().parents[1] / "data" / "compat"
V1 = str(DATA / "purchase.v1.json")
OPTIONAL = str(DATA / "purchase.v2.optional-added.json")
REQUIRED = str(DATA / "purchase.v2.required-added.json")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_compatible_exits_0_with_a_verdict_line(runner: CliRunner) -> None:
    result = runner.invoke(check_compat, [V1, OPTIONAL, "--policy", "LENIENT"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines() == [f"compatible at BACKWARD (LENIENT) against {V1}"]


def test_incompatible_exits_1_with_one_line_per_finding(runner: CliRunner) -> None:
    result = runner.invoke(check_compat, [V1, REQUIRED])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    code, path, message = lines[0].split("  ", 2)
    assert (code, path) == ("required_added", "/required")
    assert "'currency' is now required" in message
    assert lines[-1] == f"incompatible at BACKWARD (STRICT) against {V1}: 1 finding(s)"


def test_level_and_policy_are_case_insensitive(runner: CliRunner) -> None:
    assert runner.invoke(check_compat, [V1, OPTIONAL, "--level", "forward"]).exit_code == 0
    assert runner.invoke(check_compat, [V1, OPTIONAL, "--policy", "strict"]).exit_code == 1


def test_full_level_tags_each_finding_with_its_direction(runner: CliRunner) -> None:
    result = runner.invoke(check_compat, [OPTIONAL, V1, "--level", "FULL"])
    assert result.exit_code == 1
    assert "[FORWARD]" in result.output.splitlines()[0]


def test_json_format_is_the_compatibility_result(runner: CliRunner) -> None:
    result = runner.invoke(
        check_compat, [V1, REQUIRED, "--format", "json", "--level", "FULL_TRANSITIVE"]
    )
    assert result.exit_code == 1
    decoded = msgspec.json.decode(result.output, type=CompatibilityResult)
    assert decoded.level is Level.FULL_TRANSITIVE
    assert decoded.policy is Policy.STRICT
    assert decoded.checked_versions == [1]
    assert decoded.conflicts_with == 1
    assert [(f.code, f.version) for f in decoded.findings] == [("required_added", 1)]
    assert "checkedVersions" in json.loads(result.output)


def test_json_format_when_compatible(runner: CliRunner) -> None:
    result = runner.invoke(check_compat, [V1, V1, "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.output)["compatible"] is True


@pytest.mark.parametrize(
    "args",
    [
        pytest.param([V1, "missing.json"], id="missing-file"),
        pytest.param([V1], id="missing-argument"),
        pytest.param([V1, V1, "--level", "SIDEWAYS"], id="bad-level"),
        pytest.param([V1, V1, "--policy", "LAX"], id="bad-policy"),
        pytest.param([V1, V1, "--format", "yaml"], id="bad-format"),
        pytest.param([V1, str(DATA)], id="directory"),
    ],
)
def test_usage_errors_exit_2(runner: CliRunner, args: list[str]) -> None:
    assert runner.invoke(check_compat, args).exit_code == 2


def test_invalid_json_exits_2_with_a_clear_message(runner: CliRunner, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"type": "string"', encoding="utf-8")
    result = runner.invoke(check_compat, [V1, str(broken)])
    assert result.exit_code == 2
    assert "is not valid JSON" in result.output


def test_json_that_is_not_a_schema_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    array = tmp_path / "array.json"
    array.write_text("[1, 2]", encoding="utf-8")
    result = runner.invoke(check_compat, [str(array), V1])
    assert result.exit_code == 2
    assert "not a JSON Schema" in result.output


@pytest.mark.parametrize("side", ["old", "new"])
def test_a_schema_the_server_would_refuse_exits_2(
    runner: CliRunner, tmp_path: Path, side: str
) -> None:
    """The same check as registration: ``{"type": "strin"}`` is schema_invalid, not compatible."""
    typo = tmp_path / "typo.json"
    typo.write_text('{"type": "strin"}', encoding="utf-8")
    args = [str(typo), V1] if side == "old" else [V1, str(typo)]
    result = runner.invoke(check_compat, args)
    assert result.exit_code == 2
    last = result.output.strip().splitlines()[-1]
    assert last.startswith(f"Error: {typo}: schema_invalid: schema is invalid: ")
    assert "compatible" not in result.output


def test_boolean_schemas_are_accepted(runner: CliRunner, tmp_path: Path) -> None:
    true, false = tmp_path / "true.json", tmp_path / "false.json"
    true.write_text("true", encoding="utf-8")
    false.write_text("false", encoding="utf-8")
    result = runner.invoke(check_compat, [str(true), str(false)])
    assert result.exit_code == 1
    assert result.output.startswith("false_schema_added  (root)  ")


def test_help_documents_exit_codes(runner: CliRunner) -> None:
    result = runner.invoke(check_compat, ["--help"])
    assert result.exit_code == 0
    assert "Exits 0 when compatible, 1 when incompatible, 2 on a usage error" in result.output
    assert check_compat.name == "check-compat"
