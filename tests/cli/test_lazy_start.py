"""The CLI starts without importing what only some commands need (start-up is imports)."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import click
from click.testing import CliRunner

from registry.cli import LAZY_COMMANDS, main

PROBE = """
import sys
from registry.cli import main
try:
    main([{args}])
except SystemExit as exit:
    print("EXIT:" + str(exit.code))
heavy = ("httpx", "registry.plan", "registry.wiring", "registry.store.sqlite", "sqlite_utils",
         "jsonschema", "litestar", "registry.codegen", "registry.settings", "msgspec",
         "registry.core.compatibility.diffing")
print("LOADED:" + ",".join(sorted(m for m in heavy if m in sys.modules)))
"""


def run_probe(*args: str) -> str:
    """stderr then stdout of the CLI run with ``args`` (the loaded modules printed last)."""
    code = PROBE.format(args=", ".join(repr(a) for a in args))
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return done.stderr + done.stdout


def loaded_after(*args: str) -> list[str]:
    loaded = run_probe(*args).rpartition("LOADED:")[2].strip()
    return [m for m in loaded.split(",") if m]


def test_help_imports_none_of_the_heavy_modules() -> None:
    assert loaded_after("--help") == []


def test_a_command_imports_what_it_needs_only_when_it_runs() -> None:
    # offline validation needs the plan loader, not the HTTP client, the web app or codegen
    loaded = loaded_after("validate", "--help")
    assert "registry.plan" in loaded
    assert [m for m in ("httpx", "litestar", "registry.codegen") if m in loaded] == []


def test_help_lists_every_command_with_the_same_text_once_they_are_loaded() -> None:
    lazy_help = CliRunner().invoke(main, ["--help"]).output
    ctx = click.Context(main)
    for name in LAZY_COMMANDS:
        command = main.get_command(ctx, name)
        assert command is not None
        assert command.name == name
    assert CliRunner().invoke(main, ["--help"]).output == lazy_help


def test_the_table_holds_each_command_s_own_short_help() -> None:
    ctx = click.Context(main)
    for name, entry in LAZY_COMMANDS.items():
        command = main.get_command(ctx, name)
        assert command is not None
        assert entry.short_help == command.get_short_help_str(10_000), name


def test_offline_validation_runs_without_the_stores_python_jsonschema_or_the_http_stack(
    tmp_path: Path,
) -> None:
    plan = tmp_path / "plan"
    plan.mkdir()
    schema = {
        "type": "object",
        "properties": {"orderId": {"type": "string"}},
        "required": ["orderId"],
    }
    (plan / "orderCreated.json").write_text(json.dumps({"key": "orderCreated", "schema": schema}))
    event = {"eventTypeKey": "orderCreated", "keyValue": "a@example.org", "params": []}
    events = tmp_path / "events.ndjson"
    events.write_text(
        json.dumps({**event, "params": [{"name": "orderId", "value": "SO-1"}]})
        + "\n"
        + json.dumps(event)
        + "\n"
    )
    out = run_probe("validate", str(events), "--schemas", str(plan))
    assert "1 valid, 1 invalid" in out  # it did validate: the second event lacks orderId
    assert "EXIT:1" in out
    loaded = out.rpartition("LOADED:")[2].strip()
    # the plan, its service and msgspec are what offline validation is; the rest only other
    # commands need (the compatibility rules: no plan entry follows an earlier version)
    assert [m for m in loaded.split(",") if m] == ["msgspec", "registry.plan", "registry.settings"]


def test_a_schema_the_fast_meta_check_does_not_pass_still_gets_python_jsonschema_s_verdict(
    tmp_path: Path,
) -> None:
    plan = tmp_path / "plan"
    plan.mkdir()
    bad = {"key": "orderCreated", "schema": {"type": "object", "minProperties": -1}}
    (plan / "orderCreated.json").write_text(json.dumps(bad))
    events = tmp_path / "events.ndjson"
    events.write_text('{"eventTypeKey": "orderCreated", "params": []}\n')
    out = run_probe("validate", str(events), "--schemas", str(plan))
    assert "EXIT:2" in out  # the plan does not load, with Python jsonschema's problem list
    assert (
        "schema_invalid: schema is invalid: -1 is less than the minimum of 0 (at /minProperties)"
        in out
    )
    assert "jsonschema" in out.rpartition("LOADED:")[2].split(",")


CONSOLE_PROBE = """
import gc, sys
sys.argv = ["event-registry", {args}]
from registry.__main__ import run
try:
    run()
except SystemExit as exit:
    print("EXIT:" + str(exit.code))
print("GC:" + str(gc.isenabled()) + ":" + str(gc.get_freeze_count() > 0))
print("LOADED:" + str("registry.cli.validate" in sys.modules))
"""


def test_the_console_script_imports_without_the_collector_and_runs_the_command_with_it() -> None:
    code = CONSOLE_PROBE.format(args=", ".join(repr(a) for a in ("validate", "--help")))
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert "Usage: event-registry validate" in done.stdout
    assert "EXIT:0" in done.stdout
    # the collector is back on for the command; what start-up built is frozen out of its sight
    assert "GC:True:True" in done.stdout
    assert "LOADED:True" in done.stdout  # the command's module came in during start-up


def test_the_installed_console_script_is_the_launcher() -> None:
    (script,) = entry_points(group="console_scripts", name="event-registry")
    assert script.value == "registry.__main__:run"
