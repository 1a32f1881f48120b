"""JSON Pointer (RFC 6901): the one home for escaping, building and resolving pointers.

Reports point into the payload as sent, compatibility findings into both schemas, schema
problems into the submission and ``$ref`` resolution into a schema: all through these functions.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

__all__ = ["MISSING", "Token", "escape", "pointer", "resolve", "unescape"]

Token = str | int
"""A reference token: a member name, or an array index."""
MISSING: Final[Any] = object()
"""What :func:`resolve` returns when the pointer leads nowhere."""


def escape(token: Token) -> str:
    """Escape one reference token: ``~`` as ``~0``, ``/`` as ``~1``."""
    return str(token).replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    """Undo :func:`escape` (``~1`` first, so ``~01`` stays ``~1``)."""
    return token.replace("~1", "/").replace("~0", "~")


def pointer(tokens: Iterable[Token]) -> str:
    """Build a pointer from reference tokens; the empty sequence is the whole document ``""``."""
    return "".join("/" + escape(t) for t in tokens)


def resolve(document: object, at: str) -> Any:
    """The value ``at`` points to in ``document``, or :data:`MISSING`.

    Array indexes are ASCII digits within the array; ``""`` is the document itself.
    """
    if at and not at.startswith("/"):
        return MISSING
    node = document
    for raw in at.split("/")[1:]:
        token = unescape(raw)
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isascii() and token.isdigit():
            if int(token) >= len(node):
                return MISSING
            node = node[int(token)]
        else:
            return MISSING
    return node
