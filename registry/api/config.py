"""Configuration: global defaults and per-event-type overrides (compatibility and validation)."""

from __future__ import annotations

from litestar import Controller, delete, get, put
from litestar.params import FromPath, JSONBody

from registry.api.deps import Service
from registry.api.wire import (
    READ_ERRORS,
    WRITE_ERRORS,
    ConfigOut,
    GlobalConfigOut,
    problem_responses,
)
from registry.core.config import TypeConfig


class GlobalConfigController(Controller):
    path = "/config"
    tags = ["configuration"]

    @get(
        "/",
        operation_id="getGlobalConfig",
        sync_to_thread=True,
        summary="Registry-wide settings as set, and in effect after the built-in defaults",
        responses=problem_responses(READ_ERRORS),
    )
    def get_global(self, service: Service) -> GlobalConfigOut:
        return _global_out(service)

    @put(
        "/",
        operation_id="setGlobalConfig",
        sync_to_thread=True,
        summary="Replace the registry-wide settings (members left out use the built-in defaults)",
        responses=problem_responses(WRITE_ERRORS),
    )
    def put_global(self, data: JSONBody[TypeConfig], service: Service) -> GlobalConfigOut:
        service.set_global_config(config=data)
        return _global_out(service)


class TypeConfigController(Controller):
    path = "/event-types/{key:str}/config"
    tags = ["configuration"]

    @get(
        "/",
        operation_id="getEventTypeConfig",
        sync_to_thread=True,
        summary="The type's own settings and the effective ones after inheritance",
        responses=problem_responses(READ_ERRORS),
    )
    def get_config(self, key: FromPath[str], service: Service) -> ConfigOut:
        return _out(service, key)

    @put(
        "/",
        operation_id="setEventTypeConfig",
        sync_to_thread=True,
        summary="Replace the type's own settings (members left out are inherited)",
        responses=problem_responses(WRITE_ERRORS),
    )
    def put_config(
        self, key: FromPath[str], data: JSONBody[TypeConfig], service: Service
    ) -> ConfigOut:
        service.set_type_config(key=key, config=data)
        return _out(service, key)

    @delete(
        "/",
        operation_id="deleteEventTypeConfig",
        sync_to_thread=True,
        status_code=200,
        summary="Drop the type's own settings; the global ones apply again",
        responses=problem_responses(WRITE_ERRORS),
    )
    def delete_config(self, key: FromPath[str], service: Service) -> ConfigOut:
        service.set_type_config(key=key, config=None)
        return _out(service, key)


def _global_out(service: Service) -> GlobalConfigOut:
    own, effective = service.config_view()
    return GlobalConfigOut(own=own, effective=effective)


def _out(service: Service, key: str) -> ConfigOut:
    own, effective = service.config_view(key=key)
    return ConfigOut(event_type_key=key, own=own, effective=effective)
