"""Output formats of ``event-registry validate``: each a pure function from results to text.

=========  ==================================================================================
text       a readable table; ANSI colours only when stdout is a terminal
json       one document: every result (origin + report) and a summary
junit      JUnit XML: one <testcase> per event, <failure> listing its violations
sarif      SARIF 2.1.0: one result per violation, located at the file (and line)
github     GitHub Actions workflow commands: ``::error file=…,line=…::message``
=========  ==================================================================================
"""

from __future__ import annotations

from typing import Protocol

from registry.cli.output.github import render_github
from registry.cli.output.junit import render_junit
from registry.cli.output.results import Result, failed, render_json, summarise
from registry.cli.output.sarif import render_sarif
from registry.cli.output.text import render_text


class Renderer(Protocol):
    """``(results, fail_on_warnings, summary_of=every result) -> text``. ``summary_of`` is what
    totals count when ``results`` is a selection (``--only-invalid``); formats without totals
    ignore it."""

    def __call__(
        self,
        results: list[Result],
        fail_on_warnings: bool,
        *,
        summary_of: list[Result] | None = ...,
    ) -> str: ...


RENDERERS: dict[str, Renderer] = {
    "text": render_text,
    "json": render_json,
    "junit": render_junit,
    "sarif": render_sarif,
    "github": render_github,
}

__all__ = ["RENDERERS", "Renderer", "Result", "failed", "summarise"]
