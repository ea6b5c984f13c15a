"""The runtime guard's verdicts over time, from the event log (``guard.verdict``)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coach.storage.models import Event, utcnow

VERDICTS = ("pass", "revise", "block")


def guard_stats(
    session: Session, *, org_id: str, days: int, today: date | None = None
) -> dict[str, Any]:
    """Verdict counts per day and kind over the last ``days`` days, and the slop rate.

    The slop rate counts first drafts only (what the generator produced, before any
    rewrite or fallback): the share blocked, and the share that needed a revision.
    """
    today = today or utcnow().date()
    start = today - timedelta(days=days - 1)
    since = datetime.combine(start, datetime.min.time(), tzinfo=UTC)
    rows = session.execute(
        select(Event.created_at, Event.payload).where(
            Event.org_id == org_id, Event.type == "guard.verdict", Event.created_at >= since
        )
    )
    per_day: dict[tuple[date, str], Counter[str]] = defaultdict(Counter)
    reasons: Counter[str] = Counter()
    for created_at, payload in rows:
        if not payload.get("first", True):
            continue  # a rewrite or fallback of a draft already counted
        key = (created_at.date(), str(payload.get("kind", "answer")))
        per_day[key][str(payload.get("verdict"))] += 1
        for reason in payload.get("reasons", ()):
            reasons[str(reason).split(":", 1)[0]] += 1
    days_out = [
        {"day": day.isoformat(), "kind": kind, **_rates(counts)}
        for (day, kind), counts in sorted(per_day.items())
    ]
    totals: dict[str, Counter[str]] = defaultdict(Counter)
    for (_, kind), counts in per_day.items():
        totals[kind].update(counts)
    return {
        "from": start.isoformat(),
        "to": today.isoformat(),
        "days": days_out,
        "totals": {kind: _rates(counts) for kind, counts in sorted(totals.items())},
        "top_checks": dict(reasons.most_common(10)),
    }


def _rates(counts: Counter[str]) -> dict[str, Any]:
    n = sum(counts.values())
    return {
        "n": n,
        **{v: counts[v] for v in VERDICTS},
        "block_rate": round(counts["block"] / n, 4) if n else 0.0,
        "revise_rate": round(counts["revise"] / n, 4) if n else 0.0,
    }
