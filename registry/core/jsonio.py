"""Decoding request bytes into JSON values, with errors the API and CLI can report."""

from __future__ import annotations

from typing import Any

import msgspec

from registry.core.errors import MalformedJson

_DECODER = msgspec.json.Decoder()


def decode_json(body: bytes | msgspec.Raw, *, line: int | None = None) -> Any:
    """Decode one JSON document or raise :class:`MalformedJson` naming the problem."""
    try:
        return _DECODER.decode(body)
    except msgspec.DecodeError as exc:
        if not bytes(body).strip():
            raise MalformedJson("the body is empty", line=line) from None
        raise MalformedJson(str(exc), line=line) from None
    except RecursionError:
        raise MalformedJson("values are nested too deeply", line=line) from None
