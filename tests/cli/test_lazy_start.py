"""The CLI starts without importing what only some commands need (start-up is imports)."""

from __future__ import annotations

import subprocess
import sys

import click
from click.testing import CliRunner

from registry.cli import LAZY_COMMANDS, main

PROBE = """
import sys
from registry.cli import main
try:
    main([{args}])
except SystemExit:
    pass
heavy = ("httpx", "registry.plan", "registry.wiring", "registry.store.sqlite", "sqlite_utils",
         "jsonschema", "litestar", "registry.codegen")
print("LOADED:" + ",".join(sorted(m for m in heavy if m in sys.modules)))
"""


def loaded_after(*args: str) -> list[str]:
    code = PROBE.format(args=", ".join(repr(a) for a in args))
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    loaded = out.rpartition("LOADED:")[2].strip()
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
