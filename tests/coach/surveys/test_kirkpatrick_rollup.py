"""The dashboard read from its rollup gives exactly the figures computed straight from the
raw tables (tests/utils/kirkpatrick_oracle.py), on organisations drawn at random with the
awkward cases: retaken and same-day tests, tests out of the period, steps of one skill in
two months, graded answers before, on and after the step days and the period's ends (mastery
gains), two courses with one title, an item out of the catalog, a disabled learner, a
learner without a profile; over periods inside a month, across month ends, month-aligned
and over a year. And it is a snapshot: what happens after it is built shows after a
refresh, a new catalog rebuilds it."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy.orm import Session

from coach import storage
from coach.storage.survey_models import SurveyAnswer, SurveyInstance
from coach.surveys import rollup
from coach.surveys.kirkpatrick import COLUMNS, kirkpatrick
from coach.surveys.templates import default_template
from tests.utils.kirkpatrick_oracle import FIGURES, oracle

START = date(2025, 10, 20)
TEAMS = ("Sales", "Support", "")
APPLIED = ("yes", "partly", "no", "no_opportunity")
SCORES = (0.25, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.75, 0.8, 0.9, 1.0)  # decimals: exact ties
PERIODS = [
    (date(2026, 1, 10), date(2026, 1, 10)),  # one day
    (date(2026, 1, 5), date(2026, 1, 25)),  # inside a month
    (date(2026, 1, 20), date(2026, 2, 10)),  # across a month end, no whole month
    (date(2026, 2, 1), date(2026, 2, 28)),  # one whole month
    (date(2026, 1, 1), date(2026, 3, 31)),  # whole months
    (date(2025, 12, 15), date(2026, 4, 3)),  # partial, whole months, partial
    (date(2025, 11, 28), date(2026, 11, 27)),  # the default: 365 days
    (date(2024, 1, 1), date(2024, 12, 31)),  # nothing happened
]


def _catalog(session: Session, org_id: str) -> list[str]:
    items = [
        {"id": "el-a", "title": "Alpha", "modality": "e-learning", "hours": 1, "skills": "s1:1"},
        {"id": "el-b", "title": "Beta", "modality": "e-learning", "hours": 1,
         "skills": "s1:1;s2:1"},
        {"id": "el-c", "title": "Twin", "modality": "virtual", "hours": 1, "skills": "s2:1"},
        {"id": "el-d", "title": "Twin", "modality": "coaching", "hours": 1, "skills": "s3:1"},
        {"id": "cl-e", "title": "Epsilon", "modality": "in-person", "hours": 7,
         "skills": "s3:1;s1:2"},
        {"id": "co-f", "title": "Phi", "modality": "coaching", "hours": 1},
    ]  # fmt: skip
    skills = [{"id": s, "label": s} for s in ("s1", "s2", "s3")]
    storage.save_catalog_rows(session, org_id=org_id, rows={"skill": skills, "item": items})
    return [i["id"] for i in items] + ["ghost"]  # ghost: recorded, not in the catalog


def _org(session: Session, seed: int) -> str:
    rng = random.Random(seed)
    org = storage.create_organisation(session, slug=f"org{seed}", name="Org")
    items = _catalog(session, org.id)
    boss = storage.create_user(session, org_id=org.id, external_id="boss", role="manager")
    learners = []
    for n in range(9):
        u = storage.create_user(session, org_id=org.id, external_id=f"l{n}")
        learners.append(u.id)
        if n != 8:  # l8 has no profile
            storage.save_learner_profile(session, org_id=org.id, user_id=u.id, role=None,
                                         team=TEAMS[n % 3], manager="boss", data={})  # fmt: skip
    storage.set_user_disabled(session, user_id=learners[7], disabled=True)
    forms = {
        (k, a): storage.survey_form_id(session, data=default_template(k, a).model_dump(mode="json"))
        for k, a in (("hot", "learner"), ("cold", "learner"), ("cold", "manager"))
    }
    edges = sorted({d for p in PERIODS for d in p} | {d + timedelta(days=1) for _, d in PERIODS})

    def day() -> date:  # a third on the periods' first and last days and the day after
        return rng.choice(edges) if rng.random() < 0.3 else START + timedelta(rng.randrange(420))

    records, instances, answers = [], [], []
    for _ in range(200):
        user, item, on = rng.choice(learners), rng.choice(items), day()
        kind = rng.choice(("completion", "attendance", "attendance", "none"))
        if kind != "none":
            records.append({"user_id": user, "kind": kind, "on": on, "item_id": item,
                            "attended": rng.random() < 0.8 if kind == "attendance" else None})  # fmt: skip
        for k, a in (("hot", "learner"), ("cold", "learner"), ("cold", "manager")):
            if rng.random() < 0.6:
                iid = str(uuid.uuid4())
                instances.append(SurveyInstance(
                    id=iid, org_id=org.id, key=iid, kind=k, audience=a,
                    respondent_id=boss.id if a == "manager" else user, subject_id=user,
                    item_id=item, session_id="", trigger="completion", trigger_on=on,
                    offset_days=0, opens_on=on, closes_on=on, status="closed",
                    form_id=forms[(k, a)],
                ))  # fmt: skip
                if rng.random() < 0.7:
                    hot = k == "hot"
                    answers.append(SurveyAnswer(
                        instance_id=iid, org_id=org.id, respondent_id=user, values={},
                        answered_on=on, satisfaction=rng.randint(1, 5) if hot else None,
                        usefulness=rng.choice((None, 1, 2, 3, 4, 5)) if hot else None,
                        confidence=rng.randint(1, 5) if hot else None,
                        change=None if hot else rng.choice((None, 1, 3, 5)),
                        applied=None if hot else rng.choice((None, *APPLIED)),
                    ))  # fmt: skip
        for phase in ("pre", "post") * rng.choice((0, 1, 1, 2)):  # none, a pair, a retake
            on_test = on + timedelta(days=rng.choice((-1, 0, 0, 3)))
            records.append({"user_id": user, "kind": "quiz", "on": on_test, "item_id": item,
                            "phase": phase, "score": rng.choice(SCORES)})  # fmt: skip
    rng.shuffle(records)  # same-day tests: the one recorded last wins
    storage.add_learning_records(session, org_id=org.id, records=records)
    session.add_all(instances)
    session.flush()
    session.add_all(answers)
    for user in learners:  # graded answers, which mastery over time is replayed from
        for skill in ("s1", "s2", "s3"):
            for _ in range(rng.choice((0, 1, 3, 6))):  # some on the step days, several a day
                at = datetime.combine(day(), time(rng.randrange(24)), UTC)
                storage.add_history(session, org_id=org.id, user_id=user, skill=skill,
                                    correct=rng.random() < 0.6, occurred_at=at)  # fmt: skip
    storage.save_business_kpis(
        session,
        org_id=org.id,
        rows=[
            {"team": t, "month": f"2026-{m:02d}", "indicator": i, "value": rng.randint(0, 99)}
            for t in ("Sales", "Support")
            for m in range(1, 12)
            for i in ("nps", "revenue")
            if rng.random() < 0.7
        ],
    )
    session.commit()
    return org.id


def _dashboard(session: Session, org_id: str, group_by: str, since: date, until: date):
    got = kirkpatrick(
        session, org_id=org_id, group_by=group_by, since=since, until=until, charts=False
    )  # type: ignore[arg-type]
    at = [COLUMNS.index(f) for f in FIGURES]
    return {r[0]: [r[k] for k in at] for r in got.levels.rows}, got.results.rows


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_rollup_gives_the_figures_computed_from_the_raw_tables(
    session: Session, seed: int
) -> None:
    org_id = _org(session, seed)
    seen, gains = 0, set()
    for group_by in ("course", "modality", "team"):
        for since, until in PERIODS:
            rows, results = _dashboard(session, org_id, group_by, since, until)
            want_rows, want_results = oracle(
                session, org_id=org_id, group_by=group_by, since=since, until=until
            )
            assert rows == want_rows, (group_by, since, until)
            assert results == want_results, (group_by, since, until)
            seen += len(rows)
            gains |= {r[FIGURES.index("mastery_gain")] for r in rows.values()}
    assert seen > 50  # the periods hold figures
    assert len(gains - {None}) > 10 and min(gains - {None}) < 0 < max(gains - {None})


def test_it_is_a_snapshot_refreshed_on_demand_and_rebuilt_for_a_new_catalog(
    session: Session,
) -> None:
    org_id = _org(session, 4)
    period = {"since": date(2025, 1, 1), "until": date(2027, 1, 1)}
    before = rollup.current(session, org_id=org_id)
    rows, _ = _dashboard(session, org_id, "course", **period)
    learner = storage.learner_profiles(session, org_id=org_id)[0][0]
    step = {"user_id": learner.id, "kind": "completion", "on": date(2026, 5, 5)}
    storage.add_learning_records(session, org_id=org_id, records=[{**step, "item_id": "new-item"}])
    assert "new-item" not in _dashboard(session, org_id, "course", **period)[0]  # as built
    again = rollup.refresh(session, org_id=org_id)
    assert again.built_at >= before.built_at
    assert "new-item" in _dashboard(session, org_id, "course", **period)[0]
    catalog = storage.catalog_rows(session, org_id=org_id)
    catalog["item"][0]["title"] = "Alpha, renamed"
    storage.save_catalog_rows(session, org_id=org_id, rows=catalog)
    renamed, _ = _dashboard(session, org_id, "course", **period)  # a new revision: rebuilt
    assert "Alpha, renamed" in renamed and "Alpha" not in renamed
    assert renamed["Alpha, renamed"] == rows["Alpha"]
