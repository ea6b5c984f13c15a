"""How many nudges wait for delivery (the ``/metrics`` queue depth, read at scrape time)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, and_, func, or_, select

from coach.storage.models import utcnow
from coach.storage.nudge_models import Nudge


def nudge_backlog(engine: Engine, *, now: datetime | None = None) -> dict[str, int]:
    """``due``: planned and past their send time; ``sending``: claimed, not yet sent."""
    now = now or utcnow()
    waiting = or_(Nudge.status == "sending", and_(Nudge.status == "planned", Nudge.send_at <= now))
    query = select(Nudge.status, func.count()).where(waiting).group_by(Nudge.status)
    with engine.connect() as conn:
        counts = {status: int(n) for status, n in conn.execute(query)}
    return {"due": counts.get("planned", 0), "sending": counts.get("sending", 0)}
