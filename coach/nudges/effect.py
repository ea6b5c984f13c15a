"""Does nudging work? Nudged vs hold-out learners, with confidence intervals.

Three outcomes, each a proportion over units, per group (the recorded hold-out draw):

- **on-time steps**: steps of approved paths due in the period (and by today); a success
  when the item was completed (or its session attended) on or before the step's due day,
  since the path was built (:mod:`coach.paths.progress`: an older completion of a course
  due for renewal does not count);
- **attendance**: enrolments in live sessions that started in the period (and by today);
  a success when the attendance sheet is signed;
- **reviews**: review cards reviewed in the period (successes) or due in the period and
  still not reviewed (failures).

Each group's rate comes with a Wilson score interval; the difference (nudged − hold-out)
with Newcombe's hybrid score interval (method 10 of Newcombe, 1998), both at 95%. Units
of one learner are treated as independent, which narrows the intervals when learners
differ a lot; the learner counts are reported beside the unit counts for that reason.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from coach import storage
from coach.paths.progress import first_done_on
from coach.paths.world import NoCatalog, World

Z95 = 1.959963984540054


@dataclass(frozen=True, slots=True)
class Rate:
    successes: int
    n: int
    rate: float | None
    low: float | None
    high: float | None


@dataclass(frozen=True, slots=True)
class Comparison:
    nudged: Rate
    holdout: Rate
    difference: float | None
    low: float | None
    high: float | None


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a proportion."""
    if n == 0:
        return (0.0, 1.0)
    p = successes / n
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    denominator = 1 + z * z / n
    return ((centre - spread) / denominator, (centre + spread) / denominator)


def rate(successes: int, n: int) -> Rate:
    low, high = wilson(successes, n)
    return Rate(successes, n, successes / n if n else None, low if n else None, high if n else None)


def compare(nudged: tuple[int, int], holdout: tuple[int, int], z: float = Z95) -> Comparison:
    """Both rates and the difference nudged − hold-out with Newcombe's hybrid interval."""
    a, b = rate(*nudged), rate(*holdout)
    if not a.n or not b.n:
        return Comparison(a, b, None, None, None)
    p1, p2 = a.rate or 0.0, b.rate or 0.0
    l1, u1 = wilson(*nudged, z)
    l2, u2 = wilson(*holdout, z)
    d = p1 - p2
    low = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return Comparison(a, b, d, low, high)


def effect_report(
    session: Session,
    *,
    org_id: str,
    since: date | None = None,
    until: date | None = None,
    today: date | None = None,
    world: World | None = None,
) -> dict[str, Any]:
    """The three outcomes of the organisation's nudged and hold-out learners."""
    settings = storage.org_settings(session, org_id=org_id).nudges
    tz = ZoneInfo(settings.timezone)
    today = today or datetime.now(tz).date()
    until = min(until or today, today)
    since = since or until - timedelta(days=90)
    groups = {u: r.holdout for u, r in storage.holdout_draws(session, org_id=org_id).items()}
    counts: dict[str, dict[bool, list[int]]] = {
        m: {True: [0, 0], False: [0, 0]} for m in ("on_time_steps", "attendance", "reviews")
    }

    def add(metric: str, user: str, ok: bool) -> None:
        if user in groups:
            cell = counts[metric][groups[user]]
            cell[0] += int(ok)
            cell[1] += 1

    days = storage.completion_days(session, org_id=org_id)
    for user, (built_on, steps) in storage.approved_path_steps(session, org_id=org_id).items():
        for s in steps:
            due = date.fromisoformat(s["end"])
            if since <= due <= until:
                finished = first_done_on(s, user, built_on, days)
                add("on_time_steps", user, finished is not None and finished <= due)
    _attendance(session, org_id, since, until, tz, world or World(), add)
    start = datetime.combine(since, time(), tz).astimezone(UTC)
    end = datetime.combine(until + timedelta(days=1), time(), tz).astimezone(UTC)
    for user, due, last in storage.review_card_dates(session, org_id=org_id):
        if last is not None and start <= last < end:
            add("reviews", user, True)
        elif start <= due < end and (last is None or last < due):
            add("reviews", user, False)
    metrics = {
        m: asdict(compare(tuple(c[False]), tuple(c[True])))  # type: ignore[arg-type]
        for m, c in counts.items()
    }
    return {
        "since": since,
        "until": until,
        "confidence": 0.95,
        "learners": {
            "nudged": sum(1 for h in groups.values() if not h),
            "holdout": sum(1 for h in groups.values() if h),
        },
        "holdout_share": settings.holdout_share,
        "metrics": metrics,
    }


def _attendance(
    session: Session,
    org_id: str,
    since: date,
    until: date,
    tz: ZoneInfo,
    world: World,
    add: Any,
) -> None:
    try:
        catalog = world.catalog(session, org_id)
    except NoCatalog:
        return
    days: Mapping[str, date] = {
        sid: (s.start if s.start.tzinfo else s.start.replace(tzinfo=tz)).astimezone(tz).date()
        for sid, s in catalog.sessions.items()
    }
    signed = {
        (a.session_id, a.user_id): a.signed for a in storage.attendance(session, org_id=org_id)
    }
    for e in storage.enrolments(session, org_id=org_id):
        day = days.get(e.session_id)
        if e.status == "enrolled" and day is not None and since <= day <= until:
            add("attendance", e.user_id, signed.get((e.session_id, e.user_id), False))
