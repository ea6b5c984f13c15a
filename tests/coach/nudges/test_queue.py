"""The scheduler on the real Redis (rq) and in-process: jobs outlive the process that
enqueued them, and retries or a restart mid-run never send a nudge twice."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from redis import Redis
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from coach import storage
from coach.nudges.channels import FakeChannel, FeedChannel
from coach.nudges.engine import NudgeEngine
from coach.nudges.queue import InProcessQueue, RedisQueue, Runtime, configure, make_queue
from tests.coach.nudges.conftest import DAY, NOW, Org

REDIS_URL = os.environ.get("BLENDCOACH_TEST_REDIS", "redis://127.0.0.1:6379/9")
AFTER = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # every row of the fixture is due by then


class Clock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def queue_name() -> Iterator[str]:
    """A queue of its own per test; every Redis key it made is deleted afterwards."""
    name = f"bc-test-{uuid.uuid4().hex[:10]}"
    yield name
    redis = Redis.from_url(REDIS_URL)
    for key in redis.scan_iter(f"*{name}*"):
        redis.delete(key)
    redis.srem("rq:queues", f"rq:queue:{name}")
    redis.close()
    configure(None)


def statuses(db: Engine) -> Counter[str]:
    with Session(db) as session:
        return Counter(session.scalars(select(storage.Nudge.status)))


def test_in_process_fallback_plans_then_delivers_when_due(db_engine: Engine, org: Org) -> None:
    clock, email = Clock(NOW), FakeChannel("email")
    nudges = NudgeEngine(channels={"feed": FeedChannel(), "email": email}, clock=clock)
    queue = make_queue(None, "unused", clock)
    assert isinstance(queue, InProcessQueue)
    configure(Runtime(db_engine, nudges, queue))
    try:
        queue.enqueue("plan", org.id, DAY.isoformat(), job_id="plan-1")
        queue.enqueue("plan", org.id, DAY.isoformat(), job_id="plan-1")  # deduped by id
        assert queue.run_due() == 1 and queue.pending() == 9  # one delivery job per row
        assert statuses(db_engine) == {"planned": 9}
        clock.at = AFTER
        queue.run_due()
        assert statuses(db_engine) == {"sent": 9} and len(email.sent) == 3
        for row_id in [m.nudge_id for m in email.sent]:  # injected retries
            queue.enqueue("deliver", row_id)
        queue.enqueue("sweep", "no")
        queue.run_due()
        assert len(email.sent) == 3
    finally:
        configure(None)


def _enqueue_from_another_process(name: str, org_id: str) -> None:
    """The service enqueues the day's planning, then stops (its process is gone)."""
    code = (  # rq names the function by its import path: the service need not be imported
        "from redis import Redis\nfrom rq import Queue\n"
        f"r = Redis.from_url({REDIS_URL!r})\n"
        f"Queue({name!r}, connection=r).enqueue('coach.nudges.queue.run_job', 'plan', "
        f"{org_id!r}, {DAY.isoformat()!r}, job_id={name + '-plan'!r})\n"
        "r.close()\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_rq_jobs_survive_the_service_and_a_restart_mid_run(
    db_engine: Engine, org: Org, queue_name: str
) -> None:
    _enqueue_from_another_process(queue_name, org.id)
    email = FakeChannel("email", fail_times=1)  # the SMTP server refuses the first mail
    clock = Clock(AFTER)
    nudges = NudgeEngine(channels={"feed": FeedChannel(), "email": email}, clock=clock)
    # a worker starts, plans and delivers two jobs' worth, then the service restarts
    first = RedisQueue(REDIS_URL, queue_name, clock=clock)
    configure(Runtime(db_engine, nudges, first))
    from rq import SimpleWorker

    SimpleWorker([first.queue], connection=first.redis, name=f"{queue_name}-w1").work(
        burst=True, max_jobs=3
    )
    first.close()
    mid = statuses(db_engine)
    assert 0 < mid["sent"] < 9
    # after the restart: new connection and queue objects, the same Redis
    second = RedisQueue(REDIS_URL, queue_name, clock=clock)
    configure(Runtime(db_engine, nudges, second))
    second.enqueue("plan", org.id, DAY.isoformat(), job_id="plan-again")  # a retried job
    second.work(burst=True, name=f"{queue_name}-w2")
    with Session(db_engine) as session:
        ids = list(session.scalars(select(storage.Nudge.id)))
    assert statuses(db_engine) == {"sent": 8, "planned": 1}  # the refused mail backs off
    clock.at = AFTER.replace(minute=5)  # past its back-off
    for row_id in ids:  # every delivery job retried once more
        second.enqueue("deliver", row_id, job_id=f"again-{row_id}")
    second.work(burst=True, name=f"{queue_name}-w3")
    second.close()
    assert statuses(db_engine) == {"sent": 9}
    assert Counter(m.nudge_id for m in email.sent).most_common(1)[0][1] == 1
    assert len(email.sent) == 3 and email.calls == 4  # one refusal, retried after back-off


def test_a_retry_waits_for_its_back_off_in_redis(
    db_engine: Engine, org: Org, queue_name: str
) -> None:
    clock = Clock(AFTER)
    email = FakeChannel("email", fail_times=99)
    nudges = NudgeEngine(channels={"feed": FeedChannel(), "email": email}, clock=clock)
    queue = RedisQueue(REDIS_URL, queue_name, clock=clock)
    configure(Runtime(db_engine, nudges, queue))
    queue.enqueue("plan", org.id, DAY.isoformat(), job_id="plan")
    queue.work(burst=True, name=f"{queue_name}-w")
    assert statuses(db_engine) == {"sent": 6, "planned": 3}  # e-mails back off for a minute
    from rq.registry import ScheduledJobRegistry

    assert len(ScheduledJobRegistry(queue=queue.queue)) == 3
    queue.close()
