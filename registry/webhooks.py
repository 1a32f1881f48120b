"""Webhook delivery of the change feed: signed POSTs, retried with backoff, bounded.

One :class:`WebhookSender` per server process follows the change feed from the moment it starts
(cursor kept in memory) and POSTs every change to every configured URL in order. An attempt
fails on a connection error, a timeout or a non-2xx answer; failed attempts are retried after
``backoff`` seconds (doubling, at most 60 s) up to ``max_attempts``, then the delivery is given
up and logged. Memory stays bounded: the feed itself is the queue. With several workers each
delivers; receivers deduplicate by ``X-Event-Registry-Delivery`` (the change id).
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from functools import partial

import httpx
import msgspec

from registry.background import finish_in_thread
from registry.core.audit import Change
from registry.core.service import RegistryService
from registry.core.signing import backoff, signature

log = logging.getLogger("registry.webhooks")


@dataclass
class WebhookSender:
    service: RegistryService
    urls: list[str]
    secret: str
    max_attempts: int = 5
    backoff_seconds: float = 1.0
    timeout_seconds: float = 5.0
    poll_seconds: float = 1.0
    transport: httpx.AsyncBaseTransport | None = None

    async def run(self) -> None:
        """Deliver changes made from now on until cancelled."""
        cursor = await finish_in_thread(self.service.latest_change_cursor)
        async with httpx.AsyncClient(
            timeout=self.timeout_seconds, transport=self.transport
        ) as client:
            while True:
                try:
                    cursor = await self._round(client, cursor)
                except Exception:
                    log.exception("webhook delivery round failed")
                await asyncio.sleep(self.poll_seconds)

    async def _round(self, client: httpx.AsyncClient, cursor: str) -> str:
        while True:
            page = await finish_in_thread(partial(self.service.changes, after=cursor, limit=100))
            for change in page.items:
                for url in self.urls:
                    await self.deliver(client, url, change)
            cursor = page.next_cursor or cursor
            if not page.items:
                return cursor

    async def deliver(self, client: httpx.AsyncClient, url: str, change: Change) -> bool:
        """POST ``change`` to ``url`` until a 2xx answer or ``max_attempts`` attempts."""
        body = msgspec.json.encode(change)
        for attempt in range(1, self.max_attempts + 1):
            timestamp = str(int(time.time()))
            headers = {
                "Content-Type": "application/json",
                "User-Agent": "event-registry-webhooks",
                "X-Event-Registry-Event": change.type,
                "X-Event-Registry-Delivery": str(change.id),
                "X-Event-Registry-Attempt": str(attempt),
                "X-Event-Registry-Timestamp": timestamp,
                "X-Event-Registry-Signature": signature(self.secret, timestamp, body),
            }
            try:
                response = await client.post(url, content=body, headers=headers)
            except httpx.HTTPError as exc:
                outcome = f"{type(exc).__name__}"
            else:
                if 200 <= response.status_code < 300:
                    return True
                outcome = f"HTTP {response.status_code}"
            if attempt < self.max_attempts:
                log.warning(
                    "webhook %s: change %d attempt %d: %s; retrying",
                    url,
                    change.id,
                    attempt,
                    outcome,
                )
                await asyncio.sleep(backoff(attempt, self.backoff_seconds))
            else:
                log.error(
                    "webhook %s: change %d given up after %d attempts (%s)",
                    url,
                    change.id,
                    attempt,
                    outcome,
                )
        return False
