"""The ``xapi-flush`` job of the nudges' job queue (:mod:`coach.nudges.queue`).

It sends what is due, then enqueues itself again in ``lrs.flush_every_s`` (one chain per
time slot, however many workers start one, as the nudges' ``sweep`` does). A row's
back-off lives in the database, so a lost job (a Redis flush) loses nothing: the next
worker start or ``blendcoach xapi flush`` sends it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coach.nudges.queue import Runtime


def flush_job(rt: Runtime, again: str = "yes") -> str:
    """Send the due statements to the LRS; come back later (``again``)."""
    forwarder = rt.xapi
    if forwarder is None:
        return "no LRS configured"
    report = forwarder.flush()
    if again == "yes":
        every = forwarder.cfg.flush_every_s
        at = datetime.now(UTC) + timedelta(seconds=every)
        slot = int(at.timestamp() // every)
        rt.queue.enqueue("xapi-flush", at=at, job_id=f"xapi-flush-{slot}")
    return report.summary()
