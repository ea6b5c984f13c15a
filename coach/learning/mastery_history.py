"""Mastery over time: a learner's estimate of a skill on any past day, replayed from the
evidence.

``skill_mastery`` stores only the current estimate and no mastery history table exists,
so a past value is reconstructed the way ``blendcoach mastery fit`` rebuilds the stored
ones: the graded attempts (:func:`coach.storage.mastery_history.skill_evidence`) folded in
order into each skill's Bayesian Knowledge Tracing state with the organisation's tracer
(its fitted parameters, else the prior tracer the service starts with). A skill's
P(mastered) depends on its own attempts only, so each (learner, skill) is replayed alone.
Days are UTC dates of the attempts. Replayed with today's parameters, the last value is the
stored estimate whenever every update came from stored evidence (what the fit guarantees);
after a refit, the past is seen with the new parameters, as the stored estimates are.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from coach.learning.mastery import MasteryTracker
from recommender.mastery import KnowledgeTracer

_TRACKER = MasteryTracker(KnowledgeTracer.prior())  # the service's default (coach.services)


def org_tracer(session: Session, org_id: str) -> KnowledgeTracer:
    """The tracer the service updates the organisation's mastery with."""
    return _TRACKER.tracer(session, org_id)


@dataclass(frozen=True, slots=True)
class Trajectory:
    """One learner's P(mastered) of one skill over time: ``start`` before any evidence,
    ``values[k]`` at the end of ``days[k]`` (the days with evidence, in order)."""

    start: float
    days: tuple[date, ...]
    values: tuple[float, ...]

    def end_of(self, day: date) -> float:
        """P(mastered) at the end of ``day`` (all its evidence counted)."""
        k = bisect_right(self.days, day)
        return self.values[k - 1] if k else self.start

    def start_of(self, day: date) -> float:
        """P(mastered) at the start of ``day`` (before its evidence)."""
        k = bisect_left(self.days, day)
        return self.values[k - 1] if k else self.start


def trajectories(
    rows: Iterable[tuple[str, str, bool, datetime]], tracer: KnowledgeTracer
) -> dict[tuple[str, str], Trajectory]:
    """(learner, skill) → its trajectory, from evidence rows in time order per learner."""
    seen: dict[tuple[str, str], dict[date, float]] = defaultdict(dict)
    known: dict[tuple[str, str], float] = {}  # BKT's P(known) before the next attempt
    for user, skill, correct, when in rows:
        key = (user, skill)
        bkt = tracer.skill_params(skill)
        p = bkt.step(known.get(key, bkt.prior), correct)  # KnowledgeTracer.update's step
        known[key] = p
        day = (when.astimezone(UTC) if when.tzinfo else when).date()
        seen[key][day] = _clamp(p)
    return {
        (user, skill): Trajectory(
            _clamp(tracer.skill_params(skill).prior), tuple(by_day), tuple(by_day.values())
        )
        for (user, skill), by_day in seen.items()
    }


def _clamp(p: float) -> float:
    """P(known) as :meth:`KnowledgeTracer.mastery` reports it."""
    return min(max(p, 1e-3), 1 - 1e-3)
