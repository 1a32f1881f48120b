"""pytest helpers: assert that the events your code builds match the tracking plan, offline.

Example (a session fixture keeps one loaded registry for the whole run; nothing is cached
globally)::

    import pytest
    from registry.testing import assert_valid_event, load_registry

    @pytest.fixture(scope="session")
    def tracking_plan():
        return load_registry("tracking-plan/")

    def test_checkout_sends_a_valid_order_event(tracking_plan):
        event = build_order_event(cart)          # your code
        assert_valid_event(event, schemas=tracking_plan, mode="strict")

``schemas`` may also be the folder path itself (loaded on every call -- fine for a few tests).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from registry.core.report import Report
from registry.core.validation import Mode, Violation
from registry.plan import OfflineRegistry

__all__ = ["OfflineRegistry", "assert_valid_event", "format_report", "load_registry"]


def load_registry(directory: str | Path) -> OfflineRegistry:
    """Load a tracking-plan folder into a reusable offline validator.

    Raises:
        registry.plan.PlanError: the folder is missing, a file is malformed or a schema invalid.
    """
    return OfflineRegistry.from_folder(directory)


def _line(v: Violation) -> str:
    param = f" (param {v.param!r})" if v.param else ""
    return f"  {v.code} at {v.path or '/'}{param}: {v.message}"


def format_report(report: Report) -> str:
    """A readable listing: one line per error, then the warnings."""
    key = report.event_type_key or "(no eventTypeKey)"
    version = f" v{report.version}" if report.version is not None else ""
    lines = [f"event {key!r}{version} is invalid: {len(report.errors)} error(s)"]
    lines += [_line(v) for v in report.errors]
    if report.warnings:
        lines.append(f"and {len(report.warnings)} warning(s):")
        lines += [_line(v) for v in report.warnings]
    return "\n".join(lines)


def assert_valid_event(
    event: object,
    *,
    schemas: str | Path | OfflineRegistry,
    mode: Mode | None = None,
    coerce: bool | None = None,
    version: int | Literal["latest"] | None = None,
) -> Report:
    """Fail with every violation listed unless ``event`` is valid under the plan.

    Args:
        event: the decoded event (``{"eventTypeKey", "keyValue", "params"}``).
        schemas: a tracking-plan folder, or a registry from :func:`load_registry`.
        mode: ``strict`` makes undeclared params errors; default: the type's config.
        coerce: accept strings holding numbers/booleans; default: the type's config.
        version: the plan holds one schema per type, numbered 1; ``None``/``"latest"``/``1``.

    Returns:
        The report (its warnings may be worth asserting on too).
    """
    registry = schemas if isinstance(schemas, OfflineRegistry) else load_registry(schemas)
    report = registry.validate(event, mode=mode, coerce=coerce, version=version)
    if not report.valid:
        raise AssertionError(format_report(report))
    return report
