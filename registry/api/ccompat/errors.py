"""Confluent's error bodies ``{"error_code": n, "message": "..."}`` for the /ccompat/v7 routes.

One table maps each core error to Confluent's HTTP status and error code (the native API's
problem+json table is ``api/problems.py``); :class:`ConfluentError` carries the few problems only
the Confluent semantics have (a subject-level setting that is not configured, an unsupported
schema type or mode, a version that was not soft-deleted first).
"""

from __future__ import annotations

import logging
from typing import Any, Final

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, SerializationException, ValidationException

from registry.api.problems import challenge
from registry.core import errors

MEDIA_TYPE: Final = "application/vnd.schemaregistry.v1+json"
log = logging.getLogger("registry")


class ConfluentError(Exception):
    """A Confluent-only problem, with its HTTP status and Confluent error code."""

    def __init__(self, status: int, error_code: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.error_code = error_code


SUBJECT_NOT_FOUND = 40401
VERSION_NOT_FOUND = 40402
SCHEMA_NOT_FOUND = 40403
SUBJECT_SOFT_DELETED = 40404
SUBJECT_NOT_SOFT_DELETED = 40405
VERSION_SOFT_DELETED = 40406
VERSION_NOT_SOFT_DELETED = 40407
SUBJECT_COMPATIBILITY_NOT_CONFIGURED = 40408
SUBJECT_MODE_NOT_CONFIGURED = 40409
INCOMPATIBLE_SCHEMA = 409
INVALID_SCHEMA = 42201
INVALID_VERSION = 42202
INVALID_COMPATIBILITY_LEVEL = 42203
INVALID_MODE = 42204
OPERATION_NOT_PERMITTED = 42205
REFERENCE_EXISTS = 42206
STORE_TIMEOUT = 50002
UNAUTHORIZED = 401
FORBIDDEN = 40301

CONFLUENT: dict[type[errors.RegistryError], tuple[int, int]] = {
    errors.MalformedJson: (400, 400),
    errors.InvalidRequest: (422, 422),
    errors.InvalidEventTypeKey: (422, 422),
    errors.PayloadTooLarge: (413, 413),
    errors.EventTypeNotFound: (404, SUBJECT_NOT_FOUND),
    errors.EventTypeDeleted: (404, SUBJECT_SOFT_DELETED),
    errors.EventTypeNotDeleted: (404, SUBJECT_NOT_SOFT_DELETED),
    errors.VersionNotFound: (404, VERSION_NOT_FOUND),
    errors.SchemaNotFound: (404, SCHEMA_NOT_FOUND),
    errors.SchemaInvalid: (422, INVALID_SCHEMA),
    errors.SchemaIncompatible: (409, INCOMPATIBLE_SCHEMA),
    errors.VersionStateConflict: (422, OPERATION_NOT_PERMITTED),
    errors.VersionReferenced: (422, REFERENCE_EXISTS),
    errors.AuthenticationRequired: (401, UNAUTHORIZED),
    errors.InsufficientScope: (403, FORBIDDEN),
    errors.HostNotAllowed: (400, 400),
    errors.ConcurrentRegistration: (503, STORE_TIMEOUT),
    errors.StoreBusy: (503, STORE_TIMEOUT),
}
"""Core error -> (HTTP status, Confluent error_code); looked up along the MRO."""


def body(
    status: int, error_code: int, message: str, headers: dict[str, str] | None = None
) -> Response[Any]:
    return Response(
        {"error_code": error_code, "message": message},
        status_code=status,
        media_type=MEDIA_TYPE,
        headers=headers,
    )


def status_of(exc: errors.RegistryError) -> tuple[int, int]:
    for cls in type(exc).__mro__:
        if cls in CONFLUENT:
            return CONFLUENT[cls]
    return 422, 422


def message_of(exc: errors.RegistryError) -> str:
    """Confluent's wording for its not-found errors (some tools match it), ours otherwise."""
    if isinstance(exc, errors.EventTypeNotFound):
        return f"Subject '{exc.key}' not found."
    if isinstance(exc, errors.VersionNotFound):
        return f"Version {exc.version} not found."
    if isinstance(exc, errors.SchemaNotFound):
        return f"Schema {exc.schema_id} not found"
    if isinstance(exc, errors.EventTypeDeleted):
        return f"Subject '{exc.key}' was soft deleted. Set permanent=true to delete permanently"
    if isinstance(exc, errors.EventTypeNotDeleted):
        return f"Subject '{exc.key}' was not deleted first before being permanently deleted"
    return str(exc)


def from_registry_error(_: Request[Any, Any, Any], exc: errors.RegistryError) -> Response[Any]:
    status, code = status_of(exc)
    return body(status, code, message_of(exc), challenge(exc))


def from_confluent_error(_: Request[Any, Any, Any], exc: ConfluentError) -> Response[Any]:
    return body(exc.status, exc.error_code, str(exc))


def from_http_exception(_: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    if isinstance(exc, ValidationException):
        return body(422, 422, _validation_message(exc))
    if isinstance(exc.__cause__, SerializationException):
        return body(400, 400, f"malformed JSON: {exc.detail}")
    if exc.status_code >= 500:
        return internal_error(_, exc)
    response = body(exc.status_code, exc.status_code, str(exc.detail))
    response.headers.update(exc.headers or {})
    return response


def _validation_message(exc: ValidationException) -> str:
    if isinstance(exc.extra, list) and exc.extra:
        return "; ".join(f"{e.get('key', '')}: {e.get('message', '')}" for e in exc.extra)
    return str(exc.detail)


def internal_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return body(500, 50001, "the server failed to handle this request; it has been logged")


def too_deep(_: Request[Any, Any, Any], __: RecursionError) -> Response[Any]:
    return body(400, 400, "the body's values are nested too deeply")


EXCEPTION_HANDLERS: dict[int | type[Exception], Any] = {
    errors.RegistryError: from_registry_error,
    ConfluentError: from_confluent_error,
    HTTPException: from_http_exception,
    RecursionError: too_deep,
    msgspec.ValidationError: lambda r, e: body(422, 422, str(e)),
    Exception: internal_error,
}
