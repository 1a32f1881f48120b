"""The official JSON Schema test suite (required tests) through our registration + engine path.

Each case runs ``check_schema`` (with an in-memory registry of the suite's remotes, so the
remote-ref rule is skipped -- the only difference from the service path), ``compile_schema``
and ``CompiledSchema.is_valid`` -- the same engine call the service makes on a params object.

Known, deliberate gaps are named skips (see ``SKIPS``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest

from registry.core.errors import SchemaTooComplex
from registry.core.schema_check import check_schema
from registry.core.validation import CompiledSchema, compile_schema
from registry.settings import Settings
from registry.wiring import schema_limits

LIMITS = schema_limits(Settings())


SUITE = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "json-schema-test-suite"
DRAFTS = {
    "draft2020-12": "https://json-schema.org/draft/2020-12/schema",
    "draft7": "http://json-schema.org/draft-07/schema#",
}
FORMAT_REASON = (
    "format is an assertion in the registry (validate_formats=True); the suite's required tests "
    "treat it as an annotation"
)
# (draft, file stem, group description or "*", test description or "*") -> reason
VOCABULARY_REASON = (
    "custom meta-schemas are refused on registration: only the draft-07, 2019-09 and 2020-12 "
    "dialects are accepted"
)
SKIPS: dict[tuple[str, str, str, str], str] = {
    ("draft2020-12", "vocabulary", "*", "*"): VOCABULARY_REASON,
}

if not (SUITE / "tests").is_dir():
    pytest.skip(f"JSON Schema test suite not found at {SUITE}", allow_module_level=True)


def _remotes(draft: str) -> jsonschema_rs.Registry:
    root = SUITE / "remotes"
    resources = []
    for path in sorted(root.rglob("*.json")):
        relative = path.relative_to(root).as_posix()
        top = relative.split("/", 1)[0]
        if (top.startswith("draft") and top != draft) or top == "v1":  # v1: next spec, unused here
            continue
        resources.append((f"http://localhost:1234/{relative}", json.loads(path.read_text())))
    default = jsonschema_rs.Draft7 if draft == "draft7" else jsonschema_rs.Draft202012
    return jsonschema_rs.Registry(resources, draft=default)


def _with_dialect(schema: Any, draft: str) -> Any:
    if isinstance(schema, dict) and "$schema" not in schema:
        return {"$schema": DRAFTS[draft], **schema}
    return schema


def _skip_reason(draft: str, stem: str, group: str, test: str) -> str | None:
    for key in ((draft, stem, group, test), (draft, stem, group, "*"), (draft, stem, "*", "*")):
        if key in SKIPS:
            return SKIPS[key]
    return None


def _cases() -> Iterator[Any]:
    for draft in DRAFTS:
        for path in sorted((SUITE / "tests" / draft).glob("*.json")):
            for g, group in enumerate(json.loads(path.read_text())):
                for t, test in enumerate(group["tests"]):
                    reason = _skip_reason(
                        draft, path.stem, group["description"], test["description"]
                    )
                    marks = [pytest.mark.skip(reason=reason)] if reason else []
                    yield pytest.param(
                        draft,
                        path.stem,
                        group["schema"],
                        test["data"],
                        test["valid"],
                        id=f"{draft}/{path.stem}/{g}-{t}",
                        marks=marks,
                    )


@pytest.fixture(scope="module")
def registries() -> dict[str, jsonschema_rs.Registry]:
    return {draft: _remotes(draft) for draft in DRAFTS}


@pytest.fixture(scope="module")
def compiled_cache() -> dict[str, CompiledSchema]:
    return {}


@pytest.mark.parametrize(("draft", "stem", "schema", "instance", "valid"), list(_cases()))
def test_suite_case(
    draft: str,
    stem: str,
    schema: Any,
    instance: Any,
    valid: bool,
    registries: dict[str, jsonschema_rs.Registry],
    compiled_cache: dict[str, CompiledSchema],
) -> None:
    schema = _with_dialect(schema, draft)
    key = draft + json.dumps(schema, sort_keys=True)
    if key not in compiled_cache:
        try:
            check_schema(schema, limits=LIMITS, registry=registries[draft])
        except SchemaTooComplex as exc:
            pytest.skip(f"refused by design: {exc.problems[0].message}")
        compiled_cache[key] = compile_schema(schema, registry=registries[draft])
    result = compiled_cache[key].is_valid(instance)
    if stem == "format" and valid and not result:
        pytest.skip(FORMAT_REASON)
    assert result is valid
