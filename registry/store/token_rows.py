"""The ``tokens`` table's columns and rows as :class:`TokenRecord`, for both SQL token stores
(``tokens_sqlite.py`` and ``postgres/tokens.py``: same columns, JSON lists held as text)."""

from __future__ import annotations

from typing import Any

import msgspec

from registry.core.auth import TokenRecord

COLUMNS = (
    "id, name, scope, secret_hash, creator, created_at, expires_at, last_used_at, revoked_at, "
    "key_prefixes, tags"
)


def record(row: tuple[Any, ...]) -> TokenRecord:
    """One row of :data:`COLUMNS`."""
    *head, prefixes, tags = row
    fields = dict(zip(COLUMNS.split(", "), head, strict=False))
    return TokenRecord(
        **fields,
        key_prefixes=tuple(msgspec.json.decode(prefixes)),
        tags=tuple(msgspec.json.decode(tags)),
    )


def values(token: TokenRecord) -> list[Any]:
    """The row of ``token``, in :data:`COLUMNS` order."""
    return [
        token.id,
        token.name,
        token.scope,
        token.secret_hash,
        token.creator,
        token.created_at,
        token.expires_at,
        token.last_used_at,
        token.revoked_at,
        msgspec.json.encode(list(token.key_prefixes)).decode(),
        msgspec.json.encode(list(token.tags)).decode(),
    ]
