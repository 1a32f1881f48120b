"""Tracking plan as code: the folder format, file-name escaping, push (plan/apply) and pull."""

from __future__ import annotations

import json
import shutil
import socket
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from registry.cli import main
from registry.core.keys import key_problem
from registry.plan import (
    PlanEntry,
    PlanError,
    file_name_for,
    key_from_file_name,
    read_plan,
    render_entry,
    write_plan,
)
from tests.harness import URL, Cli

PLAN = Path(__file__).resolve().parents[1] / "data" / "plan"


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    copy = tmp_path / "plan"
    shutil.copytree(PLAN, copy)
    return copy


def edit(folder: Path, key: str, **changes: Any) -> None:
    path = folder / file_name_for(key)
    document = json.loads(path.read_text("utf-8"))
    document.update(changes)
    path.write_text(json.dumps(document), encoding="utf-8")


# -- file names ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "name"),
    [
        ("orderCreated", "orderCreated.json"),
        ("order.created_v2-x", "order.created_v2-x.json"),
        ("page view", "page%20view.json"),
        ("50% off #1", "50%25%20off%20%231.json"),
        (".hidden", "%2Ehidden.json"),
        ("trailing.", "trailing%2E.json"),
        ("CON", "%43ON.json"),
        ("nul.x", "%6Eul.x.json"),
        ("a:b*c", "a%3Ab%2Ac.json"),
        ("заказ", "%D0%B7%D0%B0%D0%BA%D0%B0%D0%B7.json"),
    ],
)
def test_file_name_escaping(key: str, name: str) -> None:
    assert file_name_for(key) == name
    assert key_from_file_name(name) == key


@given(st.text(min_size=1, max_size=100).filter(lambda k: key_problem(k) is None))
def test_every_valid_key_round_trips_through_its_file_name(key: str) -> None:
    name = file_name_for(key)
    assert key_from_file_name(name) == key
    assert "/" not in name
    assert "\\" not in name
    assert name.isascii()
    assert not name.startswith(".")


def test_keys_that_differ_only_in_case_are_refused(tmp_path: Path) -> None:
    with pytest.raises(PlanError, match="differ only in letter case"):
        write_plan(tmp_path, [PlanEntry(key="Order"), PlanEntry(key="order")])


def test_written_files_are_canonical() -> None:
    text = render_entry(PlanEntry(key="b", tags=["x"], schema={"z": 1, "a": {"c": 2, "b": 1}}))
    assert text.endswith("}\n")
    document = json.loads(text)
    assert list(document) == sorted(document)
    assert text == json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_the_fixture_plan_is_canonical() -> None:
    entries, warnings = read_plan(PLAN)
    assert warnings == []
    for entry in entries:
        assert (PLAN / file_name_for(entry.key)).read_text("utf-8") == render_entry(entry)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{oops", "is not valid JSON"),
        ('{"description": "no key"}', "missing required field `key`"),
        ('{"key": "a", "colour": "red"}', "unknown field `colour`"),
        ('{"key": "a", "config": {"compat": "NONE"}}', "unknown config member(s) ['compat']"),
        ('{"key": "a", "config": {"compatibility": "SIDEWAYS"}}', "config.compatibility"),
        ('{"key": "a", "schema": {}, "params": []}', "either 'schema' or 'params'"),
        ('{"key": "a|b"}', "forbidden character '|'"),
    ],
)
def test_malformed_plan_files_are_refused(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "a.json").write_text(content, encoding="utf-8")
    with pytest.raises(PlanError, match=None) as caught:
        read_plan(tmp_path)
    assert message in str(caught.value)


def test_two_files_with_one_key_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text('{"key": "a"}', encoding="utf-8")
    (tmp_path / "copy.json").write_text('{"key": "a"}', encoding="utf-8")
    with pytest.raises(PlanError, match="defined by two files"):
        read_plan(tmp_path)


def test_a_misnamed_file_warns_and_the_key_inside_wins(tmp_path: Path) -> None:
    (tmp_path / "whatever.json").write_text('{"key": "page view"}', encoding="utf-8")
    entries, warnings = read_plan(tmp_path)
    assert [e.key for e in entries] == ["page view"]
    assert "page%20view.json" in warnings[0]


# -- push / pull -----------------------------------------------------------------------------


def test_push_then_pull_reproduces_the_folder_byte_for_byte(cli: Cli, tmp_path: Path) -> None:
    pushed = cli("push", str(PLAN), "--url", URL)
    assert pushed.exit_code == 0, pushed.output
    out = tmp_path / "pulled"
    pulled = cli("pull", str(out), "--url", URL)
    assert pulled.exit_code == 0, pulled.output
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in PLAN.iterdir())
    for path in PLAN.iterdir():
        assert (out / path.name).read_bytes() == path.read_bytes(), path.name


def test_push_is_idempotent(cli: Cli) -> None:
    cli("push", str(PLAN), "--url", URL)
    again = cli("push", str(PLAN), "--url", URL, "--dry-run")
    assert again.exit_code == 0
    assert again.output.count(": unchanged") == 3
    writes = [r for r in cli.seen if r.method != "GET"]
    cli.seen.clear()
    assert cli("push", str(PLAN), "--url", URL).exit_code == 0
    assert [r for r in cli.seen if r.method != "GET"] == []
    assert writes  # the first push did write


def test_dry_run_prints_the_plan_and_changes_nothing(cli: Cli) -> None:
    result = cli("push", str(PLAN), "--url", URL, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "orderCreated: create event type" in result.output
    assert "orderCreated: new version" in result.output
    assert "orderCreated: add example 'paid'" in result.output
    assert "page view: set config" in result.output
    assert cli.service.store.all_keys() == []
    assert {r.method for r in cli.seen} == {"GET"}


def test_dry_run_reports_incompatibility_and_exits_1(cli: Cli, plan: Path) -> None:
    cli("push", str(plan), "--url", URL)
    schema = json.loads((plan / "page%20view.json").read_text("utf-8"))["schema"]
    schema["required"] = ["url", "referrer"]
    edit(plan, "page view", schema=schema)
    result = cli("push", str(plan), "--url", URL, "--dry-run")
    assert result.exit_code == 1
    assert "page view: new version" in result.output
    assert "PROBLEM: incompatible (BACKWARD, STRICT) with version 1" in result.output
    assert "required_added  /required  [BACKWARD]" in result.output
    assert "1 with problems" in result.output


def test_push_of_an_incompatible_schema_applies_nothing_and_exits_1(cli: Cli, plan: Path) -> None:
    """The registry's dry-run runs first: metadata and config stay as they were."""
    cli("push", str(plan), "--url", URL)
    schema = json.loads((plan / "page%20view.json").read_text("utf-8"))["schema"]
    schema["required"] = ["url", "referrer"]
    edit(plan, "page view", schema=schema, description="changed too")
    cli.seen.clear()
    result = cli("push", str(plan), "--url", URL)
    assert result.exit_code == 1
    assert "page view: PROBLEM: incompatible (BACKWARD, STRICT) with version 1" in result.output
    assert "nothing applied: fix the problems above first" in result.output
    assert "3 event type(s): 0 changed, 2 unchanged, 1 with problems" in result.output
    assert cli.service.get_event_type(key="page view").description == "A page was shown."
    assert len(cli.service.list_versions(key="page view")) == 1
    writes = [(r.method, r.url.path) for r in cli.seen if r.method != "GET"]
    assert writes == [("POST", "/event-types/page view/compatibility")]


def test_the_summary_counts_each_type_once(cli: Cli, plan: Path, tmp_path: Path) -> None:
    """A type with steps and a problem is counted with problems only (never "-1 unchanged")."""
    cli("push", str(plan), "--url", URL)
    single = tmp_path / "single"
    single.mkdir()
    shutil.copy(plan / "page%20view.json", single)
    schema = json.loads((single / "page%20view.json").read_text("utf-8"))["schema"]
    schema["required"] = ["url", "referrer"]
    edit(single, "page view", schema=schema, description="changed too")
    for args in (["--dry-run"], []):
        result = cli("push", str(single), "--url", URL, *args)
        assert result.exit_code == 1
        verb = "to change" if args else "changed"
        assert f"1 event type(s): 0 {verb}, 0 unchanged, 1 with problems" in result.output


def test_push_updates_metadata_config_version_and_examples(cli: Cli, plan: Path) -> None:
    """Config goes first: the LENIENT policy is what makes the added optional param compatible."""
    cli("push", str(plan), "--url", URL)
    entry = json.loads((plan / "orderCreated.json").read_text("utf-8"))
    params = [*entry["params"], {"name": "coupon", "type": "string"}]
    kept = [e for e in entry["examples"] if e["name"] == "paid"]
    edit(plan, "orderCreated", owner="checkout-team", params=params,
         config={"policy": "LENIENT"}, examples=kept)  # fmt: skip
    result = cli("push", str(plan), "--url", URL)
    assert result.exit_code == 0, result.output
    for line in ("update owner", "set config", "new version", "remove example 'negative-total'"):
        assert f"orderCreated: {line}" in result.output
    service = cli.service
    assert service.get_event_type(key="orderCreated").owner == "checkout-team"
    assert [v.version for v in service.list_versions(key="orderCreated")] == [1, 2]
    assert [e.name for e in service.list_examples(key="orderCreated")] == ["paid"]


def test_a_soft_deleted_type_is_a_problem(cli: Cli) -> None:
    cli("push", str(PLAN), "--url", URL)
    cli.service.delete_event_type(key="orderCreated")
    result = cli("push", str(PLAN), "--url", URL)
    assert result.exit_code == 1
    assert "orderCreated: PROBLEM: soft-deleted" in result.output
    assert "nothing applied" in result.output


def test_reverting_to_an_older_schema_is_a_problem(cli: Cli, plan: Path) -> None:
    cli("push", str(plan), "--url", URL)
    original = (plan / "page%20view.json").read_text("utf-8")
    schema = json.loads(original)["schema"]
    edit(plan, "page view", schema={**schema, "title": "Page view"})
    assert cli("push", str(plan), "--url", URL).exit_code == 0
    (plan / "page%20view.json").write_text(original, encoding="utf-8")
    result = cli("push", str(plan), "--url", URL, "--dry-run")
    assert result.exit_code == 1
    assert "identical to version 1" in result.output


def test_an_invalid_schema_is_a_problem(cli: Cli, plan: Path) -> None:
    edit(plan, "page view", schema={"type": "strin"})
    result = cli("push", str(plan), "--url", URL, "--dry-run")
    assert result.exit_code == 1
    assert "page view: PROBLEM: schema_invalid" in result.output


def test_pull_filters_by_tag_and_prefix(cli: Cli, tmp_path: Path) -> None:
    cli("push", str(PLAN), "--url", URL)
    assert cli("pull", str(tmp_path / "shop"), "--url", URL, "--tag", "shop").exit_code == 0
    names = sorted(p.name for p in (tmp_path / "shop").iterdir())
    assert names == sorted([file_name_for("orderCreated"), file_name_for("заказ.оплачен")])
    cli("pull", str(tmp_path / "p"), "--url", URL, "--prefix", "page")
    assert [p.name for p in (tmp_path / "p").iterdir()] == ["page%20view.json"]


def test_pull_of_a_type_without_versions_has_neither_schema_nor_params(
    cli: Cli, tmp_path: Path
) -> None:
    cli.service.create_event_type(key="draft")
    assert cli("pull", str(tmp_path), "--url", URL).exit_code == 0
    document = json.loads((tmp_path / "draft.json").read_text("utf-8"))
    assert "schema" not in document
    assert "params" not in document


def test_push_and_pull_usage_errors_exit_2(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["push", str(PLAN)]).exit_code == 2  # no --url
    missing = runner.invoke(main, ["push", str(tmp_path / "nope"), "--url", URL])
    assert missing.exit_code == 2
    assert "is not a folder" in missing.output
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    closed = f"http://127.0.0.1:{port}"
    assert runner.invoke(main, ["push", str(PLAN), "--url", closed]).exit_code == 2
    assert runner.invoke(main, ["pull", str(tmp_path), "--url", closed]).exit_code == 2
    assert runner.invoke(main, ["pull", str(tmp_path), "--url", "ftp://x"]).exit_code == 2
