"""Log lines: one per request (``registry.access``), as text or one JSON object per line.

``EVENT_REGISTRY_LOG_FORMAT`` picks ``text`` (default) or ``json``; ``serve`` hands uvicorn the
:func:`log_config` so every worker formats its lines, uvicorn's own included, the same way.
A request line carries the request id, method, route *template*, status, duration and the
authenticated actor's name: never the raw path or query, headers, tokens, bodies or emails.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import msgspec

ACCESS_LOGGER = "registry.access"
REQUEST_FIELDS = ("request_id", "method", "route", "status", "duration_ms", "actor")
"""The extra members of a request line, in this order."""
FORMATS = ("text", "json")


class JsonFormatter(logging.Formatter):
    """``{"ts", "level", "logger", "message", <request fields>, "exc"}``, one line each."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in REQUEST_FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                line[field] = value
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return msgspec.json.encode(line).decode()


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def formatter(fmt: str) -> logging.Formatter:
    """The formatter of ``fmt`` (``text`` or ``json``), for dictConfig's ``()`` factory."""
    return JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT)


def log_config(fmt: str, level: str) -> dict[str, Any]:
    """uvicorn's ``log_config``: the registry's and uvicorn's loggers on stderr in ``fmt``."""
    level_name = "DEBUG" if level == "trace" else level.upper()
    logger = {"handlers": ["stderr"], "level": level_name, "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"registry": {"()": "registry.logs.formatter", "fmt": fmt}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "registry",
                "stream": "ext://sys.stderr",
            }
        },
        "loggers": {"registry": logger, "uvicorn": logger, "uvicorn.error": logger},
    }


def request_line(
    log: logging.Logger,
    *,
    request_id: str,
    method: str,
    route: str,
    status: int,
    seconds: float,
    actor: str | None,
) -> None:
    """Log one answered request at INFO (``registry.access``)."""
    if not log.isEnabledFor(logging.INFO):
        return
    duration_ms = round(seconds * 1000, 3)
    who = f" actor={actor}" if actor else ""
    log.info(
        "%s %s %d %.3f ms id=%s%s",
        method,
        route,
        status,
        duration_ms,
        request_id,
        who,
        extra={
            "request_id": request_id,
            "method": method,
            "route": route,
            "status": status,
            "duration_ms": duration_ms,
            "actor": actor,
        },
    )
