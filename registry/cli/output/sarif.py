"""SARIF 2.1.0: one result per violation, ``ruleId`` = the violation code.

Each result is located at the input file (a relative URI) and, when known, the line the event
starts on (NDJSON line, JSON array element); the JSON Pointer into the event is its logical
location. Code scanning (``github/codeql-action/upload-sarif``) and most IDE viewers read this.
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path
from typing import Any

import msgspec

from registry import __version__
from registry.cli.output.results import Result, level_of
from registry.core.validation import Violation

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/event-registry/event-registry"


def _uri(file: str) -> str:
    """A relative URI reference when the file is under the working directory (what code
    scanning expects: paths relative to the checkout), the absolute path otherwise."""
    if file.startswith("<"):
        return urllib.parse.quote(file.strip("<>"))
    path = Path(file)
    if path.is_absolute() and path.is_relative_to(Path.cwd()):
        path = path.relative_to(Path.cwd())
    return urllib.parse.quote(path.as_posix())


def _location(result: Result, violation: Violation) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(result.file)}}
    if result.line is not None:
        physical["region"] = {"startLine": result.line}
    return {
        "physicalLocation": physical,
        "logicalLocations": [
            {"fullyQualifiedName": f"[{result.index}]{violation.path}", "kind": "member"}
        ],
    }


def _result(result: Result, v: Violation, rule_index: int, strict: bool) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "eventTypeKey": result.report.event_type_key,
        "index": result.index,
        "path": v.path,
        "severity": v.severity,
    }
    if v.param is not None:
        properties["param"] = v.param
    return {
        "ruleId": v.code,
        "ruleIndex": rule_index,
        "level": level_of(v, strict),
        "message": {"text": v.message},
        "locations": [_location(result, v)],
        "properties": properties,
    }


def render_sarif(
    results: list[Result], fail_on_warnings: bool, *, summary_of: list[Result] | None = None
) -> str:
    codes = sorted({v.code for r in results for v in r.violations})
    index = {code: i for i, code in enumerate(codes)}
    rules = [
        {"id": code, "name": code, "shortDescription": {"text": code.replace("_", " ")}}
        for code in codes
    ]
    sarif = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "event-registry",
                        "version": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                    }
                },
                "results": [
                    _result(r, v, index[v.code], fail_on_warnings)
                    for r in results
                    for v in r.violations
                ],
            }
        ],
    }
    return msgspec.json.format(msgspec.json.encode(sarif), indent=2).decode() + "\n"
