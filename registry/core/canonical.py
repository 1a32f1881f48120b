"""Canonical form and fingerprint of schema documents (sorted keys, no whitespace, LF only)."""

from __future__ import annotations

import hashlib
from typing import Any

import msgspec

_ENCODER = msgspec.json.Encoder(order="sorted")


def _normalise_newlines(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    if isinstance(value, dict):
        return {_normalise_newlines(k): _normalise_newlines(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalise_newlines(v) for v in value]
    return value


def canonical_bytes(document: Any) -> bytes:
    """Serialise ``document`` canonically: sorted keys, compact, line endings normalised."""
    return _ENCODER.encode(_normalise_newlines(document))


def fingerprint(document: Any) -> str:
    """A stable content fingerprint: ``sha256:`` + hex digest of the canonical bytes."""
    return "sha256:" + hashlib.sha256(canonical_bytes(document)).hexdigest()
