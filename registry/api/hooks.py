"""Request hooks run before every handler: OPTIONS answers, JSON-only bodies, strict JSON types."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, SerializationException
from litestar.routes import HTTPRoute
from litestar.status_codes import HTTP_204_NO_CONTENT

from registry.core.errors import InvalidRequest, MalformedJson

JSON_TYPES = ("application/json", "application/x-ndjson")
BODY_METHODS = ("POST", "PUT", "PATCH")


def allowed_methods(request: Request[Any, Any, Any]) -> list[str]:
    """Every method the matched path answers (litestar's own OPTIONS handler keeps only the
    methods of the first controller that registered the path, e.g. GET but not PUT /config)."""
    paths = request.route_handler.paths  # relative to a Router's prefix (/ccompat/v7)
    template = request.scope.get("path_template")
    methods = {"OPTIONS"}
    for route in request.app.routes:
        if isinstance(route, HTTPRoute) and (route.path in paths or route.path_format == template):
            methods |= set(route.methods)
    return with_head(methods)


def with_head(methods: set[str]) -> list[str]:
    """Sorted, with HEAD wherever GET is (api/head.py answers HEAD on every GET route)."""
    return sorted(methods | {"HEAD"} if "GET" in methods else methods)


def require_json(request: Request[Any, Any, Any], body: bytes) -> None:
    """415 for a body that is not declared as JSON (curl -d sends form encoding by default).

    A POST must declare JSON even without a body: a page on another origin can make a browser
    send a *simple* request (a form post, or a bodiless POST, without custom headers) with no
    CORS preflight, and no form can send ``Content-Type: application/json``. PUT and PATCH are
    preflighted by browsers anyway, so they may stay bodiless without the header.
    """
    media_type = request.content_type[0]
    if media_type in JSON_TYPES or media_type.endswith("+json"):
        return
    if request.method != "POST" and not (media_type or body):
        return
    raise HTTPException(
        status_code=415,
        detail=f"send JSON with 'Content-Type: application/json' (got {media_type or 'none'!r})"
        + ("; a POST without a body needs that header too" if not body else ""),
    )


async def strict_json_types(request: Request[Any, Any, Any]) -> None:
    """A typed body member must hold its JSON type: ``"expectValid": 0`` or
    ``"bodySize": "false"`` is invalid_request, not a silent ``false`` (litestar converts bodies
    leniently). Bodies the handler decodes itself (no ``data`` parameter) are not touched."""
    field = request.route_handler.parsed_fn_signature.parameters.get("data")
    if field is None:
        return
    try:
        raw = await request.json()
    except SerializationException:
        return  # the handler's own decoding answers malformed_json
    try:
        msgspec.convert(raw, field.annotation, strict=True)
    except msgspec.ValidationError as exc:
        raise InvalidRequest(f"request body: {exc}") from None


def _takes_body(request: Request[Any, Any, Any]) -> bool:
    """Whether the handler declares a required ``data`` parameter (litestar decodes the body):
    an empty body there is malformed JSON (400), not a body of the wrong shape (422)."""
    data = request.route_handler.parsed_fn_signature.parameters.get("data")
    return data is not None and not data.has_default


async def before_request(request: Request[Any, Any, Any]) -> Response[None] | None:
    if request.method == "OPTIONS":
        return Response(
            content=None,
            status_code=HTTP_204_NO_CONTENT,
            headers={"Allow": ", ".join(allowed_methods(request))},
        )
    if request.method in BODY_METHODS:
        body = await request.body()
        if not body and _takes_body(request):
            raise MalformedJson("the body is empty")
        require_json(request, body)
        await strict_json_types(request)
    return None
