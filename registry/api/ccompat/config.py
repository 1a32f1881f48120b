"""Compatibility configuration, modes and compatibility tests (Confluent's paths)."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Response, delete, get, post, put
from litestar.params import FromPath, JSONBody, QueryParameter

from registry.api.ccompat.errors import (
    INVALID_COMPATIBILITY_LEVEL,
    INVALID_MODE,
    SUBJECT_COMPATIBILITY_NOT_CONFIGURED,
    SUBJECT_MODE_NOT_CONFIGURED,
    ConfluentError,
)
from registry.api.ccompat.subjects import OPTS, Flag, answer, latest_number
from registry.api.ccompat.wire import (
    ConfigIn,
    ModeIn,
    SchemaIn,
    core_references,
    flag,
    parse_schema,
    parse_version,
)
from registry.api.deps import Service, WhoActs
from registry.core.compatibility import Level
from registry.core.config import TypeConfig
from registry.core.errors import EventTypeNotFound
from registry.core.evolution import DryRun
from registry.core.service import RegistryService

MODES = ("READWRITE",)
"""READONLY and IMPORT are not supported (README: mode)."""
DefaultToGlobal = Annotated[str | None, QueryParameter(name="defaultToGlobal", required=False)]


def _level(data: ConfigIn) -> Level:
    unsupported = [
        name
        for name in (
            "alias",
            "compatibilityGroup",
            "defaultMetadata",
            "overrideMetadata",
            "defaultRuleSet",
            "overrideRuleSet",
        )
        if getattr(data, name) is not None
    ]
    if unsupported:
        raise ConfluentError(422, 422, f"not supported by this registry: {', '.join(unsupported)}")
    raw = data.compatibility or data.compatibilityLevel or ""
    try:
        return Level(raw.upper())
    except ValueError:
        raise ConfluentError(
            422,
            INVALID_COMPATIBILITY_LEVEL,
            f"Invalid compatibility level {raw[:40]!r}. Valid values are none, backward, forward, "
            "full, backward_transitive, forward_transitive, and full_transitive",
        ) from None


def _own(service: RegistryService, subject: str) -> TypeConfig:
    return service.config_view(key=subject)[0]


class ConfigController(Controller):
    path = "/config"
    tags = ["ccompat"]

    @get("/", operation_id="ccompatGetGlobalConfig", **OPTS)
    def get_global(self, service: Service) -> Response[Any]:
        return answer({"compatibilityLevel": service.config_view()[1].compatibility.value})

    @put("/", operation_id="ccompatSetGlobalConfig", **OPTS)
    def put_global(self, data: JSONBody[ConfigIn], service: Service, who: WhoActs) -> Response[Any]:
        level = _level(data)
        config = msgspec.structs.replace(service.global_config(), compatibility=level)
        service.set_global_config(config=config, actor=who)
        return answer({"compatibility": level.value})

    @delete("/", operation_id="ccompatDeleteGlobalConfig", status_code=200, **OPTS)
    def delete_global(self, service: Service, who: WhoActs) -> Response[Any]:
        before = service.config_view()[1].compatibility.value
        config = msgspec.structs.replace(service.global_config(), compatibility=None)
        service.set_global_config(config=config, actor=who)
        return answer({"compatibilityLevel": before})

    @get("/{subject:str}", operation_id="ccompatGetSubjectConfig", **OPTS)
    def get_subject(
        self, subject: FromPath[str], service: Service, default_to_global: DefaultToGlobal = None
    ) -> Response[Any]:
        own, effective = service.config_view(key=subject)
        if own.compatibility is None and not flag(default_to_global):
            raise ConfluentError(
                404,
                SUBJECT_COMPATIBILITY_NOT_CONFIGURED,
                f"Subject '{subject}' does not have subject-level compatibility configured",
            )
        return answer({"compatibilityLevel": effective.compatibility.value})

    @put("/{subject:str}", operation_id="ccompatSetSubjectConfig", **OPTS)
    def put_subject(
        self, subject: FromPath[str], data: JSONBody[ConfigIn], service: Service, who: WhoActs
    ) -> Response[Any]:
        level = _level(data)
        try:
            own = _own(service, subject)
        except EventTypeNotFound:  # Confluent configures subjects before their first schema
            service.create_event_type(key=subject, actor=who)
            own = TypeConfig()
        config = msgspec.structs.replace(own, compatibility=level)
        service.set_type_config(key=subject, config=config, actor=who)
        return answer({"compatibility": level.value})

    @delete("/{subject:str}", operation_id="ccompatDeleteSubjectConfig", status_code=200, **OPTS)
    def delete_subject(
        self, subject: FromPath[str], service: Service, who: WhoActs
    ) -> Response[Any]:
        own = _own(service, subject)
        if own.compatibility is None:
            raise ConfluentError(
                404,
                SUBJECT_COMPATIBILITY_NOT_CONFIGURED,
                f"Subject '{subject}' does not have subject-level compatibility configured",
            )
        config = msgspec.structs.replace(own, compatibility=None)
        service.set_type_config(key=subject, config=config, actor=who)
        return answer({"compatibilityLevel": own.compatibility.value})


def _mode(data: ModeIn) -> str:
    if data.mode.upper() not in MODES:
        raise ConfluentError(
            422,
            INVALID_MODE,
            f"Invalid mode {data.mode[:40]!r}: only READWRITE is supported (IMPORT would need "
            "explicit ids and versions; ours are assigned in sequence)",
        )
    return data.mode.upper()


class ModeController(Controller):
    path = "/mode"
    tags = ["ccompat"]

    @get("/", operation_id="ccompatGetGlobalMode", **OPTS)
    def get_global(self) -> Response[Any]:
        return answer({"mode": "READWRITE"})

    @put("/", operation_id="ccompatSetGlobalMode", **OPTS)
    def put_global(self, data: JSONBody[ModeIn], force: Flag = None) -> Response[Any]:
        del force
        return answer({"mode": _mode(data)})

    @get("/{subject:str}", operation_id="ccompatGetSubjectMode", **OPTS)
    def get_subject(
        self, subject: FromPath[str], service: Service, default_to_global: DefaultToGlobal = None
    ) -> Response[Any]:
        service.get_event_type(key=subject)
        if not flag(default_to_global):
            raise ConfluentError(
                404,
                SUBJECT_MODE_NOT_CONFIGURED,
                f"Subject '{subject}' does not have subject-level mode configured",
            )
        return answer({"mode": "READWRITE"})

    @put("/{subject:str}", operation_id="ccompatSetSubjectMode", **OPTS)
    def put_subject(
        self, subject: FromPath[str], data: JSONBody[ModeIn], service: Service, force: Flag = None
    ) -> Response[Any]:
        del force
        mode = _mode(data)
        service.get_event_type(key=subject)
        return answer({"mode": mode})


def _messages(result: DryRun) -> list[str]:
    lines = [
        f"Found incompatible change: Difference{{jsonPath='#{f.path}', type={f.code.upper()}}}: "
        f"{f.message} ({f.direction})"
        for f in result.findings
    ]
    if lines and result.conflicts_with is not None:
        lines.append(f"{{oldSchemaVersion: {result.conflicts_with}}}")
    if lines:
        lines.append(f"{{compatibility: '{result.level}'}}")
    return lines


def _verdict(result: DryRun, verbose: bool) -> Response[Any]:
    out: dict[str, Any] = {"is_compatible": result.compatible}
    if verbose:
        out["messages"] = _messages(result)
    return answer(out)


class CompatibilityTestController(Controller):
    path = "/compatibility/subjects/{subject:str}/versions"
    tags = ["ccompat"]

    @post("/", operation_id="ccompatTestCompatibility", status_code=200, **OPTS)
    def against_level(
        self,
        subject: FromPath[str],
        data: JSONBody[SchemaIn],
        service: Service,
        verbose: Flag = None,
        normalize: Flag = None,
    ) -> Response[Any]:
        del normalize
        result = service.dry_run(
            key=subject,
            schema=parse_schema(data),
            references=core_references(data, latest_number(service)),
        )
        return _verdict(result, flag(verbose))

    @post(
        "/{version:str}",
        operation_id="ccompatTestCompatibilityWithVersion",
        status_code=200,
        **OPTS,
    )
    def against_version(
        self,
        subject: FromPath[str],
        version: FromPath[str],
        data: JSONBody[SchemaIn],
        service: Service,
        verbose: Flag = None,
        normalize: Flag = None,
    ) -> Response[Any]:
        del normalize
        number = parse_version(version)
        result = service.dry_run(
            key=subject,
            schema=parse_schema(data),
            version="latest" if number is None else number,
            references=core_references(data, latest_number(service)),
        )
        return _verdict(result, flag(verbose))
