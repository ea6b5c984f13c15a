"""What the app runs beside its routes, started in its lifespan: the rate limiter, the
readiness checks, the LLM breaker's metrics and the queue depths (see README "Operating").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from coach.auth import auth_secret
from coach.limits.limiter import RateLimiter
from coach.limits.window import InProcessStore, RedisStore, WindowStore
from coach.llm import breaker_for, make_chat_model
from coach.observability import queues, readiness
from coach.services import Services
from coach.xapi_lrs.outbox import queue_depths as xapi_outbox_depths

if TYPE_CHECKING:
    from redis import Redis


@dataclass
class Operations:
    """The parts :meth:`start` made, and how to stop them."""

    limiter: RateLimiter
    readiness: readiness.Probe
    redis: Redis | None = None
    stops: list[Callable[[], None]] = field(default_factory=list)

    @classmethod
    def start(cls, services: Services) -> Operations:
        """Build them from ``services`` (its settings, engine, index and metrics)."""
        settings, metrics = services.settings, services.metrics
        redis = _redis(settings.redis_url, settings.health.timeout_s)
        stops: list[Callable[[], None]] = []
        checks: dict[str, readiness.Check] = {
            "database": readiness.database(services.engine),
            "index": readiness.index(services.index.count),
        }
        optional: set[str] = set()
        problem = getattr(services.index, "writable_problem", None)  # the embedded engine's
        if problem is not None:
            checks["index_writable"] = readiness.writable(problem)
            optional.add("index_writable")
        model, breaker = make_chat_model(settings.llm), breaker_for(settings.llm)
        if model is not None and breaker is not None:
            # A little under the check's own limit, so the endpoint's error is reported.
            checks["llm"] = readiness.llm(model, settings.health.timeout_s * 0.9)
            if not settings.health.llm_required:
                optional.add("llm")
            stops += [breaker.watch(metrics.observe_llm), model.close]
        sources = {
            "nudge_deliveries": queues.nudge_deliveries(services.engine),
            "xapi_outbox": xapi_outbox_depths(services.engine),  # statements for the LRS
        }
        if redis is not None:
            checks["redis"] = readiness.redis(redis)
            sources["rq"] = queues.rq_jobs(redis, settings.nudges.queue)
        for name, source in sources.items():
            metrics.set_queue(name, source)
            stops.append(lambda name=name: metrics.set_queue(name, None))  # type: ignore[misc]
        probe = readiness.Probe(checks, settings.health.timeout_s, frozenset(optional))
        return cls(_limiter(services), probe, redis, stops)

    async def close(self) -> None:
        """Stop watching, close the limiter's and the checks' connections."""
        for stop in self.stops:
            stop()
        await self.limiter.close()
        if self.redis is not None:
            self.redis.close()


def _redis(url: str | None, timeout_s: float) -> Redis | None:
    """A client for the readiness check and the job queue's depth (None without Redis)."""
    if not url:
        return None
    from redis import Redis

    return Redis.from_url(url, socket_timeout=timeout_s, socket_connect_timeout=timeout_s)


def _limiter(services: Services) -> RateLimiter:
    """Counters in Redis when ``redis_url`` is set (shared by workers), else in-process."""
    settings = services.settings
    limits = settings.limits
    store: WindowStore = (
        RedisStore.from_url(
            settings.redis_url,
            prefix=limits.redis_prefix,
            window_s=limits.window_s,
            timeout_s=limits.redis_timeout_s,
        )
        if settings.redis_url
        else InProcessStore()
    )
    return RateLimiter(
        store, limits, secret=auth_secret(settings), on_error=services.metrics.rate_limit_errors.inc
    )
