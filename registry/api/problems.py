"""The one table from errors to HTTP, and the problem+json body (RFC 9457) every error shares."""

from __future__ import annotations

import logging
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, SerializationException, ValidationException
from litestar.plugins.problem_details import (
    ProblemDetailsConfig,
    ProblemDetailsException,
    ProblemDetailsPlugin,
)
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from registry.api.hooks import with_head
from registry.core import errors

DOCS_BASE = "https://github.com/event-registry/event-registry/blob/main/README.md#error-"
log = logging.getLogger("registry")

PROBLEMS: dict[type[errors.RegistryError], tuple[int, str]] = {
    errors.InvalidRequest: (422, "Request body has the wrong shape"),
    errors.MalformedJson: (400, "Malformed JSON"),
    errors.PayloadTooLarge: (413, "Payload too large"),
    errors.EventTypeNotFound: (404, "Event type not found"),
    errors.EventTypeExists: (409, "Event type already exists"),
    errors.EventTypeNotDeleted: (409, "Event type is not soft-deleted"),
    errors.EventTypeDeleted: (409, "Event type is deleted"),
    errors.InvalidEventTypeKey: (422, "Invalid event type key"),
    errors.VersionNotFound: (404, "Version not found"),
    errors.SchemaNotFound: (404, "Schema not found"),
    errors.ExampleNotFound: (404, "Example not found"),
    errors.NotEmulated: (404, "Yespo API not emulated"),
    errors.VersionStateConflict: (409, "Version state change refused"),
    errors.CatalogInvalid: (422, "Catalog file is invalid"),
    errors.SchemaInvalid: (422, "Schema is invalid"),
    errors.SchemaRemoteRef: (422, "Schema references a remote document"),
    errors.SchemaTooComplex: (422, "Schema is too complex"),
    errors.ReferenceInvalid: (422, "Schema reference is invalid"),
    errors.ReferenceCycle: (422, "Schema references form a cycle"),
    errors.ReferenceTooDeep: (422, "Schema references nest too deeply"),
    errors.VersionReferenced: (409, "Version is referenced"),
    errors.SchemaIncompatible: (409, "Schema is incompatible"),
    errors.LintFailed: (422, "A blocking lint rule refused the schema"),
    errors.ConcurrentRegistration: (409, "Concurrent registration"),
    errors.StoreBusy: (503, "Store busy"),
    errors.StoreUnavailable: (503, "Store unavailable"),
    errors.StoreNotReady: (503, "Not ready"),
    errors.DumpInvalid: (422, "Dump file is invalid"),
    errors.StoreNotEmpty: (409, "Database is not empty"),
    errors.AuthenticationRequired: (401, "Authentication required"),
    errors.InvalidToken: (401, "Invalid token"),
    errors.TokenExpired: (401, "Token expired"),
    errors.InsufficientScope: (403, "Insufficient scope"),
    errors.TokenNotFound: (404, "Token not found"),
    errors.HostNotAllowed: (400, "Host not allowed"),
}
"""Most specific class first is not needed: lookup walks the exception's MRO."""

HTTP_TITLES = {
    400: "Bad request",
    404: "Not found",
    405: "Method not allowed",
    413: "Request body too large",
    415: "Unsupported media type",
}
HTTP_CODES: dict[int, tuple[str, str]] = {
    status: (code, HTTP_TITLES[status]) for status, code in errors.FRAMEWORK_CODES.items()
}
"""The framework's own problems: status -> (code, title); codes from ``core.errors``."""


def problem(
    *,
    status: int,
    code: str,
    title: str,
    detail: str,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> ProblemDetailsException:
    return ProblemDetailsException(
        status_code=status,
        headers=headers,
        type_=DOCS_BASE + code.replace("_", "-"),
        title=title,
        detail=detail,
        extra={"code": code, **extra},
    )


def status_of(exc: errors.RegistryError) -> tuple[int, str]:
    for cls in type(exc).__mro__:
        if cls in PROBLEMS:
            return PROBLEMS[cls]
    return 400, "Bad request"


REALM = 'Bearer realm="event-registry"'


def challenge(exc: errors.RegistryError) -> dict[str, str] | None:
    """``WWW-Authenticate`` for 401/403 (RFC 6750 error codes); never the token itself."""
    if isinstance(exc, errors.InsufficientScope):
        return {"WWW-Authenticate": f'{REALM}, error="insufficient_scope", scope="{exc.needed}"'}
    if isinstance(exc, errors.InvalidToken | errors.TokenExpired):
        return {"WWW-Authenticate": f'{REALM}, error="invalid_token"'}
    if isinstance(exc, errors.AuthenticationRequired):
        return {"WWW-Authenticate": REALM}
    return None


def from_registry_error(exc: errors.RegistryError) -> ProblemDetailsException:
    status, title = status_of(exc)
    return problem(
        status=status,
        code=exc.code,
        title=title,
        detail=str(exc),
        headers=challenge(exc),
        **exc.extensions(),
    )


def from_http_exception(exc: HTTPException) -> ProblemDetailsException:
    if isinstance(exc, ProblemDetailsException):
        return exc
    if isinstance(exc, ValidationException):
        return _from_validation(exc)
    if isinstance(exc.__cause__, SerializationException):
        return problem(
            status=400, code="malformed_json", title="Malformed JSON", detail=str(exc.detail)
        )
    code, title = HTTP_CODES.get(exc.status_code, ("http_error", "HTTP error"))
    if exc.status_code >= 500:
        code, title = "internal_error", "Internal server error"
    converted = problem(status=exc.status_code, code=code, title=title, detail=str(exc.detail))
    converted.headers = dict(exc.headers or {})
    if "allow" in converted.headers:  # 405: the same sorted list OPTIONS answers
        methods = {m.strip() for m in converted.headers.pop("allow").split(",")}
        converted.headers["Allow"] = ", ".join(with_head(methods | {"OPTIONS"}))
    return converted


def _from_validation(exc: ValidationException) -> ProblemDetailsException:
    """Litestar's validation of decoded JSON: well-formed JSON of the wrong shape is 422.

    Malformed JSON never gets here: litestar raises it as a ``ClientException`` caused by a
    ``SerializationException`` (``from_http_exception``), and an empty body is refused before
    decoding (``app.require_json``).
    """
    extra: dict[str, Any] = {}
    if isinstance(exc.extra, list) and exc.extra:
        extra["errors"] = exc.extra
    return problem(
        status=422,
        code="invalid_request",
        title="Request has the wrong shape",
        detail=str(exc.detail),
        **extra,
    )


def too_deep(request: Request[Any, Any, Any], exc: RecursionError) -> Response[Any]:
    """A body nested beyond the decoder's recursion limit is bad input, not a server fault."""
    return problem(
        status=400,
        code="malformed_json",
        title="Malformed JSON",
        detail="the body's values are nested too deeply",
    ).to_response(request)


def internal_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(
        status=HTTP_500_INTERNAL_SERVER_ERROR,
        code="internal_error",
        title="Internal server error",
        detail="the server failed to handle this request; it has been logged",
    ).to_response(request)


def problem_details_plugin() -> ProblemDetailsPlugin:
    return ProblemDetailsPlugin(
        ProblemDetailsConfig(
            exception_to_problem_detail_map={
                errors.RegistryError: from_registry_error,
                HTTPException: from_http_exception,
            },
        )
    )
