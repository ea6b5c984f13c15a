"""Prometheus metrics: one registry per :class:`Metrics`, every collector made once.

Requests are labelled by route template (``/v1/quizzes/{quiz_id}``), never by raw path,
so the number of series stays bounded; queue depths are read when Prometheus scrapes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import generate_latest
from prometheus_client.registry import Collector

if TYPE_CHECKING:
    from coach.llm.breaker import LLMCall

log = logging.getLogger(__name__)

# Seconds: a cached search is ~10 ms, a streamed LLM answer several seconds.
HTTP_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
LLM_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60)
RETRIEVAL_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1)
CIRCUIT_STATES = {"closed": 0, "half_open": 1, "open": 2}
UNMATCHED = "<unmatched>"
"""The route label of a request no route matched (404s must not mint one series each)."""

QueueSource = Callable[[], Mapping[tuple[str, str], int]]
"""Returns ``{(queue, state): depth}``; called at scrape time."""


class Metrics:
    """The service's metrics and the registry they live in (one per app: tests never collide)."""

    content_type = CONTENT_TYPE_LATEST

    def __init__(self) -> None:
        disable_created_metrics()  # no ``*_created`` twin of every series (process-wide)
        self.registry = CollectorRegistry()
        r = self.registry
        self.http_requests = Counter(
            "blendcoach_http_requests",
            "HTTP requests by route template and status.",
            ["method", "route", "status"],
            registry=r,
        )
        self.http_seconds = Histogram(
            "blendcoach_http_request_duration_seconds",
            "Time to the end of the response, by route template.",
            ["method", "route"],
            buckets=HTTP_BUCKETS,
            registry=r,
        )
        self.http_in_progress = Gauge(
            "blendcoach_http_requests_in_progress", "Requests being served.", registry=r
        )
        self.llm_seconds = Histogram(
            "blendcoach_llm_request_duration_seconds",
            "Wall time of chat model calls (retries included), by operation and outcome.",
            ["operation", "outcome"],
            buckets=LLM_BUCKETS,
            registry=r,
        )
        self.llm_errors = Counter(
            "blendcoach_llm_errors",
            "Failed chat model calls by kind (circuit_open: refused by the open breaker).",
            ["kind"],
            registry=r,
        )
        self.llm_circuit = Gauge(
            "blendcoach_llm_circuit_state",
            "The LLM circuit breaker: 0 closed, 1 half-open, 2 open.",
            registry=r,
        )
        self.retrieval_seconds = Histogram(
            "blendcoach_retrieval_duration_seconds",
            "Retrieval time by stage (candidates: query embedding and index; rank: fusion "
            "and passages).",
            ["stage"],
            buckets=RETRIEVAL_BUCKETS,
            registry=r,
        )
        self.guard_verdicts = Counter(
            "blendcoach_guard_verdicts",
            "Runtime guard verdicts by kind of output (answer, quiz, path) and verdict.",
            ["kind", "verdict"],
            registry=r,
        )
        self.rate_limited = Counter(
            "blendcoach_rate_limited",
            "Requests refused with 429, by the limit that refused them (user, org).",
            ["scope"],
            registry=r,
        )
        self.rate_limit_errors = Counter(
            "blendcoach_rate_limit_backend_errors",
            "Rate-limit checks that failed (Redis down or slow); those requests were let through.",
            registry=r,
        )
        self._queues = _QueueDepths()
        r.register(self._queues)

    def observe_llm(self, call: LLMCall) -> None:
        """A chat model call (a :class:`~coach.llm.breaker.CircuitBreaker` observer)."""
        if call.error != "circuit_open":
            outcome = "error" if call.error else "ok"
            self.llm_seconds.labels(call.operation, outcome).observe(call.seconds)
        if call.error:
            self.llm_errors.labels(call.error).inc()
        self.llm_circuit.set(CIRCUIT_STATES[call.state])

    def set_queue(self, name: str, source: QueueSource | None) -> None:
        """Report the depths ``source`` returns as ``blendcoach_queue_depth`` (None: stop)."""
        if source is None:
            self._queues.sources.pop(name, None)
        else:
            self._queues.sources[name] = source

    def render(self) -> bytes:
        """The text exposition of every metric."""
        return generate_latest(self.registry)


class _QueueDepths(Collector):
    """``blendcoach_queue_depth{queue, state}``, read from each source at scrape time."""

    def __init__(self) -> None:
        self.sources: dict[str, QueueSource] = {}

    def describe(self) -> Iterator[Metric]:
        yield GaugeMetricFamily(
            "blendcoach_queue_depth", "Items waiting in a queue.", labels=["queue", "state"]
        )

    def collect(self) -> Iterator[Metric]:
        family = GaugeMetricFamily(
            "blendcoach_queue_depth", "Items waiting in a queue.", labels=["queue", "state"]
        )
        for name, source in list(self.sources.items()):
            try:
                depths = source()
            except Exception as exc:  # a scrape must not fail because Redis or the DB is down
                log.warning("queue depth %s unavailable: %s: %s", name, type(exc).__name__, exc)
                continue
            for (queue, state), depth in depths.items():
                family.add_metric([queue, state], depth)
        yield family
