"""Mastery over time is replayed from the graded answers: its last value is the estimate
the service stores (``blendcoach mastery fit`` replays the same answers), and each day's
value is the estimate after that day's answers."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from coach import storage
from coach.learning.mastery import MasteryTracker, refit
from coach.learning.mastery_history import org_tracer, trajectories
from coach.storage.mastery_history import skill_evidence
from recommender.mastery import KnowledgeTracer
from tests.coach.surveys.conftest import Org


@pytest.mark.parametrize("answers", [40, 400])  # the prior tracer; a tracer fitted on them
def test_the_replay_ends_at_the_stored_estimates(session: Session, org: Org, answers: int) -> None:
    rng = random.Random(answers)
    t0 = datetime(2026, 1, 5, 8, tzinfo=UTC)
    for k in range(answers):
        who = rng.choice((org.ana, org.luc, org.eve))
        storage.add_history(
            session, org_id=org.id, user_id=who.id, skill=rng.choice(("gdpr", "nego")),
            correct=rng.random() < 0.65, occurred_at=t0 + timedelta(hours=7 * k),
        )  # fmt: skip
    report = refit(session, MasteryTracker(KnowledgeTracer.prior()), org_id=org.id)
    assert report.fitted == (answers >= 200)
    paths = trajectories(skill_evidence(session, org_id=org.id), org_tracer(session, org.id))
    stored = {
        (u, s): p
        for (u, s), p in storage.mastery_levels(session, org_id=org.id).items()
        if s != "*"
    }
    assert stored and {k: p.values[-1] for k, p in paths.items()} == stored
    one = paths[(org.ana.id, "gdpr")]
    assert list(one.days) == sorted(set(one.days))
    first = one.days[0]
    assert one.start_of(first) == one.start and one.end_of(first - timedelta(1)) == one.start
    assert one.end_of(date(2030, 1, 1)) == one.values[-1] == one.start_of(date(2030, 1, 1))
