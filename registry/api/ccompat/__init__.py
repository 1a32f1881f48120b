"""A Confluent Schema Registry compatible subset under ``/ccompat/v7`` (schemaType JSON).

Everything goes through :class:`RegistryService` (the one door): a schema registered here is
the native API's version, checked by the same compatibility checker and audited the same way.
Errors are Confluent's ``{"error_code", "message"}`` bodies (``errors.py``), answered as
``application/vnd.schemaregistry.v1+json``. The mapping of Confluent's semantics onto ours is
the README's "Confluent-compatible API" section.
"""

from __future__ import annotations

from typing import Any

from litestar import Router

from registry.api.ccompat.config import (
    CompatibilityTestController,
    ConfigController,
    ModeController,
)
from registry.api.ccompat.errors import EXCEPTION_HANDLERS
from registry.api.ccompat.schemas import MetadataController, SchemaIdController, not_served
from registry.api.ccompat.subjects import SubjectController, SubjectVersionController

PREFIX = "/ccompat/v7"
CONTROLLERS: list[Any] = [
    SubjectController,
    SubjectVersionController,
    SchemaIdController,
    MetadataController,
    ConfigController,
    ModeController,
    CompatibilityTestController,
    not_served,
]


def ccompat_router() -> Router:
    return Router(path=PREFIX, route_handlers=CONTROLLERS, exception_handlers=EXCEPTION_HANDLERS)
