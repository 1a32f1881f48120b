"""``event-registry lint PATH…``: exit codes, input forms, output formats."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.harness import Cli

CLEAN = {"type": "object", "properties": {"orderId": {"type": "string", "description": "id"}}}
DIRTY = {"type": "object", "properties": {"order_id": {"type": "string"}}}


def _write(folder: Path, name: str, document: Any) -> str:
    target = folder / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(document), encoding="utf-8")
    return str(target)


def test_a_clean_schema_exits_0(cli: Cli, tmp_path: Path) -> None:
    result = cli("lint", _write(tmp_path, "orderPaid.json", CLEAN))
    assert result.exit_code == 0, result.output
    assert result.output == "event-registry lint: 0 finding(s)\n"


def test_findings_exit_1_and_name_file_type_param_and_rule(cli: Cli, tmp_path: Path) -> None:
    name = _write(tmp_path, "orderPaid.json", DIRTY)
    result = cli("lint", name)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{name}: orderPaid order_id: missing_description: the param has no description",
        f"{name}: orderPaid order_id: optional_without_default: an optional param with "
        "neither a default nor a description of its absence",
        "event-registry lint: 2 finding(s)",
    ]


def test_plan_files_param_lists_and_folders_are_read(cli: Cli, tmp_path: Path) -> None:
    _write(tmp_path, "plan/a.json", {"key": "orderPaid", "schema": CLEAN})
    _write(tmp_path, "plan/nested/b.json", {"key": "orderSent", "params": [{"name": "OrderID"}]})
    result = cli(
        "lint", str(tmp_path / "plan"), "--rule", "param_casing_inconsistent", "--format", "json"
    )
    assert result.exit_code == 1, result.output
    document = json.loads(result.output)
    assert [(f["key"], f["param"]) for f in document["findings"]] == [
        ("orderPaid", "orderId"),
        ("orderSent", "OrderID"),
    ]
    assert document["count"] == 2


def test_sarif_lists_the_rules_and_results(cli: Cli, tmp_path: Path) -> None:
    result = cli("lint", _write(tmp_path, "t.json", DIRTY), "--rule", "all", "--format", "sarif")
    assert result.exit_code == 1
    sarif = json.loads(result.output)
    run = sarif["runs"][0]
    assert sarif["version"] == "2.1.0"
    assert [r["id"] for r in run["tool"]["driver"]["rules"]][:2] == [
        "missing_description",
        "unbounded_string",
    ]
    assert {r["ruleId"] for r in run["results"]} == {
        "missing_description",
        "unbounded_string",
        "param_not_camel_case",
        "optional_without_default",
    }
    assert run["results"][0]["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == (
        "t/properties/order_id"
    )


def test_github_annotations(cli: Cli, tmp_path: Path) -> None:
    name = _write(tmp_path, "t.json", DIRTY)
    result = cli("lint", name, "--rule", "param_not_camel_case", "--format", "github")
    assert result.exit_code == 1
    first = result.output.splitlines()[0]
    assert first.startswith("::warning file=")
    assert first.endswith(
        "title=param_not_camel_case (t)::t order_id: param name 'order_id' is not camelCase"
    )


def test_usage_errors_exit_2(cli: Cli, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    assert cli("lint", str(broken)).exit_code == 2
    assert cli("lint", str(tmp_path / "missing.json")).exit_code == 2
    assert cli("lint", _write(tmp_path, "ok.json", CLEAN), "--rule", "nope").exit_code == 2
    assert cli("lint").exit_code == 2
    bad_list = _write(tmp_path, "bad.json", [{"type": "string"}])
    assert cli("lint", bad_list).exit_code == 2


def test_the_built_in_catalog_is_clean_under_the_defaults(cli: Cli) -> None:
    root = Path(__file__).resolve().parents[2] / "schemas"
    result = cli("lint", str(root))
    assert result.exit_code == 0, result.output
