"""What the dashboards read of surveys, learning records, mastery and business KPIs:
sums computed in SQL, and the KPI rows imported per team and month."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Row, and_, case, func, select
from sqlalchemy.orm import Session

from coach.storage.models import SkillMastery, User, utcnow
from coach.storage.path_models import LearnerProfile, LearningRecord
from coach.storage.survey_models import BusinessKpi, SurveyAnswer, SurveyInstance


def completion_records(
    session: Session, *, org_id: str, since: date, until: date
) -> list[LearningRecord]:
    """The organisation's completion records of an item, dated in [since, until]."""
    query = select(LearningRecord).where(
        LearningRecord.org_id == org_id,
        LearningRecord.kind == "completion",
        LearningRecord.item_id.is_not(None),
        LearningRecord.on >= since,
        LearningRecord.on <= until,
    )
    return list(session.scalars(query.order_by(LearningRecord.on, LearningRecord.id)))


def save_business_kpis(
    session: Session, *, org_id: str, rows: Iterable[Mapping[str, Any]], source: str = "import"
) -> tuple[int, int]:
    """Add or replace indicators keyed by (team, month, indicator). Returns (added, updated)."""
    added = updated = 0
    now = utcnow()
    for r in rows:
        key = (org_id, r["team"], r["month"], r["indicator"])
        row = session.get(BusinessKpi, key)
        if row is None:
            row = BusinessKpi(org_id=org_id, team=key[1], month=key[2], indicator=key[3])
            session.add(row)
            added += 1
        else:
            updated += 1
        row.value, row.unit, row.source, row.updated_at = (
            r["value"],
            r.get("unit") or "",
            source,
            now,
        )
    session.flush()
    return added, updated


def business_kpis(
    session: Session,
    *,
    org_id: str,
    since_month: str | None = None,
    until_month: str | None = None,
) -> list[BusinessKpi]:
    """The organisation's indicators (months as ``YYYY-MM``, inclusive), by team, indicator
    and month."""
    query = select(BusinessKpi).where(BusinessKpi.org_id == org_id)
    if since_month is not None:
        query = query.where(BusinessKpi.month >= since_month)
    if until_month is not None:
        query = query.where(BusinessKpi.month <= until_month)
    order = (BusinessKpi.team, BusinessKpi.indicator, BusinessKpi.month)
    return list(session.scalars(query.order_by(*order)))


def mastery_levels(session: Session, *, org_id: str) -> dict[tuple[str, str], float]:
    """(user id, skill) → current estimated mastery, for every learner of the organisation
    (one query)."""
    query = (
        select(SkillMastery.user_id, SkillMastery.skill, SkillMastery.p_mastery)
        .join(User, User.id == SkillMastery.user_id)
        .where(User.org_id == org_id)
    )
    return {(u, s): p for u, s, p in session.execute(query)}


def learner_teams(session: Session, *, org_id: str) -> dict[str, str]:
    """Learner user id → team ("" when none), for the enabled learners with a profile."""
    query = (
        select(LearnerProfile.user_id, LearnerProfile.team)
        .join(User, User.id == LearnerProfile.user_id)
        .where(LearnerProfile.org_id == org_id, User.disabled.is_(False))
    )
    return {u: t or "" for u, t in session.execute(query)}


@dataclass(frozen=True)
class ScoreSums:
    """Answers of one kind and audience about one item and one team, summed."""

    kind: str
    audience: str
    item_id: str
    team: str
    answers: int
    sums: dict[str, tuple[int, int]]
    """measure → (sum, how many gave it) for the scale measures."""
    applying: int
    """Answers whose ``applied`` is one of the applying values."""
    applied_counted: int
    """Answers whose ``applied`` is given and is not the "no opportunity" value."""


def survey_score_sums(
    session: Session,
    *,
    org_id: str,
    since: date,
    until: date,
    applying: Sequence[str],
    no_opportunity: str,
) -> list[ScoreSums]:
    """Answered surveys about steps taken in ``[since, until]``, summed per kind, audience,
    item and the team of the learner they are about, in one query."""
    scales = ("satisfaction", "usefulness", "confidence", "change")
    a = SurveyAnswer
    given = and_(a.applied.is_not(None), a.applied != no_opportunity)
    columns = [
        SurveyInstance.kind,
        SurveyInstance.audience,
        SurveyInstance.item_id,
        func.coalesce(LearnerProfile.team, ""),
        func.count(a.id),
        *[f(getattr(a, m)) for m in scales for f in (func.sum, func.count)],
        func.sum(case((a.applied.in_(list(applying)), 1), else_=0)),
        func.sum(case((given, 1), else_=0)),
    ]
    query = (
        select(*columns)
        .join(a, a.instance_id == SurveyInstance.id)
        .outerjoin(LearnerProfile, LearnerProfile.user_id == SurveyInstance.subject_id)
        .where(
            SurveyInstance.org_id == org_id,
            SurveyInstance.trigger_on >= since,
            SurveyInstance.trigger_on <= until,
        )
        .group_by(*columns[:4])
    )
    out = []
    for row in session.execute(query):
        kind, audience, item, team, n, *rest = row
        sums = {m: (int(rest[2 * k] or 0), int(rest[2 * k + 1])) for k, m in enumerate(scales)}
        out.append(
            ScoreSums(kind, audience, item, team, n, sums, int(rest[-2] or 0), int(rest[-1] or 0))
        )
    return out


def step_takers(session: Session, *, org_id: str, since: date, until: date) -> set[tuple[str, str]]:
    """(learner, item) of the steps taken in ``[since, until]``: completions, attendance
    records, and the hot surveys opened for them (signed sessions)."""
    records = select(LearningRecord.user_id, LearningRecord.item_id).where(
        LearningRecord.org_id == org_id,
        LearningRecord.on >= since,
        LearningRecord.on <= until,
        LearningRecord.item_id.is_not(None),
        (LearningRecord.kind == "completion")
        | ((LearningRecord.kind == "attendance") & LearningRecord.attended.is_(True)),
    )
    hot = select(SurveyInstance.subject_id, SurveyInstance.item_id).where(
        SurveyInstance.org_id == org_id,
        SurveyInstance.kind == "hot",
        SurveyInstance.trigger_on >= since,
        SurveyInstance.trigger_on <= until,
    )
    return {(u, i) for q in (records, hot) for u, i in session.execute(q.distinct())}


def prepost_records(session: Session, *, org_id: str, since: date, until: date) -> list[Row]:
    """Pre- and post-test scores dated in ``[since, until]``, oldest first, as rows with the
    attributes the admin tools read (``user_id, kind, item_id, phase, score, on``)."""
    r = LearningRecord
    query = (
        select(r.user_id, r.kind, r.item_id, r.phase, r.score, r.on)
        .where(
            r.org_id == org_id,
            r.kind == "quiz",
            r.phase.in_(["pre", "post"]),
            r.score.is_not(None),
            r.item_id.is_not(None),
            r.on >= since,
            r.on <= until,
        )
        .order_by(r.on, r.id)
    )
    return list(session.execute(query))
