"""The validation report returned by /validate and the CLI."""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import UNSET, UnsetType

from registry.core.validation import Violation
from registry.core.validation.violations import cap_violations, sort_violations


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
    violations_capped: (
        Annotated[
            bool,
            msgspec.Meta(
                description="Present (true) only when the event has more violations than a "
                "report lists (100, errors kept first): `errors` and `warnings` are the first "
                "ones found. Absent otherwise.",
                extra_json_schema={"extra": {"one_of": None, "type": "boolean"}},
            ),
        ]
        | UnsetType
    ) = UNSET


def finish_report(
    *,
    key: str | None,
    version: int | None,
    schema_id: int | None,
    violations: list[Violation],
    capped: bool = False,
) -> Report:
    """The report of ``violations`` (capped at ``MAX_VIOLATIONS``; ``capped``: already cut)."""
    if not violations:
        return Report(
            valid=True,
            event_type_key=key,
            version=version,
            schema_id=schema_id,
            errors=[],
            warnings=[],
        )
    kept, cut = cap_violations(violations)
    ordered = sort_violations(kept)
    errors = [v for v in ordered if v.severity == "error"]
    warnings = [v for v in ordered if v.severity == "warning"]
    return Report(
        valid=not errors,
        event_type_key=key,
        version=version,
        schema_id=schema_id,
        errors=errors,
        warnings=warnings,
        violations_capped=True if capped or cut else UNSET,
    )
