"""JUnit XML: a <testsuite> per input file, a <testcase> per event, a <failure> per failed event.

The test case is named ``file:index eventTypeKey``; the failure's ``type`` is the first code and
its text lists every violation, one per line. Warnings go to <system-out> (or into the failure
with ``--fail-on-warnings``).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from itertools import groupby

from registry.cli.output.results import Result
from registry.core.validation import Violation

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    """XML 1.0 cannot carry most control characters, even escaped."""
    return _INVALID_XML.sub("\ufffd", text)


def _listing(violations: list[Violation]) -> str:
    return "\n".join(
        _clean(
            f"{v.severity} {v.code} {v.path or '(event)'}"
            f"{f' ({v.param})' if v.param else ''}: {v.message}"
        )
        for v in violations
    )


def _testcase(suite: ET.Element, result: Result, fail_on_warnings: bool) -> None:
    key = result.report.event_type_key or "(no eventTypeKey)"
    case = ET.SubElement(
        suite, "testcase", classname=_clean(result.file), name=_clean(f"{result.label} {key}")
    )
    case.set("file", _clean(result.file))
    if result.line is not None:
        case.set("line", str(result.line))
    failing = result.report.errors + (result.report.warnings if fail_on_warnings else [])
    if failing:
        codes = ", ".join(dict.fromkeys(v.code for v in failing))
        failure = ET.SubElement(
            case, "failure", message=_clean(f"{len(failing)} violation(s): {codes}")
        )
        failure.set("type", failing[0].code)
        failure.text = _listing(failing)
    if result.report.warnings and not fail_on_warnings:
        ET.SubElement(case, "system-out").text = _listing(result.report.warnings)


def render_junit(
    results: list[Result], fail_on_warnings: bool, *, summary_of: list[Result] | None = None
) -> str:
    root = ET.Element("testsuites", name="event-registry validate")
    total = failures = 0
    for file, group in groupby(results, key=lambda r: r.file):
        cases = list(group)
        failed = sum(r.failed(fail_on_warnings) for r in cases)
        suite = ET.SubElement(root, "testsuite", name=_clean(file))
        suite.set("tests", str(len(cases)))
        suite.set("failures", str(failed))
        suite.set("errors", "0")
        suite.set("skipped", "0")
        for result in cases:
            _testcase(suite, result, fail_on_warnings)
        total, failures = total + len(cases), failures + failed
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("errors", "0")
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
