"""Webhook signatures and retry delays: pure rules, shared by the sender and its tests.

A delivery carries ``X-Event-Registry-Timestamp: <unix seconds>`` and
``X-Event-Registry-Signature: sha256=<hex>``, the HMAC-SHA256 under the configured secret of
``<timestamp>.<raw body>``. A receiver recomputes it, compares in constant time and refuses
timestamps far from its clock (replays).
"""

from __future__ import annotations

import hashlib
import hmac

MAX_BACKOFF_SECONDS = 60.0


def signature(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, header: str) -> bool:
    """True when ``header`` is the signature of ``timestamp`` and ``body`` under ``secret``."""
    return hmac.compare_digest(signature(secret, timestamp, body), header)


def backoff(attempt: int, base: float) -> float:
    """Seconds to wait after failed attempt number ``attempt`` (1-based): base, 2x, 4x... capped."""
    return min(base * 2.0 ** (attempt - 1), MAX_BACKOFF_SECONDS)
