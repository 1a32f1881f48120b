"""Learning use cases: samples from requests or the inspection log -> a reviewed proposal.

:func:`propose` runs the pure inference (:mod:`registry.core.infer`) and, when the event type
already has a usable version, adds the typed diff against that latest version and the
compatibility verdict a registration would get (``RegistryService.dry_run``: the configured
level and policy, and the example replay). :func:`recorded_samples` reads the inspection log
through ``DryRunService.query`` and turns each entry back into the params its client sent, by
the entry's format (a tracker body and an Orders API order are params themselves).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec

from registry.core import lint
from registry.core.compatibility import Change, diff
from registry.core.dryrun import DryRunService
from registry.core.errors import EventTypeNotFound, InvalidRequest
from registry.core.evolution import DryRun
from registry.core.infer import InferOptions, infer, params_of
from registry.core.inspection import InspectedEvent
from registry.core.model import latest_usable
from registry.core.service import RegistryService
from registry.core.traffic import TrafficReport, entry_params, report

__all__ = [
    "InferResult",
    "LintResult",
    "lint_candidate",
    "propose",
    "recorded_entries",
    "recorded_samples",
    "samples_of",
    "traffic",
]

PAGE = 500


class InferResult(msgspec.Struct, frozen=True, kw_only=True, rename="camel", omit_defaults=True):
    """The proposal in both forms, its statistics, and how it compares with the latest version."""

    schema: dict[str, Any]
    params: list[dict[str, Any]]
    stats: dict[str, Any]
    event_type_key: str | None = None
    latest_version: int | None = None
    """The version the proposal was compared with (``None``: no usable version yet)."""
    changes: list[Change] | None = None
    """Typed changes from ``latestVersion`` to the proposal (the ``/diff`` vocabulary)."""
    compatibility: DryRun | None = None
    """What registering the proposal would meet: findings at the configured level."""


def samples_of(events: list[Any], key: str | None) -> tuple[list[dict[str, Any]], int]:
    """The params of every event whose ``eventTypeKey`` is ``key`` (or absent); and how many
    were left out (not an event, or another type's)."""
    samples: list[dict[str, Any]] = []
    for event in events:
        named = event.get("eventTypeKey") if isinstance(event, dict) else None
        params = params_of(event)
        if params is None or (key is not None and isinstance(named, str) and named != key):
            continue
        samples.append(params)
    return samples, len(events) - len(samples)


def recorded_entries(
    dryrun: DryRunService,
    *,
    key: str,
    run_id: str | None,
    since: str | None,
    limit: int,
    recorded_by: str | None = None,
) -> list[InspectedEvent]:
    """The newest ``limit`` recorded events of ``key`` (one run, since a time), oldest first.
    ``recorded_by`` (a token id) limits them to what that token recorded, as ``/inspect`` does."""
    entries: list[InspectedEvent] = []
    cursor: str | None = None
    while len(entries) < limit:
        page = dryrun.query(
            run_id=run_id,
            event_type_key=key,
            since=since,
            limit=min(PAGE, limit - len(entries)),
            cursor=cursor,
            recorded_by=recorded_by,
        )
        entries += page.items
        cursor = page.next_cursor
        if cursor is None:
            break
    return entries[::-1]


def recorded_samples(
    dryrun: DryRunService,
    *,
    key: str,
    run_id: str | None,
    since: str | None,
    limit: int,
    recorded_by: str | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """The params of :func:`recorded_entries` (oldest first, so params appear in the order
    clients sent them); and how many entries carried no usable params."""
    entries = recorded_entries(
        dryrun, key=key, run_id=run_id, since=since, limit=limit, recorded_by=recorded_by
    )
    samples = [p for e in entries if (p := entry_params(e)) is not None]
    return samples, len(entries) - len(samples)


def traffic(
    dryrun: DryRunService,
    *,
    key: str,
    run_id: str | None,
    since: str | None,
    limit: int,
    recorded_by: str | None = None,
) -> TrafficReport:
    """The observed-traffic report of ``key`` over the same slice of the log."""
    entries = recorded_entries(
        dryrun, key=key, run_id=run_id, since=since, limit=limit, recorded_by=recorded_by
    )
    return report(key, entries)


def propose(
    registry: RegistryService,
    *,
    key: str,
    samples: list[dict[str, Any]],
    ignored: int = 0,
    options: InferOptions | None = None,
) -> InferResult:
    """Infer from ``samples``; compare with ``key``'s latest usable version when there is one."""
    if not samples:
        raise InvalidRequest(
            f"no sample events of {key!r} to learn from; send samples, or record a run first",
            pointer="samples",
        )
    proposal = infer(samples, title=key, options=options, ignored=ignored)
    result = InferResult(
        schema=proposal.schema,
        params=proposal.params,
        stats=proposal.stats,
        event_type_key=key,
    )
    try:
        latest = latest_usable(registry.list_versions(key=key))
        if latest is None:
            return result
        policy = registry.effective_config(key=key).policy
        verdict = registry.dry_run(key=key, schema=proposal.schema)
    except EventTypeNotFound:
        return result
    return msgspec.structs.replace(
        result,
        latest_version=latest.version,
        changes=diff(latest.document, proposal.schema, policy=policy),
        compatibility=verdict,
    )


class LintResult(msgspec.Struct, frozen=True, kw_only=True, rename="camel"):
    """The findings of the rules that ran, and which rules those were."""

    rules: list[str]
    findings: list[lint.LintFinding]


def lint_candidate(
    registry: RegistryService,
    *,
    schema: object,
    key: str | None,
    rules: list[str] | None,
    disabled: list[str],
    sees: Callable[[str], bool] = lambda _: True,
) -> LintResult:
    """Lint ``schema`` (as ``key``); the cross-type rule compares it with the latest version of
    every registered type the caller ``sees``."""
    try:
        chosen = lint.select(rules, disabled=disabled)
    except KeyError as exc:
        raise InvalidRequest(
            f"unknown lint rule {exc.args[0]!r}; rules: {', '.join(lint.RULE_CODES)}",
            pointer="rules",
        ) from None
    subject = lint.Subject(key, schema)
    others: list[lint.Subject] = []
    if any(r.code == "param_casing_inconsistent" for r in chosen):
        others = [
            lint.Subject(v.key, v.document)
            for v in registry.bundle()
            if v.key != key and sees(v.key)
        ]
    everyone = [subject, *others]
    findings = [f for rule in chosen for f in rule.check(subject, everyone)]
    return LintResult(rules=[r.code for r in chosen], findings=findings)
