"""Tracking plan as code: a folder of event-type files, and an offline registry built from it."""

from registry.plan.files import (
    PlanEntry,
    PlanError,
    PlanExample,
    file_name_for,
    key_from_file_name,
    read_plan,
    render_entry,
    write_plan,
)
from registry.plan.offline import OfflineRegistry, problem_report

__all__ = [
    "OfflineRegistry",
    "PlanEntry",
    "PlanError",
    "PlanExample",
    "file_name_for",
    "key_from_file_name",
    "problem_report",
    "read_plan",
    "render_entry",
    "write_plan",
]
