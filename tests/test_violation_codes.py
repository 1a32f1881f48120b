"""The violation-code catalogue: the constructor enforces it, the README table matches it row by
row, and every code is pinned by an assertion of a test under ``tests/api``."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest

from registry.core.errors import problem_codes
from registry.core.validation import Violation
from registry.core.validation.catalogue import VIOLATION_CODES
from registry.core.validation.codes import CODES, code_for

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
API_TESTS = sorted((ROOT / "tests" / "api").glob("test_*.py"))
ASSERTING_HELPERS = {
    "only": ROOT / "tests/api/reports.py",
    "assert_problem": ROOT / "tests/api/support.py",
}
"""Helpers whose call asserts the code it is given (each is checked to contain an assert)."""


def readme_violation_rows() -> dict[str, list[str]]:
    section = README.split("### Violation codes", 1)[1].split("\n#", 1)[0]
    rows = {}
    for line in section.splitlines():
        match = re.match(r"^\| `([a-z0-9_]+)` \|(.*)\|$", line)
        if match:
            rows[match[1]] = [c.strip() for c in re.split(r"(?<!\\)\|", match[2])]
    return rows


# -- the constructor ---------------------------------------------------------------------------


def test_an_unknown_code_is_refused_by_the_constructor() -> None:
    with pytest.raises(ValueError, match="'type_mismatched' is not in the catalogue"):
        Violation(code="type_mismatched", severity="error", path="", message="m")


def test_an_unknown_code_is_refused_when_decoding_a_report() -> None:
    raw = b'{"code":"nope","severity":"error","path":"","message":"m"}'
    with pytest.raises(msgspec.ValidationError, match="not in the catalogue"):
        msgspec.json.decode(raw, type=Violation)


@pytest.mark.parametrize("code", ["request_too_large", "event_type_not_found", "invalid_request"])
def test_a_relayed_problem_code_is_accepted(code: str) -> None:
    """The CLI reports an event the server refused with its problem's code."""
    assert Violation(code=code, severity="error", path="", message="m").code == code


def test_every_engine_keyword_code_is_catalogued() -> None:
    engine = set(CODES.values()) | {code_for("a keyword without its own code")}
    assert engine - set(VIOLATION_CODES) == set()


def test_no_violation_code_is_also_a_problem_code_with_another_meaning() -> None:
    # the two codes shared on purpose: the same condition, per event in a report
    assert set(VIOLATION_CODES) & problem_codes() == {
        "malformed_json",
        "payload_too_large",
        "invalid_event_type_key",
        "version_not_found",
        "not_emulated",
    }


# -- the README table --------------------------------------------------------------------------


def test_the_readme_table_lists_exactly_the_catalogue() -> None:
    assert list(readme_violation_rows()) == list(VIOLATION_CODES)


@pytest.mark.parametrize("code", sorted(VIOLATION_CODES))
def test_the_readme_row_says_what_the_catalogue_says(code: str) -> None:
    severity, when, example = readme_violation_rows()[code]
    assert (severity, when) == tuple(VIOLATION_CODES[code])
    assert VIOLATION_CODES[code].severities, code
    assert "→" in example, f"the example of {code} should read `fragment` → message"


# -- every code pinned through the HTTP API ----------------------------------------------------


def _codes(node: ast.AST) -> Iterator[str]:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Constant) and sub.value in VIOLATION_CODES:
            yield str(sub.value)


def _names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _checks(function: ast.AST) -> list[ast.AST]:
    """The assert statements and asserting-helper calls inside ``function``."""
    return [
        n
        for n in ast.walk(function)
        if isinstance(n, ast.Assert)
        or (isinstance(n, ast.Call) and getattr(n.func, "id", None) in ASSERTING_HELPERS)
    ]


def _parametrized(function: ast.FunctionDef) -> Iterator[tuple[set[str], ast.AST]]:
    """``(argument names, values)`` of each ``@pytest.mark.parametrize`` of ``function``."""
    for decorator in function.decorator_list:
        if isinstance(decorator, ast.Call) and getattr(decorator.func, "attr", "") == "parametrize":
            names, values = decorator.args[0], decorator.args[1]
            yield set(re.findall(r"\w+", ast.literal_eval(names).__str__())), values


def pinned_codes(source: str) -> set[str]:
    """Codes an assertion pins: a literal in an assert or an asserting-helper call, or a
    ``parametrize`` value (inline, or a module-level table it names) whose argument such a check
    uses. Comments, docstrings and strings outside checks never count."""
    tree = ast.parse(source)
    tables = {
        target.id: node.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    found: set[str] = set()
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef):
            continue
        checks = _checks(function)
        for check in checks:
            found |= set(_codes(check))
        used = set().union(*(_names(c) for c in checks)) if checks else set()
        for names, values in _parametrized(function):
            if names & used:
                found |= set(_codes(values))
                for table in _names(values) & tables.keys():
                    found |= set(_codes(tables[table]))
    return found


def test_pinned_codes_ignore_comments_docstrings_and_unasserted_strings() -> None:
    source = '''
def test_x(client):
    """no_schema in a docstring"""
    # unknown_param in a comment
    r = client.post("/validate", json={"code": "too_long"})
    assert only(r.json(), "too_short")
    assert_problem(r, 400, "malformed_json")

@pytest.mark.parametrize(("body", "code"), [({}, "invalid_version")])
def test_y(body, code):
    assert code in codes(body)

@pytest.mark.parametrize("body", [{"c": "not_in_enum"}])
def test_z(body):
    send(body)

ROWS = [("too_many_items", 4)]
UNUSED = [("too_few_items", 0)]

@pytest.mark.parametrize("row", ROWS)
def test_t(row):
    assert row[0] in codes(send(row[1]))
'''
    assert pinned_codes(source) == {
        "too_short",
        "malformed_json",
        "invalid_version",
        "too_many_items",
    }


@pytest.mark.parametrize("helper", sorted(ASSERTING_HELPERS))
def test_the_asserting_helpers_assert(helper: str) -> None:
    tree = ast.parse(ASSERTING_HELPERS[helper].read_text(encoding="utf-8"))
    [function] = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == helper]
    assert any(isinstance(n, ast.Assert) for n in ast.walk(function))


@pytest.mark.parametrize("code", sorted(VIOLATION_CODES))
def test_every_violation_code_is_pinned_by_an_http_api_test(code: str) -> None:
    pinned = set().union(*(pinned_codes(p.read_text(encoding="utf-8")) for p in API_TESTS))
    assert code in pinned, f"no assertion of a test under tests/api pins {code}"
