"""``POST /validate`` for the common case, answered before litestar routes the request.

A developer's backend or a CI step posts one valid event after another; litestar's routing,
parameter parsing, hooks and response building cost more than validating the event (measured
in-process: about 120 us of 204 us per request, scripts/benchmark.py's workload). This ASGI
wrapper answers exactly that case itself, with the same bytes the routed handler sends, and hands
everything else to the app unchanged:

* only ``POST /validate`` with no query string, a JSON ``Content-Type``, no ``X-Record``, no
  ``Origin`` (CORS answers stay litestar's) and an allowed ``Host``;
* with auth on, only a caller whose token the :class:`~registry.api.auth.Gate` accepts with the
  scope the access table asks for, and is not restricted to some event types;
* only a body within the size limit that decodes, and an event whose report
  ``validate_inline`` gives on the loop (a valid event of a type already cached).

Anything else (a refused token, an invalid event, a first sight, a huge body) goes to the
routed app, with the body already read handed on (and an event already decoded and found to
need a worker thread, so the handler does not decode and judge it twice), so that its answer
(a problem+json, a report computed in a worker thread) is exactly what it always was.
``tests/api/test_fast_validate.py`` checks that both paths answer byte for byte alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgspec
from litestar.types import ASGIApp, Receive, ReceiveMessage, Scope

from registry.api.access import required_scope
from registry.api.auth import Gate
from registry.core.auth import PRINCIPAL_KEY, host_name
from registry.core.dryrun import DryRunService
from registry.core.jsonio import decode_json
from registry.core.report import Report

PATH = "/validate"
OPERATION_ID = "validateEvent"
TEMPLATE_KEY = "path_template"
DECLINED_KEY = "registry_inline_declined"
"""Scope key: this request's event, decoded here and found to need a worker thread."""
_JSON_TYPES = (b"application/json",)
_ENCODER = msgspec.json.Encoder()


@dataclass(frozen=True)
class Declined:
    """A decoded event ``validate_inline`` gave no report for (an invalid event, a first
    sight): the routed handler neither decodes it again nor asks ``validate_inline`` again."""

    event: Any


def _plain(scope: Scope) -> tuple[bool, int | None, str]:
    """Whether the headers allow the fast path; the declared length; the Host header."""
    json = False
    length: int | None = None
    host = ""
    for name, value in scope["headers"]:
        if name == b"content-type":
            json = value.split(b";", 1)[0].strip().lower() in _JSON_TYPES
        elif name == b"content-length":
            length = int(value) if value.isdigit() else -1
        elif name == b"host":
            host = value.decode("latin-1")
        elif name in (b"x-record", b"origin"):
            return False, None, host
    return json, length, host


def fast_validate(
    app: ASGIApp,
    *,
    dryrun: DryRunService,
    gate: Gate,
    allowed_hosts: frozenset[str] | None,
    max_body: int,
) -> ASGIApp:
    """``app`` with the common ``POST /validate`` answered without routing (see the module)."""
    needed = required_scope("POST", PATH, OPERATION_ID, {})

    async def _answer(scope: Any, body: bytes, length: int) -> tuple[Report | None, Any]:
        """The report and the caller, or ``(None, None)``: the routed app must answer."""
        principal: Any = None
        if gate.tokens is not None and needed is not None:
            try:
                principal = await gate.principal(scope)
            except Exception:
                return None, None  # the routed app gives the 401 as always
            if not principal.allows(needed) or principal.restricted:
                return None, None
        try:
            event = decode_json(body)
            report = dryrun.validate_inline(event, body_size=length)
        except Exception:
            return None, None  # malformed JSON, a store outage: the routed app answers it
        if report is None:  # the routed handler takes it to a thread without deciding again
            scope[DECLINED_KEY] = Declined(event)
        return report, principal

    async def handler(scope: Any, receive: Receive, send: Any) -> None:  # HTTP or other ASGI
        if (
            scope["type"] != "http"
            or scope["path"] != PATH
            or scope["method"] != "POST"
            or scope["query_string"]
        ):
            await app(scope, receive, send)
            return
        json, length, host = _plain(scope)
        if (
            not json
            or length is None
            or not 0 < length <= max_body
            or (allowed_hosts is not None and host_name(host) not in allowed_hosts)
        ):
            await app(scope, receive, send)
            return
        body, more = b"", True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away before sending its body
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > length:
                break
        replay = _replaying(body, more, receive)
        if len(body) != length:
            await app(scope, replay, send)
            return
        report, principal = await _answer(scope, body, length)
        if report is None:
            await app(scope, replay, send)
            return
        if principal is not None:
            scope[PRINCIPAL_KEY] = principal
        scope[TEMPLATE_KEY] = PATH  # the metrics' route label
        content = _ENCODER.encode(report)
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", b"%d" % len(content)),
                ],
            }
        )
        await send({"type": "http.response.body", "body": content})

    return handler


def _replaying(body: bytes, more: bool, receive: Receive) -> Receive:
    """``receive`` that first hands on the body already read (and whether more follows)."""
    pending = True

    async def replay() -> ReceiveMessage:
        nonlocal pending
        if pending:
            pending = False
            return {"type": "http.request", "body": body, "more_body": more}
        return await receive()

    return replay
