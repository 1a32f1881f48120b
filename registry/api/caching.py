"""Conditional GETs for SDKs: a strong ``ETag`` over the exact response bytes, ``Cache-Control``
by resource, and ``304 Not Modified`` for a matching ``If-None-Match``.

Implemented once, as a tiny ASGI middleware attached to the GET handlers that opt in through
:func:`conditional`; handlers stay unaware of it. The middleware buffers the handler's response
(these are small JSON documents), hashes the bytes that would go on the wire, and either sends
them with the two headers or answers 304 with the headers and no body. Only 200 responses are
touched; problem responses pass through unchanged.

Cache-Control policies:

* ``IMMUTABLE`` (``public, max-age=31536000, immutable``) -- content that can never change under
  that URL: ``/schemas/{id}`` and a *numbered* version's bare schema.
* ``REVALIDATE`` (``no-cache``) -- everything else: ``latest``, lists, event types, the bundle,
  and a numbered version's full resource (it carries the mutable lifecycle ``state``). Clients
  may store it but must revalidate; with the ETag that costs one 304.

``Last-Modified`` is the time the representation last changed, kept by the app's
:class:`~registry.core.ports.RepresentationClock` (in the database when the store is SQLite):
the first time a URL is served with new content, that time is recorded, and it never moves
backwards. ``latest`` thereby changes on a new version, on disable, delete and restore alike.
``If-Modified-Since`` answers 304 when ``If-None-Match`` is absent (RFC 9110 13.2.2).

Compression: a body of at least :data:`GZIP_MIN_BYTES` is sent gzip-encoded when the request's
``Accept-Encoding`` allows it, with its own strong ETag (the hash of the gzip bytes, written
with a zero timestamp so they are stable) and ``Vary: Accept-Encoding`` on every response.
"""

from __future__ import annotations

import base64
import datetime as dt
import email.utils
import gzip
import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import anyio.to_thread
from litestar.openapi.spec import OpenAPIHeader, OpenAPIResponse, OpenAPIType, Operation
from litestar.openapi.spec import Parameter as OpenAPIParameter
from litestar.openapi.spec import Schema as OpenAPISchema
from litestar.types import ASGIApp, Receive, Scope, Send

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
CachePolicy = str | Callable[[Scope], str]
"""A Cache-Control value, or a function of the request scope (e.g. its path params) giving one."""

Message = dict[str, Any]
"""ASGI messages as plain dicts: the middleware copies and rewrites them."""

_TAG = re.compile(r'\s*(?:W/)?("[^"]*"|\*)\s*(?:,|$)')
GZIP_MIN_BYTES = 256
"""Smaller bodies are sent as they are: gzip would not make them smaller."""


def etag_of(body: bytes) -> str:
    """A strong entity tag: the quoted, unpadded base64url SHA-256 of the exact bytes."""
    digest = hashlib.sha256(body).digest()
    return '"' + base64.urlsafe_b64encode(digest).decode().rstrip("=") + '"'


def none_match(header: str | None, etag: str) -> bool:
    """True when ``If-None-Match`` names ``etag`` or is ``*`` (weak comparison, RFC 9110 13.1.2)."""
    if not header:
        return False
    tags = {m.group(1) for m in _TAG.finditer(header)}
    return "*" in tags or etag in tags


def by_version_ref(scope: Scope) -> str:
    """``latest`` moves; a numbered version's schema never changes."""
    version = scope.get("path_params", {}).get("version")
    return REVALIDATE if version == "latest" else IMMUTABLE


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None


def _headers_without(headers: Sequence[tuple[bytes, bytes]], *names: bytes) -> list[Any]:
    return [(k, v) for k, v in headers if k.lower() not in names]


def accepts_gzip(header: str | None) -> bool:
    """True when ``Accept-Encoding`` lists ``gzip`` (or ``*``) with a non-zero quality."""
    for item in (header or "").split(","):
        coding, _, params = item.strip().partition(";")
        if coding.strip().lower() not in ("gzip", "*"):
            continue
        quality = params.strip().lower().removeprefix("q=")
        try:
            return not params.strip() or float(quality) > 0
        except ValueError:
            return False
    return False


def http_date(iso: str) -> str:
    """An ISO 8601 UTC time (``...Z``) as an HTTP-date (whole seconds)."""
    moment = dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    return email.utils.format_datetime(moment.astimezone(dt.UTC), usegmt=True)


def _not_modified_since(header: str | None, last_modified: str | None) -> bool:
    if not header or last_modified is None:
        return False
    try:
        since = email.utils.parsedate_to_datetime(header)
    except (TypeError, ValueError, IndexError):
        return False
    modified = email.utils.parsedate_to_datetime(last_modified)
    return since.tzinfo is not None and modified <= since


async def _last_modified(scope: Scope, etag: str) -> str | None:
    """The representation's stored change time as an HTTP-date (None without a clock)."""
    state = getattr(scope.get("app"), "state", None)
    clock = getattr(state, "representations", None) if state is not None else None
    now = getattr(state, "now", None) if state is not None else None
    if clock is None or now is None:
        return None
    url = scope.get("path", "") + "?" + scope.get("query_string", b"").decode("latin-1")
    changed = await anyio.to_thread.run_sync(
        lambda: clock.modified(url=url.rstrip("?"), etag=etag, now=now())
    )
    return http_date(changed)


async def _reply(scope: Scope, start: Message, body: bytes, policy: CachePolicy, send: Any) -> None:
    cache_control = policy(scope) if callable(policy) else policy
    last_modified = await _last_modified(scope, etag_of(body))
    encoded = len(body) >= GZIP_MIN_BYTES and accepts_gzip(_header(scope, b"accept-encoding"))
    if encoded:
        body = gzip.compress(body, compresslevel=6, mtime=0)
    etag = etag_of(body)
    extra = [
        (b"etag", etag.encode()),
        (b"cache-control", cache_control.encode()),
        (b"vary", b"Accept-Encoding"),
    ]
    if last_modified is not None:
        extra.append((b"last-modified", last_modified.encode()))
    headers = _headers_without(
        start.get("headers", ()), b"etag", b"cache-control", b"vary", b"last-modified"
    )
    match = _header(scope, b"if-none-match")
    fresh = (
        none_match(match, etag)
        if match
        else _not_modified_since(_header(scope, b"if-modified-since"), last_modified)
    )
    if fresh:
        kept = _headers_without(headers, b"content-length", b"content-type", b"content-encoding")
        await send({"type": "http.response.start", "status": 304, "headers": [*kept, *extra]})
        await send({"type": "http.response.body", "body": b"", "more_body": False})
        return
    if encoded:
        headers = _headers_without(headers, b"content-length", b"content-encoding")
        headers += [(b"content-encoding", b"gzip"), (b"content-length", str(len(body)).encode())]
    await send({**start, "headers": [*headers, *extra]})
    await send({"type": "http.response.body", "body": body, "more_body": False})


def conditional_middleware(policy: CachePolicy) -> Callable[[ASGIApp], ASGIApp]:
    """Middleware factory adding ETag/Cache-Control to 200s and answering 304 on a match."""

    def wrap(app: ASGIApp) -> ASGIApp:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http" or scope.get("method") != "GET":  # type: ignore[comparison-overlap]
                await app(scope, receive, send)
                return
            start: Message | None = None
            chunks: list[bytes] = []

            async def capture(message: Any) -> None:
                nonlocal start
                if message["type"] == "http.response.start":
                    start = message
                elif message["type"] == "http.response.body":
                    chunks.append(message.get("body", b""))

            await app(scope, receive, capture)
            assert start is not None, "the handler sent no response"
            if start["status"] != 200:
                await send(start)  # type: ignore[arg-type]
                await send(
                    {"type": "http.response.body", "body": b"".join(chunks), "more_body": False}
                )
                return
            await _reply(scope, start, b"".join(chunks), policy, send)

        return middleware

    return wrap


_ETAG_DOC = OpenAPIHeader(
    schema=OpenAPISchema(type=OpenAPIType.STRING),
    description="Strong entity tag: a hash of the exact response bytes.",
)
_CACHE_DOC = OpenAPIHeader(
    schema=OpenAPISchema(type=OpenAPIType.STRING),
    description="`public, max-age=31536000, immutable` for content that never changes under "
    "this URL, `no-cache` (store, but revalidate) otherwise.",
)

_LAST_MODIFIED_DOC = OpenAPIHeader(
    schema=OpenAPISchema(type=OpenAPIType.STRING),
    description="HTTP-date of the last change of this representation (stored; never moves "
    "backwards). `latest` changes on a new version, disable, delete and restore.",
)
_VARY_DOC = OpenAPIHeader(
    schema=OpenAPISchema(type=OpenAPIType.STRING),
    description="`Accept-Encoding`: a gzip body has its own ETag.",
)


@dataclass
class ConditionalGetOperation(Operation):
    """Documents If-None-Match, the ETag/Cache-Control headers and the 304 response."""

    def __post_init__(self) -> None:
        self.parameters = [
            *(self.parameters or []),
            OpenAPIParameter(
                name="If-None-Match",
                param_in="header",
                required=False,
                schema=OpenAPISchema(type=OpenAPIType.STRING),
                description="ETags the client holds (or `*`); a match answers 304 with no body.",
            ),
            OpenAPIParameter(
                name="If-Modified-Since",
                param_in="header",
                required=False,
                schema=OpenAPISchema(type=OpenAPIType.STRING),
                description="An HTTP-date; without If-None-Match, 304 when nothing changed since.",
            ),
        ]
        headers: dict[str, Any] = {
            "ETag": _ETAG_DOC,
            "Cache-Control": _CACHE_DOC,
            "Last-Modified": _LAST_MODIFIED_DOC,
            "Vary": _VARY_DOC,
        }
        responses = dict(self.responses or {})
        ok = responses.get("200")
        if isinstance(ok, OpenAPIResponse):
            ok.headers = {**(ok.headers or {}), **headers}
        responses["304"] = OpenAPIResponse(
            description="Not modified: the If-None-Match tag still matches", headers=headers
        )
        self.responses = responses


def conditional(policy: CachePolicy) -> dict[str, Any]:
    """Keyword arguments that make a ``@get`` handler conditional under ``policy``."""
    return {
        "middleware": [conditional_middleware(policy)],
        "operation_class": ConditionalGetOperation,
    }
