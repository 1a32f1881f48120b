"""The web UI at ``/ui``: the page and its assets, read once from the package.

Public (no token needed: the assets hold no data; the page sends the user's token as Bearer to
the API). Every answer has a strict Content-Security-Policy (only this origin, no inline script
or style, no framing), ``nosniff``, and a strong ETag with ``Cache-Control: no-cache``: browsers
keep the files and revalidate them with one 304, so an upgrade is seen on the next load.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from registry.api.caching import REVALIDATE, etag_of, none_match
from registry.ui import static_files

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
INDEX = "index.html"


class Asset:
    __slots__ = ("body", "etag", "media_type")

    def __init__(self, body: bytes, media_type: str) -> None:
        self.body = body
        self.media_type = media_type
        self.etag = etag_of(body)


ASSETS = {name: Asset(body, media) for name, (body, media) in static_files().items()}


def _answer(request: Request[Any, Any, Any], name: str) -> Response[bytes]:
    asset = ASSETS.get(name)
    if asset is None:
        raise NotFoundException(f"no UI file {name!r}")
    headers = {**SECURITY_HEADERS, "ETag": asset.etag, "Cache-Control": REVALIDATE}
    if none_match(request.headers.get("if-none-match"), asset.etag):
        return Response(content=b"", status_code=304, headers=headers)
    return Response(content=asset.body, media_type=asset.media_type, headers=headers)


class UIController(Controller):
    path = "/ui"
    include_in_schema = False

    @get("/", operation_id="uiPage", summary="The web UI (HTML)")
    async def page(self, request: Request[Any, Any, Any]) -> Response[bytes]:
        return _answer(request, INDEX)

    @get("/{name:str}", operation_id="uiAsset", summary="One file of the web UI")
    async def asset(self, request: Request[Any, Any, Any], name: FromPath[str]) -> Response[bytes]:
        return _answer(request, name)
