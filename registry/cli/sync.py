"""Tracking plan <-> registry over HTTP: read remote state, plan the changes, apply them.

``plan_entry`` is pure: given a plan file and what the registry holds for that key, it lists the
steps that make the registry match the file (create type, update metadata, update config, new
version, put/delete examples) and the problems that prevent it. Fetching and applying are thin
loops over :class:`RegistryClient`.
"""

from __future__ import annotations

from typing import Any, Literal

import msgspec

from registry.build import schema_limits
from registry.cli.http import RegistryClient, path, problem_of, unexpected
from registry.core import canonical
from registry.core.errors import RegistryError
from registry.core.model import is_usable
from registry.core.paramlist import compile_param_list
from registry.core.schema_check import check_schema
from registry.plan import PlanEntry, PlanExample
from registry.settings import Settings

StepKind = Literal[
    "create",
    "metadata",
    "config",
    "version",
    "put-example",
    "delete-example",
    "delete-type",
    "purge-type",
]
_META = ("description", "owner", "tags")


class Remote(msgspec.Struct, kw_only=True):
    """What the registry holds for one key (``event_type`` None: not there at all)."""

    event_type: dict[str, Any] | None
    config: dict[str, Any] = {}
    versions: list[dict[str, Any]] = []
    examples: list[dict[str, Any]] = []


class Step(msgspec.Struct, kw_only=True):
    kind: StepKind
    detail: str
    body: Any = None
    name: str = ""


class TypePlan(msgspec.Struct, kw_only=True):
    key: str
    steps: list[Step] = []
    problems: list[str] = []
    notes: list[str] = []
    recheck: bool = False
    """The new version is compatible only if the planned config makes it so: check it again
    once that config is set, before registering it."""

    @property
    def version_body(self) -> dict[str, Any] | None:
        return next((s.body for s in self.steps if s.kind == "version"), None)


# -- reading the registry ------------------------------------------------------------------


def fetch_remote(registry: RegistryClient, key: str) -> Remote:
    base = path("event-types", key)
    response = registry.request("GET", base, params={"includeDeleted": "true"})
    if response.status_code == 404:
        return Remote(event_type=None)
    if response.status_code != 200:
        raise unexpected("GET", base, response)
    if response.json().get("deleted"):
        return Remote(event_type=response.json())
    return Remote(
        event_type=response.json(),
        config=registry.json("GET", base + "/config")["own"],
        versions=registry.json("GET", base + "/versions")["versions"],
        examples=registry.json("GET", base + "/examples")["examples"],
    )


def list_keys(registry: RegistryClient, *, prefix: str = "", tag: str | None = None) -> list[str]:
    """Keys of every live event type, following the list's cursor."""
    keys: list[str] = []
    params: dict[str, Any] = {"limit": 500, "prefix": prefix}
    if tag is not None:
        params["tag"] = tag
    while True:
        page = registry.json("GET", "/event-types", params=params)
        keys += [item["key"] for item in page["items"]]
        if page["nextCursor"] is None:
            return keys
        params["cursor"] = page["nextCursor"]


# -- planning (pure) -------------------------------------------------------------------------


def plan_entry(entry: PlanEntry, remote: Remote) -> TypePlan:
    plan = TypePlan(key=entry.key)
    if remote.event_type is None:
        plan.steps.append(Step(kind="create", detail="create event type", body=_metadata(entry)))
    elif remote.event_type.get("deleted"):
        plan.problems.append("soft-deleted in the registry; restore it first (POST .../restore)")
        return plan
    else:
        _plan_metadata(entry, remote.event_type, plan)
    config = msgspec.to_builtins(entry.config)
    if config != remote.config:
        plan.steps.append(Step(kind="config", detail=f"set config {_compact(config)}", body=config))
    _plan_version(entry, remote.versions, plan)
    _plan_examples(entry.examples, remote.examples, plan)
    return plan


def _metadata(entry: PlanEntry) -> dict[str, Any]:
    return {
        "key": entry.key,
        "description": entry.description,
        "owner": entry.owner,
        "tags": list(dict.fromkeys(entry.tags)),
    }


def _plan_metadata(entry: PlanEntry, remote: dict[str, Any], plan: TypePlan) -> None:
    wanted = _metadata(entry)
    changed = {name: wanted[name] for name in _META if wanted[name] != remote.get(name)}
    if changed:
        plan.steps.append(
            Step(kind="metadata", detail=f"update {', '.join(changed)}", body=changed)
        )


PLAN_LIMITS = schema_limits(Settings())
"""The server's default schema limits: a plan checked here would be refused there."""


def _document(entry: PlanEntry) -> Any:
    if entry.params is not None:
        return compile_param_list(entry.params)
    return entry.schema


def _plan_version(entry: PlanEntry, versions: list[dict[str, Any]], plan: TypePlan) -> None:
    body = entry.body()
    if body is None:
        return
    try:
        document = _document(entry)
        check_schema(document, limits=PLAN_LIMITS)
    except RegistryError as exc:
        plan.problems.append(f"{exc.code}: {exc}")
        return
    fingerprint = canonical.fingerprint(document)
    active = [v for v in versions if is_usable(v.get("state"))]
    if active and active[-1]["fingerprint"] == fingerprint:
        return
    same = next((v for v in versions if v["fingerprint"] == fingerprint), None)
    if same is not None:
        latest = active[-1]["version"] if active else None
        plan.problems.append(
            f"the schema is identical to version {same['version']} ({same.get('state')}); the "
            f"registry would answer with it and latest stays v{latest} -- change the schema or "
            "adjust the version lifecycle"
        )
        return
    plan.steps.append(Step(kind="version", detail=f"new version ({fingerprint[:19]}…)", body=body))


def _example_body(example: PlanExample) -> dict[str, Any]:
    return {
        "payload": example.payload,
        "expectValid": example.expectValid,
        "description": example.description,
    }


def _plan_examples(local: list[PlanExample], remote: list[dict[str, Any]], plan: TypePlan) -> None:
    theirs = {e["name"]: e for e in remote}
    for example in local:
        body = _example_body(example)
        current = theirs.get(example.name)
        if current is None or {k: current.get(k) for k in body} != body:
            verb = "add" if current is None else "update"
            plan.steps.append(
                Step(
                    kind="put-example",
                    detail=f"{verb} example {example.name!r}",
                    body=body,
                    name=example.name,
                )
            )
    for name in sorted(set(theirs) - {e.name for e in local}):
        plan.steps.append(Step(kind="delete-example", detail=f"remove example {name!r}", name=name))


def _compact(value: Any) -> str:
    return msgspec.json.encode(value).decode()


# -- applying ------------------------------------------------------------------------------

_ROUTES: dict[StepKind, tuple[str, str, tuple[int, ...]]] = {
    "create": ("POST", "", (201,)),
    "metadata": ("PATCH", "", (200,)),
    "config": ("PUT", "/config", (200,)),
    "version": ("POST", "/versions", (200, 201)),
    "put-example": ("PUT", "/examples", (200, 201)),
    "delete-example": ("DELETE", "/examples", (200, 204)),
    "delete-type": ("DELETE", "", (200, 204)),
    "purge-type": ("DELETE", "?permanent=true", (200, 204)),
}


def apply_step(registry: RegistryClient, key: str, step: Step) -> tuple[bool, list[str]]:
    """Send one step; ``(ok, lines)`` where lines explain a refusal or the registry's notes."""
    method, suffix, ok = _ROUTES[step.kind]
    url = "/event-types" if step.kind == "create" else path("event-types", key) + suffix
    if step.name:
        url += path(step.name)
    response = registry.request(method, url, json=step.body)
    if response.status_code in ok:
        return True, _registration_notes(response) if step.kind == "version" else []
    if response.status_code in (409, 422):
        return False, problem_lines(problem_of(response))
    raise unexpected(method, url, response)


def problem_lines(problem: dict[str, Any]) -> list[str]:
    lines = [f"{problem.get('code')}: {problem.get('detail', '')}"]
    lines += [finding_line(f) for f in problem.get("findings", [])]
    lines += [f"{e.get('pointer', '')}: {e.get('message', '')}" for e in problem.get("errors", [])]
    return lines


def finding_line(finding: dict[str, Any]) -> str:
    version = f" (v{finding['version']})" if finding.get("version") is not None else ""
    return (
        f"{finding.get('code')}  {finding.get('path') or '(root)'}  "
        f"[{finding.get('direction')}]{version} {finding.get('message')}"
    )


def _registration_notes(response: Any) -> list[str]:
    body = response.json()
    notes = [f"registered as version {body.get('version')}"]
    for verdict in body.get("examples", []):
        if not verdict.get("asExpected", True):
            notes.append(
                f"example {verdict['name']!r} expected "
                f"{'valid' if verdict['expectValid'] else 'invalid'}, is now "
                f"{'valid' if verdict['after'] else 'invalid'}"
            )
    return notes
