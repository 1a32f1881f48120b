"""The validation report returned by /validate and the CLI."""

from __future__ import annotations

import msgspec

from registry.core.validation import Violation
from registry.core.validation.violations import sort_violations


class Report(msgspec.Struct, frozen=True, rename="camel"):
    """Verdict for one event: ``valid`` is false when any violation has severity ``error``."""

    valid: bool
    event_type_key: str | None
    version: int | None
    schema_id: int | None
    errors: list[Violation]
    warnings: list[Violation]


def finish_report(
    *, key: str | None, version: int | None, schema_id: int | None, violations: list[Violation]
) -> Report:
    if not violations:
        return Report(
            valid=True,
            event_type_key=key,
            version=version,
            schema_id=schema_id,
            errors=[],
            warnings=[],
        )
    ordered = sort_violations(violations)
    errors = [v for v in ordered if v.severity == "error"]
    warnings = [v for v in ordered if v.severity == "warning"]
    return Report(
        valid=not errors,
        event_type_key=key,
        version=version,
        schema_id=schema_id,
        errors=errors,
        warnings=warnings,
    )
