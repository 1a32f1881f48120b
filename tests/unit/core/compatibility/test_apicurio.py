"""Apicurio Registry's 145 labelled JSON Schema compatibility cases, run through ``check``.

The data lives in ../shared; without it every case skips with :data:`MISSING` as the reason.

Labels: ``backward`` = compatible at BACKWARD and not at FORWARD, ``both`` = compatible at FULL,
``none`` = incompatible both ways. Cases where we deliberately decide otherwise are listed in
``DIFFERENT`` (xfail, strict) with the reason.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from registry.core.compatibility import Level, Policy, check

DATA = (
    Path(__file__).resolve().parents[4]
    / ".."
    / "shared"
    / "data"
    / "apicurio-json-compat"
    / "compatibility-test-data.json"
)

MISSING = f"apicurio test data not found at {DATA} (a clone without ../shared)"
"""The skip reason when the data is absent. The module still imports, so tests/test_docs.py can
read ``DIFFERENT`` on any clone."""

# case index -> why our verdict deliberately differs from Apicurio's label. Empty: we agree on all.
DIFFERENT: dict[int, str] = {}


def _cases() -> list[Any]:
    if not DATA.is_file():
        return [pytest.param(None, id="no-data", marks=pytest.mark.skip(reason=MISSING))]
    tests = json.loads(DATA.read_text(encoding="utf-8"))["tests"]
    params = []
    for index, case in enumerate(tests):
        marks: list[Any] = []
        if case.get("enabled") is False:
            marks.append(pytest.mark.skip(reason=f"disabled upstream: {case['id']}"))
        if index in DIFFERENT:
            marks.append(pytest.mark.xfail(reason=DIFFERENT[index], strict=True))
        params.append(pytest.param(case, id=f"{index:03d}-{case['id']}", marks=marks))
    return params


def _verdict(old: Any, new: Any) -> str:
    backward = not check(old, new, level=Level.BACKWARD, policy=Policy.STRICT)
    forward = not check(old, new, level=Level.FORWARD, policy=Policy.STRICT)
    if backward and forward:
        return "both"
    if backward:
        return "backward"
    return "forward" if forward else "none"


@pytest.mark.parametrize("case", _cases())
def test_apicurio_case(case: dict[str, Any]) -> None:
    assert _verdict(case["original"], case["updated"]) == case["compatibility"]


@pytest.mark.parametrize("case", _cases())
def test_apicurio_full_agrees_with_both_directions(case: dict[str, Any]) -> None:
    full = not check(case["original"], case["updated"], level=Level.FULL)
    assert full == (_verdict(case["original"], case["updated"]) == "both")
