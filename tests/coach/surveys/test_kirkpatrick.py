"""The four levels against figures worked out by hand on a small organisation.

February-March 2026. Ana and Luc (Sales, managed by Bea) attend the Negotiation class on
2 March; Ana completes the GDPR e-learning the same day, Eve (Support) on 10 March.

Hot answers (satisfaction, usefulness, confidence): Ana/Negotiation 5 4 4, Luc/Negotiation
3 2 3, Ana/GDPR 4 4 5, Eve/GDPR 2 3 2. Cold learner answers (applied, change):
Ana/Negotiation yes 4, Luc/Negotiation no_opportunity 1, Ana/GDPR no 2, Eve/GDPR partly 3.
Bea's cold answers: about Ana yes 4, about Luc no 1. Pre/post: Ana/Negotiation .4 → .8,
Luc/Negotiation .5 → .6, Eve/GDPR .6 → .9, Ana/GDPR pre .7 in January (out of the period)
→ .9. Graded answers (the organisation's BKT: prior .2, learn .4, forget .1, no guess, no
slip, so a right answer makes mastery .9 and a wrong one .4): Ana nego wrong 1 March, right
2 March (mastery .4 at the start of her step, .9 at the end of March); Ana gdpr right in
January, wrong 20 March (.9 → .4); Eve gdpr wrong 10 March, right 12 March (.2, the prior,
at the start of her step → .9); Luc nego wrong 5 April (no answer by the end of March: not
counted). Confirmations (the managers
module's): Ana/Negotiation level 4, Luc/Negotiation no opportunity, Ana/GDPR level 2.
KPIs: Sales revenue 100 (Feb), 110 (Mar), 130 (Apr, out); Support nps 30 (Mar).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy.orm import Session

from coach import storage
from coach.surveys import answers
from coach.surveys.kirkpatrick import COLUMNS, kirkpatrick
from coach.surveys.sweep import open_due
from recommender.mastery import BKTParams, KnowledgeTracer
from tests.coach.surveys.conftest import DAY, Org, complete, sign

SINCE, UNTIL = date(2026, 2, 1), date(2026, 3, 31)
EVE_DAY = date(2026, 3, 10)


@dataclass(frozen=True)
class Conf:
    report_id: str
    item_id: str
    level: int | None


def _answer(
    session: Session,
    who: storage.Viewer,
    about: storage.Viewer,
    item: str,
    kind: str,
    day: date,
    values: dict,
) -> None:
    inst = next(
        i
        for i in storage.survey_instances(
            session, org_id=who.org_id, respondent_id=who.id, kind=kind
        )
        if i.subject_id == about.id and i.item_id == item
    )
    answers.submit(session, viewer=who, instance_id=inst.id, values=values, today=day, edit=False)


def _quiz(
    session: Session, org: Org, who: storage.Viewer, item: str, phase: str, score: float, on: date
) -> None:
    storage.add_learning_records(
        session,
        org_id=org.id,
        records=[
            {
                "user_id": who.id,
                "kind": "quiz",
                "on": on,
                "item_id": item,
                "phase": phase,
                "score": score,
            }
        ],
    )


@pytest.fixture
def world(session: Session, org: Org) -> Org:
    sign(session, org, org.ana, org.luc)
    complete(session, org, org.ana, "el-gdpr")
    complete(session, org, org.eve, "el-gdpr", EVE_DAY)
    open_due(session, org_id=org.id, today=DAY)
    open_due(session, org_id=org.id, today=EVE_DAY)
    hot = lambda s, u, c: {"satisfaction": s, "usefulness": u, "confidence": c}  # noqa: E731
    _answer(session, org.ana, org.ana, "cl-nego", "hot", DAY, hot(5, 4, 4))
    _answer(session, org.luc, org.luc, "cl-nego", "hot", DAY, hot(3, 2, 3))
    _answer(session, org.ana, org.ana, "el-gdpr", "hot", DAY, hot(4, 4, 5))
    _answer(
        session,
        org.eve,
        org.eve,
        "el-gdpr",
        "hot",
        EVE_DAY,
        {**hot(2, 3, 2), "comment": "Too long"},
    )
    d30, eve30 = DAY + timedelta(days=30), EVE_DAY + timedelta(days=30)
    open_due(session, org_id=org.id, today=d30)
    open_due(session, org_id=org.id, today=eve30)
    cold = lambda a, c: {"applied": a, "change": c}  # noqa: E731
    _answer(session, org.ana, org.ana, "cl-nego", "cold", eve30, cold("yes", 4))
    _answer(session, org.luc, org.luc, "cl-nego", "cold", eve30, cold("no_opportunity", 1))
    _answer(session, org.ana, org.ana, "el-gdpr", "cold", eve30, cold("no", 2))
    _answer(session, org.eve, org.eve, "el-gdpr", "cold", eve30, cold("partly", 3))
    _answer(session, org.bea, org.ana, "cl-nego", "cold", eve30, cold("yes", 4))
    _answer(session, org.bea, org.luc, "cl-nego", "cold", eve30, cold("no", 1))
    for who, item, pre, post, on in (
        (org.ana, "cl-nego", 0.4, 0.8, DAY),
        (org.luc, "cl-nego", 0.5, 0.6, DAY),
        (org.eve, "el-gdpr", 0.6, 0.9, EVE_DAY),
    ):
        _quiz(session, org, who, item, "pre", pre, on - timedelta(days=1))
        _quiz(session, org, who, item, "post", post, on)
    _quiz(session, org, org.ana, "el-gdpr", "pre", 0.7, date(2026, 1, 20))
    _quiz(session, org, org.ana, "el-gdpr", "post", 0.9, DAY)
    tracer = KnowledgeTracer.prior()  # the organisation's tracer: BKT with simple numbers
    tracer.bkt_default_ = BKTParams(prior=0.2, learn=0.4, forget=0.1, guess=0.0, slip=0.0)
    storage.save_model_params(
        session, org_id=org.id, params={"tracer": tracer.to_json()}, n_attempts=0
    )
    for who, skill, correct, on in (
        (org.ana, "nego", False, date(2026, 3, 1)),
        (org.ana, "nego", True, DAY),
        (org.ana, "gdpr", True, date(2026, 1, 15)),
        (org.ana, "gdpr", False, date(2026, 3, 20)),
        (org.eve, "gdpr", False, EVE_DAY),
        (org.eve, "gdpr", True, date(2026, 3, 12)),
        (org.luc, "nego", False, date(2026, 4, 5)),
    ):
        at = datetime.combine(on, time(10), UTC)
        storage.add_history(
            session, org_id=org.id, user_id=who.id, skill=skill, correct=correct, occurred_at=at
        )
    storage.save_business_kpis(
        session,
        org_id=org.id,
        rows=[
            {"team": "Sales", "month": "2026-02", "indicator": "revenue", "value": 100.0},
            {"team": "Sales", "month": "2026-03", "indicator": "revenue", "value": 110.0},
            {"team": "Sales", "month": "2026-04", "indicator": "revenue", "value": 130.0},
            {"team": "Support", "month": "2026-03", "indicator": "nps", "value": 30.0},
        ],
    )
    session.commit()
    return org


def _confirmations(org: Org):
    def fn(session: Session, *, org_id: str, since: date, until: date) -> list[Conf]:
        assert (org_id, since, until) == (org.id, SINCE, UNTIL + timedelta(days=1))
        return [
            Conf(org.ana.id, "cl-nego", 4),
            Conf(org.luc.id, "cl-nego", None),
            Conf(org.ana.id, "el-gdpr", 2),
        ]

    return fn


def _rows(session: Session, org: Org, group_by: str, **kw) -> dict[str, dict]:
    got = kirkpatrick(session, org_id=org.id, group_by=group_by, since=SINCE, until=UNTIL, **kw)  # type: ignore[arg-type]
    return {r[0]: dict(zip(COLUMNS, r, strict=True)) for r in got.levels.rows}


# Worked out by hand from the module docstring's data.
GDPR = {
    "reaction_n": 2, "satisfaction": 3.0, "usefulness": 3.5, "confidence": 3.5,
    "learning_n": 1, "pre": 0.6, "post": 0.9, "gain": 30.0,
    "mastery_n": 2, "mastery_before": 0.55, "mastery_after": 0.65, "mastery_gain": 10.0,
    "behaviour_n": 2, "applied_rate": 0.5, "change": 2.5, "manager_n": 0,
    "manager_applied_rate": None, "confirmations_n": 1, "confirmed_rate": 0.0,
}  # fmt: skip
NEGOTIATION = {
    "reaction_n": 2, "satisfaction": 4.0, "usefulness": 3.0, "confidence": 3.5,
    "learning_n": 2, "pre": 0.45, "post": 0.7, "gain": 25.0,
    "mastery_n": 1, "mastery_before": 0.4, "mastery_after": 0.9, "mastery_gain": 50.0,
    "behaviour_n": 2, "applied_rate": 1.0, "change": 2.5, "manager_n": 2,
    "manager_applied_rate": 0.5, "confirmations_n": 1, "confirmed_rate": 1.0,
}  # fmt: skip
SALES = {
    "reaction_n": 3, "satisfaction": 4.0, "usefulness": 3.33, "confidence": 4.0,
    "learning_n": 2, "pre": 0.45, "post": 0.7, "gain": 25.0,
    "mastery_n": 2, "mastery_before": 0.65, "mastery_after": 0.65, "mastery_gain": 0.0,
    "behaviour_n": 3, "applied_rate": 0.5, "change": 2.33, "manager_n": 2,
    "manager_applied_rate": 0.5, "confirmations_n": 2, "confirmed_rate": 0.5,
}  # fmt: skip
SUPPORT = {
    "reaction_n": 1, "satisfaction": 2.0, "usefulness": 3.0, "confidence": 2.0,
    "learning_n": 1, "pre": 0.6, "post": 0.9, "gain": 30.0,
    "mastery_n": 1, "mastery_before": 0.2, "mastery_after": 0.9, "mastery_gain": 70.0,
    "behaviour_n": 1, "applied_rate": 1.0, "change": 3.0, "manager_n": 0,
    "manager_applied_rate": None, "confirmations_n": 0, "confirmed_rate": None,
}  # fmt: skip


def _close(got: dict, want: dict) -> None:
    for k, v in want.items():
        assert got[k] == pytest.approx(v) if v is not None else got[k] is None, k


def test_levels_per_course_match_the_hand_computed_figures(session: Session, world: Org) -> None:
    rows = _rows(session, world, "course", confirmations=_confirmations(world))
    assert set(rows) == {"GDPR basics", "Negotiation"}
    _close(rows["GDPR basics"], GDPR)
    _close(rows["Negotiation"], NEGOTIATION)


def test_levels_per_team_and_modality(session: Session, world: Org) -> None:
    teams = _rows(session, world, "team", confirmations=_confirmations(world))
    _close(teams["Sales"], SALES)
    _close(teams["Support"], SUPPORT)
    modes = _rows(session, world, "modality", confirmations=_confirmations(world))
    assert set(modes) == {"e-learning", "in-person"}
    _close(modes["e-learning"], GDPR)
    _close(modes["in-person"], NEGOTIATION)


def test_without_confirmations_their_columns_are_empty_and_results_follow_teams(
    session: Session, world: Org
) -> None:
    got = kirkpatrick(session, org_id=world.id, group_by="course", since=SINCE, until=UNTIL)
    rows = {r[0]: dict(zip(COLUMNS, r, strict=True)) for r in got.levels.rows}
    assert (
        rows["Negotiation"]["confirmations_n"] == 0
        and rows["Negotiation"]["confirmed_rate"] is None
    )
    assert got.results.rows == [
        ("GDPR basics", "Sales", "revenue", "", "2026-02", 100.0, "2026-03", 110.0, 10.0),
        ("GDPR basics", "Support", "nps", "", "2026-03", 30.0, "2026-03", 30.0, 0.0),
        ("Negotiation", "Sales", "revenue", "", "2026-02", 100.0, "2026-03", 110.0, 10.0),
    ]
    titles = [c.alt.split(".")[0] for c in got.charts]
    assert titles == [
        "Reaction (1-5) by course",
        "Learning: pre/post by course",
        "Learning: mastery before/after by course",
        "Behaviour: applying it on the job by course",
        "Results: nps",
        "Results: revenue",
    ]
    assert all(c.svg.startswith("<svg") for c in got.charts)
    march = kirkpatrick(
        session, org_id=world.id, group_by="team", since=date(2026, 3, 5), until=UNTIL
    )
    only = {r[0]: r for r in march.levels.rows}
    assert set(only) == {"Support"}  # the 2 March steps are out of this period


def test_learning_counts_pairs_as_the_admin_tools_progression_does(
    session: Session, world: Org
) -> None:
    from coach.admin.org import OrgData, Scope
    from coach.admin.tools.learning import progression
    from coach.paths import World

    rows = _rows(session, world, "course")
    org = OrgData(session, org_id=world.id, world=World(), today=UNTIL)
    org.__dict__["records"] = {
        u: [r for r in recs if SINCE <= r.on <= UNTIL] for u, recs in org.records.items()
    }
    for item, title in (("cl-nego", "Negotiation"), ("el-gdpr", "GDPR basics")):
        tool = progression(org, item, Scope()).answer
        mine = rows[title]
        assert (mine["learning_n"], mine["pre"], mine["post"]) == (
            tool["n"],
            tool["pre"],
            tool["post"],
        )
        assert mine["gain"] == round(tool["gain"] * 100, 1)


def test_mastery_gain_runs_from_the_first_step_to_the_end_of_the_period(
    session: Session, world: Org
) -> None:
    """Worked out by hand from the module docstring's answers, over other periods."""

    def mastery(group_by: str, since: date, until: date) -> dict[str, list]:
        got = kirkpatrick(
            session, org_id=world.id, group_by=group_by, since=since, until=until, charts=False
        )  # type: ignore[arg-type]
        at = COLUMNS.index("mastery_n")
        return {r[0]: r[at : at + 4] for r in got.levels.rows}

    # Eve's step on 10 March: her wrong answer that day (.4) is at the period's end
    assert mastery("team", EVE_DAY, date(2026, 3, 11))["Support"] == [1, 0.2, 0.4, 20.0]
    assert mastery("team", date(2026, 3, 5), date(2026, 3, 15))["Support"] == [1, 0.2, 0.9, 70.0]
    # through April, Luc's answer of 5 April counts: from the prior .2 at his step to .4
    assert mastery("course", SINCE, date(2026, 4, 30))["Negotiation"] == [2, 0.3, 0.65, 35.0]
    # from 3 March, Ana's steps of 2 March are out: her later answers alone count nothing
    assert mastery("team", date(2026, 3, 3), UNTIL).get("Sales") is None
