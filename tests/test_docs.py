"""The README documents every error code and every CLI command (datasette/sqlite-utils style)."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from registry.api.problems import HTTP_CODES, PROBLEMS
from registry.cli import main
from registry.core import errors
from registry.core.compatibility import CODES as FINDING_CODES
from registry.core.validation.codes import CODES, code_for

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


@pytest.mark.parametrize("name", sorted(main.commands))
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


# -- violation codes ---------------------------------------------------------------------------

CORE = Path(__file__).resolve().parents[1] / "registry" / "core"
VIOLATION_SOURCES = [
    *sorted((CORE / "validation").glob("*.py")),
    CORE / "validator.py",
    CORE / "batch.py",
    CORE / "yespo.py",  # the drop-in dry-run endpoints' own rules
    CORE / "tracker.py",  # the tracker REST emulation's rules
    CORE / "orders.py",  # the Orders API emulation's batch rules
    CORE / "crossfield.py",  # cross-field order rules
    CORE / "dryrun.py",  # not_emulated, recorded for unsupported Yespo paths
]
_CODE = re.compile(r"^[a-z][a-z0-9_]*$")


def _string(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and _CODE.match(node.value):
        return node.value
    return None


def _codes_in(tree: ast.AST) -> set[str]:
    """String literals used as a violation code: ``code="…"``, ``"code": "…"``, the first argument
    of the envelope/service helpers, literals returned by a ``*_code`` function, and the first
    item of the ``(code, message)`` values of a ``*_CODES`` table."""
    found: set[str | None] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Dict)
            and any(getattr(t, "id", "").endswith("_CODES") for t in node.targets)
        ):
            found |= {_string(v.elts[0]) for v in node.value.values if isinstance(v, ast.Tuple)}
        if isinstance(node, ast.Call):
            found |= {_string(k.value) for k in node.keywords if k.arg == "code"}
            name = getattr(node.func, "id", None)
            if name in ("_v", "_violation") and node.args:
                found.add(_string(node.args[0]))
        elif isinstance(node, ast.Dict):
            found |= {
                _string(v)
                for k, v in zip(node.keys, node.values, strict=True)
                if _string(k) == "code"
            }
        elif isinstance(node, ast.FunctionDef) and node.name.endswith("_code"):
            found |= {_string(r.value) for r in ast.walk(node) if isinstance(r, ast.Return)}
    return {c for c in found if c is not None}


def emitted_violation_codes() -> set[str]:
    """Every code the validator can put in a report, collected from the source."""
    found = set(CODES.values()) | {code_for("a keyword without its own code")}
    for path in VIOLATION_SOURCES:
        found |= _codes_in(ast.parse(path.read_text(encoding="utf-8")))
    return found


def readme_violation_rows() -> dict[str, list[str]]:
    section = README.split("### Violation codes", 1)[1].split("\n#", 1)[0]
    rows = {}
    for line in section.splitlines():
        match = re.match(r"^\| `([a-z0-9_]+)` \|(.*)\|$", line)
        if match:
            rows[match[1]] = [c.strip() for c in re.split(r"(?<!\\)\|", match[2])]
    return rows


def test_violation_code_collection_finds_the_known_families() -> None:
    codes = emitted_violation_codes()
    assert {"type_mismatch", "unknown_param", "missing_contact_identifier"} <= codes
    assert {"unknown_event_type", "version_disabled", "invalid_version", "no_schema"} <= codes
    assert {"deprecated_version", "json_string_parsed", "schema_violation"} <= codes
    assert {"occurred_required", "occurred_in_future", "key_value_required"} <= codes


@pytest.mark.parametrize("code", sorted(emitted_violation_codes()))
def test_every_violation_code_is_in_the_readme_table(code: str) -> None:
    row = readme_violation_rows().get(code)
    assert row is not None, f"README's 'Violation codes' table lacks a row for {code}"
    severity, when, example = row
    assert severity, code
    assert when, code
    assert "→" in example, f"the example of {code} should read `fragment` → message"


def test_the_readme_table_lists_no_stale_code() -> None:
    assert set(readme_violation_rows()) - emitted_violation_codes() == set()


@pytest.mark.parametrize("code", sorted(emitted_violation_codes()))
def test_every_violation_code_is_exercised_through_the_http_api(code: str) -> None:
    api_tests = "".join(
        p.read_text(encoding="utf-8") for p in (CORE.parents[1] / "tests" / "api").glob("test_*.py")
    )
    assert f'"{code}"' in api_tests, f"no test under tests/api mentions {code}"
