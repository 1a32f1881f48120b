"""The peers scripts/benchmark.py measures the project against (not part of the service).

Run by the benchmark in its scratch virtualenv, which holds only the pinned packages of
``PEER_PACKAGES`` in benchmark.py (no event-registry): ``python bench_peers.py KIND PORT SCHEMA``
serves one peer on 127.0.0.1:PORT with uvicorn (httptools + uvloop, one worker, as ``serve``):

* ``echo``      litestar: ``POST /echo`` decodes the body with msgspec and returns it.
* ``raw``       a bare ASGI app: ``POST /echo`` sends the body back (no framework).
* ``hand``      litestar + Python ``jsonschema``: what a team writes by hand. ``POST /validate``
                turns ``params`` into an object and collects ``iter_errors``;
                ``POST /validate/batch`` does the same per NDJSON line and counts.
* ``prototype`` litestar + msgspec + jsonschema-rs and nothing else: the bare hot path (decode,
                params to an object, one ``is_valid``, errors only for an invalid event).

Every endpoint answers ``{"valid": bool, "errors": [...]}`` (batch: ``{"summary", "results"}``
with the invalid events), so the work per event is the same shape as the project's.
"""

from __future__ import annotations

import json
import sys
from typing import Any


def params_of(event: Any) -> dict[str, Any]:
    params = event.get("params") or []
    return {p["name"]: p.get("value") for p in params} if isinstance(params, list) else params


def echo_app() -> Any:
    import msgspec
    from litestar import Litestar, Request, post

    @post("/echo", status_code=200)
    async def echo(request: Request[Any, Any, Any]) -> Any:
        return msgspec.json.decode(await request.body())

    return Litestar([echo])


def raw_app() -> Any:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body, more = b"", True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    return app


def validating_app(errors_of: Any) -> Any:
    """A litestar app with /validate and /validate/batch over ``errors_of(params) -> list``."""
    import msgspec
    from litestar import Litestar, Request, post

    def one(raw: bytes) -> list[str]:
        return errors_of(params_of(msgspec.json.decode(raw)))

    @post("/validate", status_code=200)
    async def validate(request: Request[Any, Any, Any]) -> Any:
        errors = one(await request.body())
        return {"valid": not errors, "errors": errors}

    @post("/validate/batch", status_code=200)
    async def batch(request: Request[Any, Any, Any]) -> Any:
        results, valid, total = [], 0, 0
        for index, line in enumerate((await request.body()).split(b"\n")):
            if not line.strip():
                continue
            total += 1
            errors = one(line)
            if errors:
                results.append({"index": index, "valid": False, "errors": errors})
            else:
                valid += 1
        summary = {"total": total, "valid": valid, "invalid": total - valid}
        return {"summary": summary, "results": results}

    return Litestar([validate, batch], request_max_body_size=1 << 28)


def hand_app(schema: dict[str, Any]) -> Any:
    import jsonschema

    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    return validating_app(lambda params: [e.message for e in validator.iter_errors(params)])


def prototype_app(schema: dict[str, Any]) -> Any:
    import jsonschema_rs

    validator = jsonschema_rs.validator_for(schema, validate_formats=True)

    def errors_of(params: dict[str, Any]) -> list[str]:
        if validator.is_valid(params):
            return []
        return [e.message for e in validator.iter_errors(params)]

    return validating_app(errors_of)


def main() -> None:
    import uvicorn

    kind, port, schema_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(schema_file, encoding="utf-8") as f:
        schema = json.load(f)
    apps = {
        "echo": echo_app,
        "raw": raw_app,
        "hand": lambda: hand_app(schema),
        "prototype": lambda: prototype_app(schema),
    }
    uvicorn.run(
        apps[kind](), host="127.0.0.1", port=port, log_level="warning", access_log=False,
        http="httptools", loop="uvloop",
    )  # fmt: skip


if __name__ == "__main__":
    main()
