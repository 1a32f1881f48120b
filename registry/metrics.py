"""Prometheus metrics (prometheus-client): the :class:`~registry.core.telemetry.Telemetry` port,
store timing, HTTP request counts, and the ``/metrics`` exposition.

One :class:`Metrics` per app, on its own ``CollectorRegistry`` (no global state). Under
``serve --workers N`` the parent process sets ``PROMETHEUS_MULTIPROC_DIR`` to a fresh temporary
folder before any worker starts (and removes it when it exits): prometheus-client then keeps each
worker's values in memory-mapped files there, and a scrape answered by any worker sums them all.

Labels are bounded: ``route`` is the route template (never the raw path), ``method`` one of
the HTTP methods the API knows (else ``other``), ``event_type`` a key that has a registered
schema (else ``other``), ``code`` a catalogue violation code, ``operation`` a store method name.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from typing import Any, cast

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
    values,
)

from registry.core.ports import SchemaStore
from registry.core.report import Report
from registry.core.telemetry import Cache

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = "text/plain; version=0.0.4"
"""The text exposition format every Prometheus server reads (``generate_latest`` writes it)."""
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
OTHER = "other"
UNMATCHED = "unmatched"
"""The route label of a request no route matched (404 not_found)."""
LATENCY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
UNTIMED = frozenset({"change_token", "close"})
"""Store methods not timed: the change token is read per event and never waits (ports.py)."""


def multiprocess_mode() -> bool:
    """Whether prometheus-client keeps values in files (decided when it was first imported)."""
    return bool(values.ValueClass is not values.MutexValue)


class Metrics:
    """Every series the registry exports; also the core's Telemetry."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=False)
        reg = self.registry
        self.requests = Counter(
            "event_registry_http_requests",
            "HTTP requests answered, by method, route template and status.",
            ["method", "route", "status"],
            registry=reg,
        )
        self.latency = Histogram(
            "event_registry_http_request_duration_seconds",
            "Time from the request to the end of the response, by method and route template.",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=reg,
        )
        self.validations = Counter(
            "event_registry_validations",
            "Events validated (every endpoint), by event type and verdict (valid/invalid).",
            ["event_type", "verdict"],
            registry=reg,
        )
        self.violations = Counter(
            "event_registry_violations",
            "Violations reported, by code and severity.",
            ["code", "severity"],
            registry=reg,
        )
        self.cache = Counter(
            "event_registry_validator_cache_lookups",
            "Validator cache look-ups: compiled validators by schema id, event types by key.",
            ["cache", "result"],
            registry=reg,
        )
        self.store = Histogram(
            "event_registry_store_operation_duration_seconds",
            "Time of each store (database) call, by store method.",
            ["operation"],
            buckets=LATENCY_BUCKETS,
            registry=reg,
        )
        self.inspection = Gauge(
            "event_registry_inspection_log_events",
            "Recorded events the inspection log holds (counted when /metrics is scraped).",
            registry=reg,
            multiprocess_mode="mostrecent",
        )
        self.workers = Gauge(
            "event_registry_worker_requests",
            "HTTP requests each live worker process answered (pid label under --workers).",
            registry=reg,
            multiprocess_mode="liveall",
        )
        self._counts: dict[tuple[str, ...], int] = {}
        """Per-event counts since start, by (series, *labels); see :meth:`flush`."""
        self._flushed: dict[tuple[str, ...], int] = {}
        self._flush_lock = threading.Lock()
        self._by_name = {VALIDATIONS: self.validations, VIOLATIONS: self.violations}
        self._by_name[CACHE] = self.cache
        self._children: dict[tuple[int, tuple[str, ...]], Any] = {}
        """Labelled children by (metric id, label values): ``labels()`` costs microseconds per
        call (validation and locking), too much on the per-event path."""

    # -- Telemetry (core/telemetry.py) -------------------------------------------------------

    def validated(self, report: Report) -> None:
        key = report.event_type_key if report.schema_id is not None else None
        counts = self._counts
        label = (VALIDATIONS, key or OTHER, VERDICTS[report.valid])
        counts[label] = counts.get(label, 0) + 1
        for violation in (*report.errors, *report.warnings):
            label = (VIOLATIONS, violation.code, violation.severity)
            counts[label] = counts.get(label, 0) + 1

    def cache_lookup(self, cache: Cache, *, hit: bool) -> None:
        label = CACHE_LABELS[cache, hit]
        self._counts[label] = self._counts.get(label, 0) + 1

    def flush(self) -> None:
        """Move the per-event counts into their Prometheus counters (after every request and
        before a scrape). Per event the registry only bumps a plain dict entry: a labelled
        ``inc()`` costs more than validating a small event. Two threads bumping the same entry
        at the same instant can lose one count (no lock on the per-event path)."""
        with self._flush_lock:
            counts = dict(self._counts)  # one C-level copy: safe while other threads count
            for label, total in counts.items():
                delta = total - self._flushed.get(label, 0)
                if delta:
                    _child(self._children, self._by_name[label[0]], label[1:]).inc(delta)
                    self._flushed[label] = total

    # -- HTTP and the store -------------------------------------------------------------------

    def request(self, *, method: str, route: str, status: int, seconds: float) -> None:
        method = method if method in METHODS else OTHER
        children = self._children
        _child(children, self.requests, (method, route, str(status))).inc()
        _child(children, self.latency, (method, route)).observe(seconds)
        self.workers.inc()
        self.flush()

    def timed(self, store: SchemaStore) -> SchemaStore:
        """``store`` with every call (but :data:`UNTIMED`) observed in the store histogram."""
        return cast("SchemaStore", TimedStore(store, self.store))

    def close(self) -> None:
        """A worker leaving: its last counts are written, its ``liveall`` series go
        (prometheus-client multiprocess rule)."""
        self.flush()
        if multiprocess_mode() and os.environ.get(MULTIPROC_ENV):
            multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]

    def render(self, *, inspection_size: int) -> bytes:
        """The text exposition: this process's series, or every worker's under --workers."""
        self.flush()
        self.inspection.set(inspection_size)
        if multiprocess_mode() and os.environ.get(MULTIPROC_ENV):
            merged = CollectorRegistry(auto_describe=False)
            multiprocess.MultiProcessCollector(merged)  # type: ignore[no-untyped-call]
            return bytes(generate_latest(merged))
        return bytes(generate_latest(self.registry))


VERDICTS = {True: "valid", False: "invalid"}
VALIDATIONS, VIOLATIONS, CACHE = "validations", "violations", "cache"
CACHE_LABELS: dict[tuple[str, bool], tuple[str, ...]] = {
    (cache, hit): (CACHE, cache, "hit" if hit else "miss")
    for cache in ("compiled", "type")
    for hit in (True, False)
}


def _child(
    cache: dict[tuple[int, tuple[str, ...]], Any], metric: Any, labels: tuple[str, ...]
) -> Any:
    """``metric.labels(*labels)``, looked up once per label set (the set is bounded)."""
    key = (id(metric), labels)
    child = cache.get(key)
    if child is None:
        child = cache[key] = metric.labels(*labels)
    return child


class TimedStore:
    """A transparent proxy timing the wrapped store's methods (labels: method names)."""

    def __init__(self, store: SchemaStore, histogram: Histogram) -> None:
        self._store = store
        self._histogram = histogram

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._store, name)
        if name.startswith("_") or not callable(attribute):
            return attribute
        if name in UNTIMED:
            setattr(self, name, attribute)  # the store's own method, found directly next time
            return attribute
        timed = _timing(attribute, self._histogram.labels(name))
        setattr(self, name, timed)  # found directly from now on
        return timed


def _timing(method: Callable[..., Any], child: Any) -> Callable[..., Any]:
    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return method(*args, **kwargs)
        finally:
            child.observe(time.perf_counter() - start)

    return timed
