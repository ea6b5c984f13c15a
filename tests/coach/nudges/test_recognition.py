"""Recognition nudges from completions and from measured mastery crossing a skill level
(table-driven), one per skill level when both reach it.

The organisation's tracer is BKT with simple numbers (prior .2, learn .4, no guess, no
slip): a right answer makes mastery ``1 - forget`` and a wrong one .4. Skill ``excel`` has
3 levels: mastery maps onto them as the gap analysis does (level ``int(p / .95 * 3)``: .2
is 0, .4 is 1, .9 is 2, .999 is 3), at most one level above what completions prove
(``el-excel`` teaches level 2). Planning day ``DAY``; the window is the 7 days before.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from coach import storage
from coach.learning.mastery import MasteryTracker, refit
from coach.nudges.gather import learner_states
from coach.nudges.rules import learner_candidates
from coach.paths import World
from recommender.mastery import BKTParams, KnowledgeTracer
from tests.coach.nudges.conftest import DAY, Org

D = lambda n: DAY - timedelta(days=n)  # noqa: E731

CASES = {
    # name: (forget, completions (item, day), answers (skill, right, day), want (skill, level, day))
    "mastery crosses level 1, capped one above no completion": (
        0.1, [], [("excel", True, D(1))], [("excel", 1, D(1))]),
    "crossed before the window: nothing new": (
        0.1, [], [("excel", True, D(10))], []),
    "already at the capped level before the window": (
        0.1, [], [("excel", False, D(10)), ("excel", True, D(1))], []),
    "a dip after the crossing changes nothing": (
        0.1, [], [("excel", True, D(2)), ("excel", False, D(1))], [("excel", 1, D(2))]),
    "completion and mastery at the same level: one recognition": (
        0.1, [("el-excel", D(2))], [("excel", True, D(1))], [("excel", 2, D(2))]),
    "mastery one level above an older completion": (
        0.0, [("el-excel", D(30))], [("excel", True, D(3))], [("excel", 3, D(3))]),
    "a completion alone, as before": (
        0.1, [("el-excel", D(1))], [], [("excel", 2, D(1))]),
    "a skill outside the catalog": (
        0.1, [], [("cooking", True, D(1))], []),
    "answers after the planning day do not count": (
        0.1, [], [("excel", True, DAY + timedelta(days=1))], []),
}  # fmt: skip


def _setup(session: Session, org: Org, forget: float, completions: list, answers: list) -> None:
    tracer = KnowledgeTracer.prior()
    tracer.bkt_default_ = BKTParams(prior=0.2, learn=0.4, forget=forget, guess=0.0, slip=0.0)
    storage.save_model_params(
        session, org_id=org.id, params={"tracer": tracer.to_json()}, n_attempts=0
    )
    storage.add_learning_records(
        session,
        org_id=org.id,
        records=[
            {"user_id": org.ana, "kind": "completion", "on": on, "item_id": item}
            for item, on in completions
        ],
    )
    for skill, right, on in answers:
        storage.add_history(
            session, org_id=org.id, user_id=org.ana, skill=skill, correct=right,
            occurred_at=datetime.combine(on, time(10), UTC),
        )  # fmt: skip
    # the stored estimates, as `blendcoach mastery import` leaves them (no fit: too few)
    refit(session, MasteryTracker(KnowledgeTracer.prior()), org_id=org.id, min_attempts=10**6)


@pytest.mark.parametrize("case", list(CASES))
def test_levels_reached(db_engine: Engine, org: Org, case: str) -> None:
    forget, completions, answers, want = CASES[case]
    with Session(db_engine) as session, session.begin():
        _setup(session, org, forget, completions, answers)
        catalog = World().catalog(session, org.id)
        states = learner_states(
            session, org_id=org.id, day=DAY, org_zone="Europe/Paris", catalog=catalog
        )
    ana = next(s for s in states if s.user_id == org.ana)
    assert [(r.skill, r.level, r.on) for r in ana.reached] == want
    luc = next(s for s in states if s.user_id == org.luc)  # his completion of the fixture
    assert [(r.skill, r.level) for r in luc.reached] == [("excel", 2)]
    keys = {
        (c.user_id, c.key)
        for c in learner_candidates(ana, day=DAY, tz=ZoneInfo("Europe/Paris"))
        if c.kind.startswith("skill.reached")
    }
    assert keys == {
        k
        for skill, level, on in want
        if (DAY - on).days <= 3  # the rule's recognition window
        for k in (
            (org.ana, f"skill.reached:{skill}:{level}"),
            (org.tom, f"skill.reached.manager:{org.ana}:{skill}:{level}"),
        )
    }


def test_the_reason_says_when_mastery_reached_the_level(db_engine: Engine, org: Org) -> None:
    with Session(db_engine) as session, session.begin():
        _setup(session, org, 0.1, [], [("excel", False, D(3)), ("excel", True, D(2))])
        states = learner_states(
            session, org_id=org.id, day=DAY, org_zone="Europe/Paris",
            catalog=World().catalog(session, org.id),
        )  # fmt: skip
    ana = next(s for s in states if s.user_id == org.ana)
    (nudge, told) = [
        c
        for c in learner_candidates(ana, day=DAY, tz=ZoneInfo("Europe/Paris"))
        if c.kind.startswith("skill.reached")
    ]
    assert nudge.reason == f"reached level 1 of excel on {D(3)}"  # the wrong answer: .4
    assert nudge.link == "/me/skills?skill=excel" and told.user_id == org.tom
    assert date.fromisoformat(nudge.reason.rsplit(" ", 1)[1]) == D(3)
