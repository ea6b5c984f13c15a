"""Survey templates (overrides), instances, answers and business KPIs.

Templates are validated by :mod:`coach.surveys.templates` before they reach these functions;
answers by the same module against the instance's copy of its template.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from coach.storage.access import NotFound
from coach.storage.models import SkillMastery, utcnow
from coach.storage.path_models import LearningRecord
from coach.storage.survey_models import BusinessKpi, SurveyAnswer, SurveyInstance, SurveyTemplate


def survey_template_overrides(session: Session, *, org_id: str) -> dict[tuple[str, str], dict]:
    """(kind, audience) → the organisation's own template data, for those it overrides."""
    rows = session.scalars(select(SurveyTemplate).where(SurveyTemplate.org_id == org_id))
    return {(r.kind, r.audience): dict(r.data) for r in rows}


def save_survey_template(
    session: Session,
    *,
    org_id: str,
    kind: str,
    audience: str,
    data: Mapping[str, Any],
    updated_by: str | None,
) -> None:
    """Store (or replace) the organisation's template of ``kind`` for ``audience``."""
    row = session.get(SurveyTemplate, (org_id, kind, audience))
    if row is None:
        row = SurveyTemplate(org_id=org_id, kind=kind, audience=audience)
        session.add(row)
    row.data, row.updated_by, row.updated_at = dict(data), updated_by, utcnow()
    session.flush()


def delete_survey_template(session: Session, *, org_id: str, kind: str, audience: str) -> bool:
    """Drop the organisation's override (the shipped default applies again)."""
    done = session.execute(
        delete(SurveyTemplate).where(
            SurveyTemplate.org_id == org_id,
            SurveyTemplate.kind == kind,
            SurveyTemplate.audience == audience,
        )
    )
    session.flush()
    return bool(getattr(done, "rowcount", 0))


def survey_keys(session: Session, *, org_id: str, keys: Sequence[str]) -> set[str]:
    """Those of ``keys`` that already name an instance of the organisation."""
    found: set[str] = set()
    keys = list(keys)
    for at in range(0, len(keys), 500):
        found |= set(
            session.scalars(
                select(SurveyInstance.key).where(
                    SurveyInstance.org_id == org_id, SurveyInstance.key.in_(keys[at : at + 500])
                )
            )
        )
    return found


def add_survey_instances(
    session: Session, *, org_id: str, rows: Iterable[Mapping[str, Any]]
) -> list[SurveyInstance]:
    """Create instances from rows (every column but ``id``); rows whose ``key`` is already
    stored are skipped, so opening surveys twice for the same event is a no-op."""
    rows = list(rows)
    known = survey_keys(session, org_id=org_id, keys=[r["key"] for r in rows])
    made = []
    for r in rows:
        if r["key"] in known:
            continue
        known.add(r["key"])
        made.append(SurveyInstance(org_id=org_id, status="open", **r))
    session.add_all(made)
    session.flush()
    return made


def close_survey_instances(session: Session, *, org_id: str, today: date) -> int:
    """Close the open instances whose last day is before ``today``. Returns how many."""
    rows = list(
        session.scalars(
            select(SurveyInstance).where(
                SurveyInstance.org_id == org_id,
                SurveyInstance.status == "open",
                SurveyInstance.closes_on < today,
            )
        )
    )
    now = utcnow()
    for row in rows:
        row.status, row.closed_at = "closed", now
    session.flush()
    return len(rows)


def survey_instances(
    session: Session,
    *,
    org_id: str,
    respondent_id: str | None = None,
    kind: str | None = None,
    opened_since: date | None = None,
    opened_until: date | None = None,
) -> list[SurveyInstance]:
    """The organisation's instances (optionally one respondent's, one kind, opened in a
    window), oldest first."""
    query = select(SurveyInstance).where(SurveyInstance.org_id == org_id)
    if respondent_id is not None:
        query = query.where(SurveyInstance.respondent_id == respondent_id)
    if kind is not None:
        query = query.where(SurveyInstance.kind == kind)
    if opened_since is not None:
        query = query.where(SurveyInstance.opens_on >= opened_since)
    if opened_until is not None:
        query = query.where(SurveyInstance.opens_on <= opened_until)
    return list(session.scalars(query.order_by(SurveyInstance.opens_on, SurveyInstance.id)))


def get_survey_instance(session: Session, *, org_id: str, instance_id: str) -> SurveyInstance:
    """One instance of the organisation (:class:`NotFound` for another organisation's)."""
    row = session.get(SurveyInstance, instance_id)
    if row is None or row.org_id != org_id:
        raise NotFound("no such survey")
    return row


def survey_answers(session: Session, *, instance_ids: Sequence[str]) -> dict[str, SurveyAnswer]:
    """Instance id → its answer, for the instances that have one."""
    out: dict[str, SurveyAnswer] = {}
    ids = list(instance_ids)
    for at in range(0, len(ids), 500):
        query = select(SurveyAnswer).where(SurveyAnswer.instance_id.in_(ids[at : at + 500]))
        out |= {a.instance_id: a for a in session.scalars(query)}
    return out


def answered_surveys(
    session: Session,
    *,
    org_id: str,
    kind: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> list[tuple[SurveyInstance, SurveyAnswer]]:
    """Instances of the organisation with their answers, answered in a window (by the
    instance's trigger date), in one query."""
    query = (
        select(SurveyInstance, SurveyAnswer)
        .join(SurveyAnswer, SurveyAnswer.instance_id == SurveyInstance.id)
        .where(SurveyInstance.org_id == org_id)
    )
    if kind is not None:
        query = query.where(SurveyInstance.kind == kind)
    if since is not None:
        query = query.where(SurveyInstance.trigger_on >= since)
    if until is not None:
        query = query.where(SurveyInstance.trigger_on <= until)
    return [(i, a) for i, a in session.execute(query.order_by(SurveyAnswer.id))]


def save_survey_answer(
    session: Session,
    *,
    instance: SurveyInstance,
    values: Mapping[str, Any],
    language: str,
    today: date,
) -> SurveyAnswer:
    """Store the respondent's answer, or replace it (an edit) when there is one."""
    row = session.scalar(select(SurveyAnswer).where(SurveyAnswer.instance_id == instance.id))
    now = utcnow()
    if row is None:
        row = SurveyAnswer(
            instance_id=instance.id,
            org_id=instance.org_id,
            respondent_id=instance.respondent_id,
            created_at=now,
            edits=0,
        )
        session.add(row)
    else:
        row.edits += 1
    row.values, row.language, row.answered_on, row.updated_at = dict(values), language, today, now
    session.flush()
    return row


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


def mastery_levels(session: Session, *, user_ids: Sequence[str]) -> dict[tuple[str, str], float]:
    """(user id, skill) → current estimated mastery, for these learners (one query per 500)."""
    out: dict[tuple[str, str], float] = {}
    ids = list(user_ids)
    for at in range(0, len(ids), 500):
        query = select(SkillMastery.user_id, SkillMastery.skill, SkillMastery.p_mastery).where(
            SkillMastery.user_id.in_(ids[at : at + 500])
        )
        out |= {(u, s): p for u, s, p in session.execute(query)}
    return out
