"""JSON Schema compatibility (schema evolution), Confluent semantics.

BACKWARD: the new schema accepts every payload the old one accepted. FORWARD: the old schema
accepts every payload the new one accepts. ``diff`` lists typed ``Change``s classified by the
directions they break; ``check`` keeps those that matter for a ``Level``; ``check_against``
applies a level to a history of versions.
"""

from registry.core.compatibility.check import check, check_against
from registry.core.compatibility.codes import CODES
from registry.core.compatibility.diff import diff
from registry.core.compatibility.findings import Change, CompatibilityResult, Finding
from registry.core.compatibility.levels import Direction, Level, Policy

__all__ = [
    "CODES",
    "Change",
    "CompatibilityResult",
    "Direction",
    "Finding",
    "Level",
    "Policy",
    "check",
    "check_against",
    "diff",
]
