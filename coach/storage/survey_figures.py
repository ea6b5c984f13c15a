"""What the dashboards read of surveys, learning records, mastery and business KPIs:
sums computed in SQL, and the KPI rows imported per team and month. The Kirkpatrick
dashboard reads its rollup (:mod:`coach.storage.kirkpatrick_cells`); the reads here build
it from the raw tables."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Row, and_, case, func, select
from sqlalchemy.orm import Session, aliased

from coach.storage.models import SkillMastery, User, utcnow
from coach.storage.path_models import LearnerProfile, LearningRecord
from coach.storage.survey_models import BusinessKpi, SurveyAnswer, SurveyInstance

SCALES = ("satisfaction", "usefulness", "confidence", "change")
"""The answers' scale measures, in the order :func:`survey_day_sums` gives their sums."""


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


def learner_teams(
    session: Session, *, org_id: str, user_ids: Sequence[str] | None = None
) -> dict[str, str]:
    """Learner user id → team ("" when none), for the enabled learners with a profile
    (only those of ``user_ids`` when given)."""
    query = (
        select(LearnerProfile.user_id, LearnerProfile.team)
        .join(User, User.id == LearnerProfile.user_id)
        .where(LearnerProfile.org_id == org_id, User.disabled.is_(False))
    )
    if user_ids is not None:
        query = query.where(LearnerProfile.user_id.in_(list(user_ids)))
    return {u: t or "" for u, t in session.execute(query)}


def org_user_ids(session: Session, *, org_id: str, user_ids: Sequence[str]) -> set[str]:
    """Those of ``user_ids`` who are users of the organisation."""
    if not user_ids:
        return set()
    query = select(User.id).where(User.org_id == org_id, User.id.in_(list(user_ids)))
    return set(session.scalars(query))


def kpi_points(session: Session, *, org_id: str, since_month: str, until_month: str) -> list[Row]:
    """The organisation's indicators of the months ``[since_month, until_month]`` as light
    rows (``team, indicator, month, value, unit``) by team, indicator and month."""
    k = BusinessKpi
    query = (
        select(k.team, k.indicator, k.month, k.value, k.unit)
        .where(k.org_id == org_id, k.month >= since_month, k.month <= until_month)
        .order_by(k.team, k.indicator, k.month)
    )
    return list(session.connection().execute(query))


def kpi_ends(session: Session, *, org_id: str, since_month: str, until_month: str) -> list[Row]:
    """Each team's indicators at the first and last month they have in ``[since_month,
    until_month]``: rows ``team, indicator, first_month, first, last_month, last, unit`` (the
    last month's unit) by team and indicator."""
    k = BusinessKpi
    ends = (
        select(k.team, k.indicator, func.min(k.month).label("a"), func.max(k.month).label("b"))
        .where(k.org_id == org_id, k.month >= since_month, k.month <= until_month)
        .group_by(k.team, k.indicator)
        .subquery()
    )
    first, last = aliased(BusinessKpi), aliased(BusinessKpi)

    def at(row: Any, month: Any) -> Any:
        return and_(
            row.org_id == org_id,
            row.team == ends.c.team,
            row.indicator == ends.c.indicator,
            row.month == month,
        )

    query = (
        select(
            ends.c.team, ends.c.indicator, ends.c.a, first.value, ends.c.b, last.value, last.unit
        )
        .join(first, at(first, ends.c.a))
        .join(last, at(last, ends.c.b))
        .order_by(ends.c.team, ends.c.indicator)
    )
    return list(session.connection().execute(query))


def survey_day_sums(
    session: Session, *, org_id: str, applying: Sequence[str], no_opportunity: str
) -> list[Row]:
    """Every answered survey of the organisation, summed per kind, audience, item, the team
    of the learner it is about ("" when none) and the day of the step (one query). Rows:
    ``kind, audience, item_id, team, day, answers``, then the sum and count of each of
    :data:`SCALES`, then how many apply it and how many said (``no_opportunity`` left out)."""
    a = SurveyAnswer
    given = and_(a.applied.is_not(None), a.applied != no_opportunity)
    keys = [
        SurveyInstance.kind,
        SurveyInstance.audience,
        SurveyInstance.item_id,
        func.coalesce(LearnerProfile.team, ""),
        SurveyInstance.trigger_on,
    ]
    query = (
        select(
            *keys,
            func.count(a.id),
            *[f(getattr(a, m)) for m in SCALES for f in (func.sum, func.count)],
            func.sum(case((a.applied.in_(list(applying)), 1), else_=0)),
            func.sum(case((given, 1), else_=0)),
        )
        .join(a, a.instance_id == SurveyInstance.id)
        .outerjoin(LearnerProfile, LearnerProfile.user_id == SurveyInstance.subject_id)
        .where(SurveyInstance.org_id == org_id)
        .group_by(*keys)
    )
    return list(session.execute(query))


def step_days(session: Session, *, org_id: str) -> set[tuple[str, str, date]]:
    """(learner, item, day) of every step taken: completions, attendance records, and the
    hot surveys opened for them (signed sessions)."""
    records = select(LearningRecord.user_id, LearningRecord.item_id, LearningRecord.on).where(
        LearningRecord.org_id == org_id,
        LearningRecord.item_id.is_not(None),
        (LearningRecord.kind == "completion")
        | ((LearningRecord.kind == "attendance") & LearningRecord.attended.is_(True)),
    )
    hot = select(
        SurveyInstance.subject_id, SurveyInstance.item_id, SurveyInstance.trigger_on
    ).where(SurveyInstance.org_id == org_id, SurveyInstance.kind == "hot")
    return {(u, str(i), d) for q in (records, hot) for u, i, d in session.execute(q.distinct())}


def prepost_records(
    session: Session, *, org_id: str, since: date | None = None, until: date | None = None
) -> list[Row]:
    """Pre- and post-test scores dated in ``[since, until]`` (None: no bound), oldest first
    (by day, then as recorded), as rows with the attributes the admin tools read
    (``user_id, kind, item_id, phase, score, on``)."""
    r = LearningRecord
    query = (
        select(r.user_id, r.kind, r.item_id, r.phase, r.score, r.on)
        .where(
            r.org_id == org_id,
            r.kind == "quiz",
            r.phase.in_(["pre", "post"]),
            r.score.is_not(None),
            r.item_id.is_not(None),
        )
        .order_by(r.on, r.id)
    )
    if since is not None:
        query = query.where(r.on >= since)
    if until is not None:
        query = query.where(r.on <= until)
    return list(session.execute(query))
