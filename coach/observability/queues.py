"""Queue depths for ``/metrics``: nudge deliveries waiting in the database and jobs in rq."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from coach.observability.metrics import QueueSource

if TYPE_CHECKING:
    from redis import Redis


def nudge_deliveries(engine: Engine) -> QueueSource:
    """Nudges due and not yet sent (``due``), and those a worker is sending (``sending``)."""
    from coach.storage.nudge_backlog import nudge_backlog

    def depths() -> Mapping[tuple[str, str], int]:
        return {("nudge_deliveries", state): n for state, n in nudge_backlog(engine).items()}

    return depths


def rq_jobs(connection: Redis, queue: str) -> QueueSource:
    """Jobs waiting in the rq queue (``queued``) and scheduled for later (``scheduled``)."""
    from rq import Queue
    from rq.registry import ScheduledJobRegistry

    rq_queue = Queue(queue, connection=connection)
    scheduled = ScheduledJobRegistry(queue=rq_queue)

    def depths() -> Mapping[tuple[str, str], int]:
        return {
            (queue, "queued"): rq_queue.count,
            (queue, "scheduled"): scheduled.get_job_count(cleanup=False),
        }

    return depths
