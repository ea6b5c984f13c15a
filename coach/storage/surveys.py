"""Survey templates (overrides), instances, answers and business KPIs.

Templates are validated by :mod:`coach.surveys.templates` before they reach these functions;
answers by the same module against the instance's copy of its template.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from coach.storage.access import NotFound
from coach.storage.models import utcnow
from coach.storage.survey_models import (
    SCORE_MEASURES,
    SurveyAnswer,
    SurveyForm,
    SurveyInstance,
    SurveyTemplate,
)


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


def survey_form_id(session: Session, *, data: Mapping[str, Any]) -> str:
    """The id of the stored form with exactly this content (stored now if new)."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    form_id = hashlib.sha256(canonical.encode()).hexdigest()
    if session.get(SurveyForm, form_id) is None:
        session.add(SurveyForm(id=form_id, data=json.loads(canonical)))
        session.flush()
    return form_id


def add_survey_instances(
    session: Session, *, org_id: str, rows: Iterable[Mapping[str, Any]]
) -> list[SurveyInstance]:
    """Create instances from rows (every column but ``id`` and ``form_id``, with the
    ``template`` as JSON); rows whose ``key`` is already stored are skipped, so opening
    surveys twice for the same event is a no-op."""
    rows = list(rows)
    known = survey_keys(session, org_id=org_id, keys=[r["key"] for r in rows])
    forms: dict[int, str] = {}
    made = []
    for r in rows:
        if r["key"] in known:
            continue
        known.add(r["key"])
        data = r["template"]
        if id(data) not in forms:
            forms[id(data)] = survey_form_id(session, data=data)
        fields = {k: v for k, v in r.items() if k != "template"}
        made.append(SurveyInstance(org_id=org_id, status="open", form_id=forms[id(data)], **fields))
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
    scores: Mapping[str, Any] | None = None,
) -> SurveyAnswer:
    """Store the respondent's answer, or replace it (an edit) when there is one;
    ``scores`` holds the values of the measured questions (``satisfaction``, ``usefulness``,
    ``confidence``, ``change``, ``applied``) the dashboard sums."""
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
    for measure in SCORE_MEASURES:
        setattr(row, measure, (scores or {}).get(measure))
    session.flush()
    return row
