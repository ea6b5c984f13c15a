"""The Kirkpatrick dashboard's figures computed straight from the raw tables, row by row in
Python, following the definitions (coach.surveys.levels.DEFINITIONS) as the dashboard
computed them before its rollup: the oracle the rollup's figures are checked against.

Nothing here reads the rollup or its helpers: raw ORM rows, ``statistics.mean`` and sets.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date
from fractions import Fraction
from statistics import mean
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coach import storage
from coach.learning.mastery import MasteryTracker
from coach.paths import World
from coach.storage.path_models import LearnerProfile, LearningRecord
from coach.storage.survey_models import SurveyAnswer, SurveyInstance
from coach.surveys.templates import APPLIED
from recommender.mastery import KnowledgeTracer, LearnerState, SkillState


def _avg(values: list[float], digits: int) -> float | None:
    return round(mean(values), digits) if values else None


def _rate(values: list[str]) -> float | None:
    said = [v for v in values if v != "no_opportunity"]
    return round(sum(v in APPLIED for v in said) / len(said), 4) if said else None


def _first(firsts: dict[tuple[str, str], date], pair: tuple[str, str], on: date) -> None:
    if pair not in firsts or on < firsts[pair]:
        firsts[pair] = on


def _graded(session: Session, org_id: str) -> dict[tuple[str, str], list[tuple[date, bool]]]:
    """(learner, skill) → (UTC day, correct) of each graded answer, in the learner model's
    order (storage.evidence: what ``blendcoach mastery fit`` replays)."""
    out: dict[tuple[str, str], list[tuple[date, bool]]] = defaultdict(list)
    for u, s, ok, when in storage.evidence(session, org_id=org_id):
        out[(u, s)].append((when.astimezone(UTC).date(), ok))
    return out


def _mastery(tracer: KnowledgeTracer, skill: str, answers: list[bool]) -> float:
    """P(mastered) after these answers, through the learner model's own update and
    mastery (one answer at a time, as the service folds them in)."""
    learner, state = LearnerState(), SkillState(skill)
    for ok in answers:
        learner, state = tracer.update(learner, state, ok)
    return tracer.mastery(state).p_mastery


def oracle(
    session: Session, *, org_id: str, group_by: str, since: date, until: date
) -> tuple[dict[str, list[Any]], list[tuple[Any, ...]]]:
    """Group → the dashboard's figures named in ``FIGURES`` (its row without the group and
    the confirmations columns), and the results rows."""
    items = {
        str(r["id"]): (str(r.get("title") or r["id"]), str(r.get("modality") or ""))
        for r in storage.catalog_rows(session, org_id=org_id)["item"]
    }
    enabled = {
        u.id: p.team or ""
        for u, p in storage.learner_profiles(session, org_id=org_id)
        if not u.disabled
    }
    any_team = {
        p.user_id: p.team or ""
        for p in session.scalars(select(LearnerProfile).where(LearnerProfile.org_id == org_id))
    }

    def key(user_id: str, item_id: str, team: str | None = None) -> str:
        if group_by == "course":
            return items.get(item_id, (item_id, ""))[0]
        if group_by == "modality":
            return items.get(item_id, ("", ""))[1] or "unknown"
        return (enabled.get(user_id, "") if team is None else team) or "—"

    answers: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    query = (
        select(SurveyInstance, SurveyAnswer)
        .join(SurveyAnswer, SurveyAnswer.instance_id == SurveyInstance.id)
        .where(SurveyInstance.org_id == org_id)
    )
    for inst, a in session.execute(query):
        if not since <= inst.trigger_on <= until:
            continue
        g = answers[key("", inst.item_id, any_team.get(inst.subject_id, ""))]
        who = f"{inst.kind}.{inst.audience}"
        g[who].append(1)
        for m in ("satisfaction", "usefulness", "confidence", "change", "applied"):
            if getattr(a, m) is not None:
                g[f"{who}.{m}"].append(getattr(a, m))

    records = list(
        session.scalars(
            select(LearningRecord)
            .where(LearningRecord.org_id == org_id)
            .order_by(LearningRecord.on, LearningRecord.id)
        )
    )
    in_period = [r for r in records if since <= r.on <= until and r.item_id]
    try:
        catalog = World().catalog(session, org_id)
    except Exception:  # no usable catalog: no learning or mastery figures
        catalog = None
    pairs: dict[str, list[tuple[float, float]]] = defaultdict(list)
    if catalog is not None:
        latest: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)
        for r in in_period:
            if (
                r.kind == "quiz"
                and r.phase in ("pre", "post")
                and r.score is not None
                and r.user_id in enabled
                and r.item_id in catalog.items
            ):
                latest[(r.user_id, r.item_id)][r.phase] = r.score
        for (user_id, item_id), got in latest.items():
            if len(got) == 2:
                pairs[key(user_id, item_id)].append((got["pre"], got["post"]))

    takers: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for r in in_period:
        if r.kind == "completion" or (r.kind == "attendance" and r.attended):
            takers[key(r.user_id, r.item_id)].add((r.user_id, r.item_id))  # type: ignore[arg-type]
    hot = select(SurveyInstance).where(
        SurveyInstance.org_id == org_id, SurveyInstance.kind == "hot"
    )
    for inst in session.scalars(hot):
        if since <= inst.trigger_on <= until:
            takers[key(inst.subject_id, inst.item_id)].add((inst.subject_id, inst.item_id))
    mastery: dict[str, list[Any]] = {}
    if catalog is not None:
        first_step: dict[str, dict[tuple[str, str], date]] = defaultdict(dict)
        taught = {i.id: [s.skill for s in i.skills] for i in catalog.items.values()}
        for r in in_period:
            if r.kind == "completion" or (r.kind == "attendance" and r.attended):
                for s in taught.get(r.item_id, ()):  # type: ignore[arg-type]
                    _first(first_step[key(r.user_id, r.item_id)], (r.user_id, s), r.on)  # type: ignore[arg-type]
        for inst in session.scalars(hot):
            if since <= inst.trigger_on <= until:
                for s in taught.get(inst.item_id, ()):
                    _first(first_step[key(inst.subject_id, inst.item_id)], (inst.subject_id, s),
                           inst.trigger_on)  # fmt: skip
        answers_of = _graded(session, org_id)
        tracer = MasteryTracker(KnowledgeTracer.prior()).tracer(session, org_id)
        for g, firsts in first_step.items():
            pairs_ba = []
            for (u, s), day in firsts.items():
                graded = answers_of.get((u, s), [])
                if not any(on <= until for on, _ in graded):
                    continue  # no graded answer on the skill by the period's end
                pairs_ba.append(
                    (_mastery(tracer, s, [ok for on, ok in graded if on < day]),
                     _mastery(tracer, s, [ok for on, ok in graded if on <= until]))
                )  # fmt: skip
            if pairs_ba:
                gain = float(mean(Fraction(b) - Fraction(a) for a, b in pairs_ba))
                mastery[g] = [len(pairs_ba), _avg([a for a, _ in pairs_ba], 3),
                              _avg([b for _, b in pairs_ba], 3), round(gain * 100, 1)]  # fmt: skip

    rows: dict[str, list[Any]] = {}
    for g in set(answers) | set(pairs) | set(takers):
        v, both = answers[g], pairs.get(g, [])
        pre = mean(a for a, _ in both) if both else None
        post = mean(b for _, b in both) if both else None
        learning = (
            [len(both), round(pre, 4), round(post, 4), round((post - pre) * 100, 1)]
            if pre is not None and post is not None
            else [0, None, None, None]
        )
        rows[g] = [
            len(v["hot.learner"]),
            *[_avg(v[f"hot.learner.{m}"], 2) for m in ("satisfaction", "usefulness", "confidence")],
            *learning,
            *mastery.get(g, [0, None, None, None]),
            len(v["cold.learner"]),
            _rate(v["cold.learner.applied"]),
            _avg(v["cold.learner.change"], 2),
            len(v["cold.manager"]),
            _rate(v["cold.manager.applied"]),
        ]
    if group_by == "team":
        teams = {g: {g} for g in rows}
    else:
        teams = {g: {enabled[u] for u, _ in steps if enabled.get(u)} for g, steps in takers.items()}
    kpis: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for k in storage.business_kpis(
        session, org_id=org_id, since_month=f"{since:%Y-%m}", until_month=f"{until:%Y-%m}"
    ):
        kpis[(k.team, k.indicator)].append(k)
    results = [
        (g, team, ind, s[-1].unit, s[0].month, s[0].value, s[-1].month, s[-1].value,
         round(s[-1].value - s[0].value, 4))
        for g in sorted(teams)
        for (team, ind), s in sorted(kpis.items())
        if team in teams[g]
    ]  # fmt: skip
    return rows, results


FIGURES = ["reaction_n", "satisfaction", "usefulness", "confidence", "learning_n", "pre", "post",
           "gain", "mastery_n", "mastery_before", "mastery_after", "mastery_gain", "behaviour_n", "applied_rate", "change", "manager_n",
           "manager_applied_rate"]  # fmt: skip
