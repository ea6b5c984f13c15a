"""The scheduler: planning and delivery jobs on rq (Redis), or in-process without Redis.

Jobs are named and take plain string arguments, so an rq job is just
``run_job("deliver", nudge_id)`` stored in Redis: it outlives the service process that
enqueued it and runs in whichever worker takes it. The database stays the source of
truth: every job is idempotent (planning twice adds nothing, a delivery is claimed once),
and the ``sweep`` job delivers any due row whose job was lost (a Redis flush), so a job
run twice or never still sends each nudge exactly once.

- ``plan ORG_ID DAY``: plan the organisation's day, then enqueue a delivery per new row
  at its send time;
- ``deliver NUDGE_ID``: deliver one row; a retry is enqueued again at its back-off time;
- ``sweep``: deliver every due row, then come back in ``SWEEP_EVERY``;
- ``daily``: enqueue ``plan`` for every organisation, then come back the next day;
- ``xapi-flush``: send the xAPI outbox to the LRS, then come back (:mod:`coach.xapi_lrs.jobs`).

A worker process calls :func:`configure` with its :class:`Runtime` (database, engine,
queue) before it takes jobs: ``blendcoach nudges worker`` does.
"""

from __future__ import annotations

import heapq
import itertools
import time as _time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from coach import storage
from coach.nudges.engine import NudgeEngine
from coach.xapi_lrs.jobs import flush_job
from coach.xapi_lrs.sender import Forwarder

SWEEP_EVERY = timedelta(minutes=5)
DAILY_AT = time(3, 0)  # UTC: before the morning in Europe, after midnight in the Americas


class JobQueue(ABC):
    """Where jobs wait for a worker."""

    @abstractmethod
    def enqueue(
        self, job: str, *args: str, at: datetime | None = None, job_id: str | None = None
    ) -> None:
        """Run ``job(*args)`` once ``at`` has come (now when None); ``job_id`` dedupes."""

    @abstractmethod
    def work(self, *, burst: bool = False) -> None:
        """Run jobs as they come due (``burst``: only those due now, then return)."""

    def close(self) -> None:  # noqa: B027 - the in-process queue holds nothing open
        """Release connections."""


@dataclass
class Runtime:
    """What jobs run with in a worker process."""

    db: Engine
    nudges: NudgeEngine
    queue: JobQueue
    xapi: Forwarder | None = None
    """The xAPI outbox's sender (None: no LRS configured)."""


_runtime: Runtime | None = None


def configure(runtime: Runtime | None) -> None:
    """Give this process's jobs their database, engine and queue (None: forget them)."""
    global _runtime
    _runtime = runtime


def current() -> Runtime:
    if _runtime is None:
        raise RuntimeError("no nudge runtime in this process: call coach.nudges.queue.configure")
    return _runtime


def run_job(job: str, *args: str) -> str:
    """The one function workers execute: the named job with its arguments."""
    return JOBS[job](current(), *args)


def plan_job(rt: Runtime, org_id: str, day: str) -> str:
    with Session(rt.db) as session, session.begin():
        report = rt.nudges.plan_day(session, org_id=org_id, day=date.fromisoformat(day))
    for nudge_id, at in report.added.items():
        rt.queue.enqueue("deliver", nudge_id, at=at, job_id=f"deliver-{nudge_id}")
    return f"planned {len(report.added)} rows: {report.counts}"


def deliver_job(rt: Runtime, nudge_id: str) -> str:
    outcome = rt.nudges.deliver(rt.db, nudge_id=nudge_id)
    if outcome in ("retry", "not_due_or_taken"):
        with Session(rt.db) as session:
            row = session.get(storage.Nudge, nudge_id)
            waiting = (
                row is not None and row.status == "planned" and row.send_at > rt.nudges.clock()
            )
            if row is not None and waiting:  # back-off, or a job that ran early
                attempt = f"deliver-{nudge_id}-{row.attempts}"
                rt.queue.enqueue("deliver", nudge_id, at=row.send_at, job_id=attempt)
    return outcome


def sweep_job(rt: Runtime, again: str = "yes") -> str:
    now = rt.nudges.clock()
    lease = timedelta(seconds=rt.nudges.delivery.lease_s)
    with Session(rt.db) as session:
        due = storage.due_nudge_ids(session, now=now, lease=lease, limit=100_000)
    outcomes = [rt.nudges.deliver(rt.db, nudge_id=i, now=now) for i in due]
    if again == "yes":
        at = now + SWEEP_EVERY  # one chain per minute slot, however many workers start one
        rt.queue.enqueue("sweep", at=at, job_id=f"nudges-sweep-{at:%Y%m%d%H%M}")
    return f"swept {len(due)}: {sorted(set(outcomes))}"


def daily_job(rt: Runtime, again: str = "yes") -> str:
    now = rt.nudges.clock()
    with Session(rt.db) as session:
        orgs = [o.id for o in storage.list_organisations(session)]
    for org_id in orgs:
        rt.queue.enqueue("plan", org_id, now.date().isoformat(), job_id=f"plan-{org_id}-{now:%F}")
    if again == "yes":
        tomorrow = datetime.combine(now.date() + timedelta(days=1), DAILY_AT, UTC)
        rt.queue.enqueue("daily", at=tomorrow, job_id=f"nudges-daily-{tomorrow:%Y%m%d}")
    return f"planning {len(orgs)} organisations"


JOBS: dict[str, Callable[..., str]] = {
    "plan": plan_job,
    "deliver": deliver_job,
    "sweep": sweep_job,
    "daily": daily_job,
    "xapi-flush": flush_job,  # the xAPI outbox to the LRS (coach.xapi_lrs.jobs)
}


class InProcessQueue(JobQueue):
    """The fallback without Redis: a time-ordered heap run by :meth:`work` in this process
    (jobs do not outlive it; the ``sweep`` job recovers due rows after a restart)."""

    def __init__(self, clock: Callable[[], datetime] | None = None) -> None:
        self.clock = clock or (lambda: datetime.now(UTC))
        self._heap: list[tuple[datetime, int, str, tuple[str, ...], str | None]] = []
        self._seq = itertools.count()
        self._ids: set[str] = set()
        self.done: list[tuple[str, tuple[str, ...], str]] = []

    def enqueue(
        self, job: str, *args: str, at: datetime | None = None, job_id: str | None = None
    ) -> None:
        if job not in JOBS:
            raise ValueError(f"unknown job {job!r}")
        if job_id is not None:
            if job_id in self._ids:
                return
            self._ids.add(job_id)
        heapq.heappush(self._heap, (at or self.clock(), next(self._seq), job, args, job_id))

    def pending(self) -> int:
        return len(self._heap)

    def run_due(self) -> int:
        """Run every job due now (and those they enqueue due now); how many ran."""
        n = 0
        while self._heap and self._heap[0][0] <= self.clock():
            _, _, job, args, job_id = heapq.heappop(self._heap)
            if job_id is not None:
                self._ids.discard(job_id)
            self.done.append((job, args, run_job(job, *args)))
            n += 1
        return n

    def work(self, *, burst: bool = False) -> None:
        while True:
            self.run_due()
            if burst:
                return
            _time.sleep(1.0)


class RedisQueue(JobQueue):
    """rq on Redis: jobs live in Redis, survive the service's restarts, run in workers."""

    def __init__(
        self,
        url: str,
        name: str,
        *,
        retries: int = 3,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        from redis import Redis
        from rq import Queue

        self.redis = Redis.from_url(url)
        self.name = name
        self.queue = Queue(name, connection=self.redis)
        self.retries = retries
        self.clock = clock or (lambda: datetime.now(UTC))

    def enqueue(
        self, job: str, *args: str, at: datetime | None = None, job_id: str | None = None
    ) -> None:
        from rq import Retry

        if job not in JOBS:
            raise ValueError(f"unknown job {job!r}")
        options: dict[str, Any] = {
            "job_id": f"{self.name}-{job_id}" if job_id else None,
            # a job that raises (database unreachable) is retried by rq with back-off
            "retry": Retry(max=self.retries, interval=[10, 60, 300]),
            "result_ttl": 3600,
            "failure_ttl": 7 * 86400,
        }
        wait = None if at is None else at - self.clock()
        if wait is not None and wait > timedelta(0):  # relative: the engine's clock decides
            self.queue.enqueue_in(wait, run_job, job, *args, **options)
        else:
            self.queue.enqueue(run_job, job, *args, **options)

    def work(self, *, burst: bool = False, name: str | None = None) -> None:
        from rq import SimpleWorker

        # SimpleWorker runs jobs in this process: no fork, so the database pool and the
        # configured runtime stay valid (one worker process per core for more throughput).
        worker = SimpleWorker([self.queue], connection=self.redis, name=name)
        worker.work(burst=burst, with_scheduler=True)

    def close(self) -> None:
        self.redis.close()


def make_queue(
    redis_url: str | None, name: str, clock: Callable[[], datetime] | None = None
) -> JobQueue:
    """rq on ``redis_url``, or the in-process fallback when there is none."""
    return RedisQueue(redis_url, name, clock=clock) if redis_url else InProcessQueue(clock)
