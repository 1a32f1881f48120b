"""The validation report returned by /validate and the CLI."""

from __future__ import annotations

from typing import Annotated

import msgspec

from registry.core.validation import Violation
from registry.core.validation.violations import sort_violations


class Report(msgspec.Struct, frozen=True, rename="camel"):
    """Verdict for one event: ``valid`` is false when any violation has severity ``error``."""

    valid: Annotated[bool, msgspec.Meta(description="False if and only if `errors` is not empty.")]
    event_type_key: Annotated[
        str | None,
        msgspec.Meta(description="The event's eventTypeKey; null if it is not a string."),
    ]
    version: Annotated[
        int | None,
        msgspec.Meta(description="The schema version validated against; null if none was used."),
    ]
    schema_id: Annotated[
        int | None, msgspec.Meta(description="Global id of that schema; null if none was used.")
    ]
    errors: Annotated[
        list[Violation],
        msgspec.Meta(description="Violations with severity `error`, sorted by path then code."),
    ]
    warnings: Annotated[
        list[Violation],
        msgspec.Meta(description="Violations with severity `warning`, sorted by path then code."),
    ]


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
