"""The HTTP server under ``serve``: uvicorn with the read timeouts and connection cap it lacks.

uvicorn has a keep-alive timeout but no request-header or request-body timeout, so a client that
sends half a request line and waits (slowloris) holds a connection forever. The fix lives at the
protocol level, in a small subclass of uvicorn's httptools protocol:

* **Header timeout** (total, as nginx's ``client_header_timeout``): a timer armed when the
  connection is made and when a request's first byte arrives, cancelled when its headers are
  complete. On expiry the client gets ``408`` problem+json and the connection is closed.
* **Body timeout** (between two reads, as nginx's ``client_body_timeout``): armed when the
  headers are complete and re-armed on every read until the request is complete. Time during
  which the server itself stopped reading (flow control while the app is busy) does not count.
  On expiry the connection is closed (``408`` if no response was started).
* **Connection cap**: a connection beyond ``max_connections`` gets ``503`` problem+json and is
  closed at once, so idle or slow clients cannot exhaust file descriptors; each of them is then
  gone within the header timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from typing import Any

import msgspec
import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.supervisors import Multiprocess

from registry.logs import log_config
from registry.settings import Settings

DOCS = "https://github.com/event-registry/event-registry/blob/main/README.md#error-"


class ConnectionLimits(msgspec.Struct, frozen=True):
    """What the protocol enforces; built from Settings (picklable, for worker processes)."""

    header_timeout: float
    body_timeout: float
    max_connections: int

    @classmethod
    def of(cls, settings: Settings) -> ConnectionLimits:
        return cls(
            header_timeout=settings.header_timeout_seconds,
            body_timeout=settings.body_timeout_seconds,
            max_connections=settings.max_connections,
        )


def _problem(status: int, reason: str, code: str, detail: str) -> bytes:
    body = msgspec.json.encode(
        {
            "type": DOCS + code.replace("_", "-"),
            "title": reason,
            "status": status,
            "detail": detail,
            "code": code,
        }
    )
    head = (
        f"HTTP/1.1 {status} {reason}\r\ncontent-type: application/problem+json\r\n"
        f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
    )
    return head.encode() + body


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol plus header/body read timeouts and a connection cap."""

    def __init__(self, config: uvicorn.Config, *args: Any, **kwargs: Any) -> None:
        super().__init__(config, *args, **kwargs)
        limits = getattr(config, "limits", None)
        self.limits = limits if isinstance(limits, ConnectionLimits) else DEFAULT_LIMITS
        self._timer: asyncio.TimerHandle | None = None
        self._reading_body = False

    # -- timers ------------------------------------------------------------------------------

    def _arm(self, seconds: float, callback: Any) -> None:
        self._disarm()
        self._timer = self.loop.call_later(seconds, callback)

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _close_with(self, response: bytes | None) -> None:
        self._disarm()
        if self.transport.is_closing():
            return
        cycle = self.cycle
        if cycle is not None and not cycle.response_complete:
            if cycle.response_started:
                response = None
            cycle.disconnected = True  # the app's receive() answers http.disconnect
            cycle.message_event.set()
        if response is not None:
            self.transport.write(response)
        self.transport.close()

    def _header_timed_out(self) -> None:
        self.logger.info("closing a connection that did not send its headers in time")
        self._close_with(
            _problem(
                408,
                "Request Timeout",
                "request_timeout",
                f"the request headers did not arrive within {self.limits.header_timeout:g} s",
            )
        )

    def _body_timed_out(self) -> None:
        if self.flow.read_paused:  # we stopped reading, not the client: wait on
            self._arm(self.limits.body_timeout, self._body_timed_out)
            return
        self.logger.info("closing a connection whose request body stalled")
        self._close_with(
            _problem(
                408,
                "Request Timeout",
                "request_timeout",
                f"no part of the request body arrived for {self.limits.body_timeout:g} s",
            )
        )

    # -- protocol hooks ----------------------------------------------------------------------

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > self.limits.max_connections:
            self.logger.warning("refusing a connection: %d open", len(self.connections))
            transport.write(
                _problem(
                    503,
                    "Service Unavailable",
                    "too_many_connections",
                    f"the server holds its maximum of {self.limits.max_connections} connections",
                )
            )
            transport.close()
            return
        self._arm(self.limits.header_timeout, self._header_timed_out)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._reading_body:
            self._arm(self.limits.body_timeout, self._body_timed_out)
        super().data_received(data)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._reading_body = False
        self._arm(self.limits.header_timeout, self._header_timed_out)

    def on_headers_complete(self) -> None:
        super().on_headers_complete()
        self._reading_body = True
        self._arm(self.limits.body_timeout, self._body_timed_out)

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._reading_body = False
        self._disarm()


DEFAULT_LIMITS = ConnectionLimits.of(Settings())


GIL_SWITCH_SECONDS = 0.001
"""How long a worker thread may run Python before the event loop gets the GIL back (CPython's
default is 5 ms). Validation off the loop (a first sight, a batch chunk, a costly schema) is
CPU-bound Python; every time the loop wakes up (a read, a write, a timer) it waits for the GIL,
so one /health request paid up to 5 ms several times over behind such a thread."""


class ServerConfig(uvicorn.Config):
    """uvicorn's Config carrying our limits to the protocol (and across worker processes)."""

    def __init__(self, app: Any, *, limits: ConnectionLimits, **kwargs: Any) -> None:
        super().__init__(app, http=GuardedHttpToolsProtocol, **kwargs)
        self.limits = limits

    def load(self) -> None:
        """Runs in every worker process before it serves (uvicorn calls it there)."""
        sys.setswitchinterval(GIL_SWITCH_SECONDS)
        super().load()
        # the imported modules and the built app live as long as the process: moved out of
        # the collector's generations, so a full collection (a first sight allocates enough
        # to trigger one) walks only what was made since, not every object of every library
        gc.collect()
        gc.freeze()


MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
"""prometheus-client's multiprocess folder (registry/metrics.py); read when it is imported."""


@contextlib.contextmanager
def metrics_folder(workers: int) -> Iterator[str | None]:
    """With several workers, a fresh folder for their metric files, set in the environment
    before anything imports prometheus-client (workers inherit it) and removed afterwards.
    A folder the operator set already is used as it is and kept."""
    if workers < 2 or os.environ.get(MULTIPROC_ENV):
        yield os.environ.get(MULTIPROC_ENV)
        return
    folder = tempfile.mkdtemp(prefix="event-registry-metrics-")
    os.environ[MULTIPROC_ENV] = folder
    try:
        yield folder
    finally:
        del os.environ[MULTIPROC_ENV]
        shutil.rmtree(folder, ignore_errors=True)


def run(settings: Settings) -> None:
    """Serve ``registry.asgi:app_factory`` as ``uvicorn.run`` would, with our protocol."""
    config = ServerConfig(
        "registry.asgi:app_factory",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_level=settings.log_level,
        log_config=log_config(settings.log_format, settings.log_level),
        access_log=False,  # registry.access writes one line per request (registry/logs.py)
        limits=ConnectionLimits.of(settings),
        # X-Forwarded-For is judged by the app against EVENT_REGISTRY_TRUSTED_PROXIES only;
        # uvicorn's own proxy handling would believe any client on 127.0.0.1.
        proxy_headers=False,
    )
    server = uvicorn.Server(config=config)
    try:
        if config.workers > 1:
            Multiprocess(config, sockets=[config.bind_socket()]).run()
        else:
            server.run()
    except KeyboardInterrupt:  # pragma: no cover - interactive stop
        pass
    if config.workers == 1 and not server.started:
        sys.exit(3)  # uvicorn's STARTUP_FAILURE
