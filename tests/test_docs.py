"""The README documents every error code and every CLI command (datasette/sqlite-utils style)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from registry.api.problems import HTTP_CODES, PROBLEMS
from registry.cli import main
from registry.core import errors
from registry.core.compatibility import CODES as FINDING_CODES

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def registry_error_codes() -> set[str]:
    codes = set()
    for value in vars(errors).values():
        if isinstance(value, type) and issubclass(value, errors.RegistryError):
            codes.add(value.code)
    return codes - {"registry_error", "invalid_settings"}


@pytest.mark.parametrize(
    "code", sorted(registry_error_codes() | {c for c, _ in HTTP_CODES.values()})
)
def test_every_problem_code_is_in_the_readme_table(code: str) -> None:
    errors_section = README.split("\n## Errors\n", 1)[1].split("\n## ", 1)[0]
    assert re.search(rf"^\| `{code}` \|", errors_section, re.MULTILINE), (
        f"README's Errors table lacks a row for {code}"
    )


def test_every_domain_error_has_an_http_status() -> None:
    classes = [
        v
        for v in vars(errors).values()
        if isinstance(v, type)
        and issubclass(v, errors.RegistryError)
        and v not in (errors.RegistryError, errors.InvalidSettings)
    ]
    unmapped = [c.__name__ for c in classes if not any(k in PROBLEMS for k in c.__mro__)]
    assert unmapped == []


@pytest.mark.parametrize("name", main.list_commands(click.Context(main)))
def test_every_cli_command_has_help_and_is_documented(name: str) -> None:
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output
    assert f"event-registry {name}" in README, f"README does not mention `event-registry {name}`"


def test_every_setting_is_in_the_configuration_table() -> None:
    from registry.settings import SETTINGS_DOCS, Settings, env_name

    assert set(SETTINGS_DOCS) == set(Settings.__struct_fields__)
    missing = [env_name(f) for f in Settings.__struct_fields__ if f"`{env_name(f)}`" not in README]
    assert missing == []


@pytest.mark.parametrize("code", sorted(FINDING_CODES))
def test_every_compatibility_finding_code_is_in_the_readme_table(code: str) -> None:
    assert re.search(rf"^\| `{code}` \| ", README, re.MULTILINE), f"README lacks a row for {code}"


def test_readme_states_the_apicurio_pass_rate_the_suite_checks() -> None:
    from tests.unit.core.compatibility.test_apicurio import DATA, DIFFERENT, MISSING

    if not DATA.is_file():
        pytest.skip(MISSING)
    total = len(json.loads(DATA.read_text(encoding="utf-8"))["tests"])
    assert f"**{total - len(DIFFERENT)} of {total}**" in README
