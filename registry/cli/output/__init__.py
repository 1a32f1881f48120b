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

import importlib
from collections.abc import Iterator, Mapping
from typing import Protocol

from registry.cli.output.results import Result, failed, summarise


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


class _Renderers(Mapping[str, "Renderer"]):
    """Format name -> renderer, each format's module imported when it is first asked for (a
    run imports only the one it prints: junit's XML library stays unloaded for text)."""

    def __init__(self, table: dict[str, tuple[str, str]]) -> None:
        self._table = table

    def __getitem__(self, name: str) -> Renderer:
        module, attribute = self._table[name]
        renderer: Renderer = getattr(importlib.import_module(module), attribute)
        return renderer

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)


RENDERERS: Mapping[str, Renderer] = _Renderers(
    {
        "text": ("registry.cli.output.text", "render_text"),
        "json": ("registry.cli.output.results", "render_json"),
        "junit": ("registry.cli.output.junit", "render_junit"),
        "sarif": ("registry.cli.output.sarif", "render_sarif"),
        "github": ("registry.cli.output.github", "render_github"),
    }
)

__all__ = ["RENDERERS", "Renderer", "Result", "failed", "summarise"]
