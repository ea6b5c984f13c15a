"""Answering a survey: only its respondent, only while it is open, once (then edits).

Decisions (docs/surveys.md): a second ``POST`` of an answer is refused with 409 and the
answer is edited with ``PUT`` until the survey closes; another person's survey, or another
organisation's, is 404 (its existence is not revealed); a closed or not yet open survey is
409; an answer out of scale, of an unknown option or question, or missing a required
question is 422 naming the question.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from coach import storage
from coach.storage.access import AccessError, AlreadyExists
from coach.storage.survey_models import SCORE_MEASURES
from coach.surveys.catalog import catalog_view
from coach.surveys.templates import AnswerInvalid, Template, check_answers


class SurveyClosed(AccessError):
    """The survey is not open on this day (HTTP 409)."""

    status_code = 409


class BadAnswer(AccessError):
    """The answer does not fit the survey's template (HTTP 422); ``field`` is the question."""

    status_code = 422

    def __init__(self, err: AnswerInvalid) -> None:
        super().__init__(str(err))
        self.field = err.field


def scores(template: Template, values: dict[str, Any]) -> dict[str, Any]:
    """The answer's values of the measured questions (what the dashboard sums)."""
    out = {}
    for measure in SCORE_MEASURES:
        q = template.question(measure)
        if q is not None and not isinstance(values.get(q.id), list):
            out[measure] = values.get(q.id)
    return out


def is_open(inst: storage.SurveyInstance, today: date) -> bool:
    """Whether answers are accepted on ``today``."""
    return inst.status == "open" and inst.opens_on <= today <= inst.closes_on


def mine(
    session: Session, *, viewer: storage.Viewer, today: date, include_closed: bool = False
) -> list[dict[str, Any]]:
    """The viewer's surveys open today (and, if asked, the closed ones), newest first."""
    rows = [
        i
        for i in storage.survey_instances(session, org_id=viewer.org_id, respondent_id=viewer.id)
        if i.opens_on <= today and (include_closed or is_open(i, today))
    ]
    answers = storage.survey_answers(session, instance_ids=[i.id for i in rows])
    view = catalog_view(session, org_id=viewer.org_id)
    names = _names(session, viewer.org_id, {i.subject_id for i in rows})
    return [
        _summary(i, answers.get(i.id), view.title(i.item_id), names, today, viewer.locale)
        for i in reversed(rows)
    ]


def _names(session: Session, org_id: str, ids: set[str]) -> dict[str, str]:
    users = (session.get(storage.User, i) for i in ids)
    return {u.id: u.display_name for u in users if u is not None and u.org_id == org_id}


def _summary(
    inst: storage.SurveyInstance,
    answer: storage.SurveyAnswer | None,
    title: str,
    names: dict[str, str],
    today: date,
    lang: str,
) -> dict[str, Any]:
    return {
        "id": inst.id,
        "kind": inst.kind,
        "audience": inst.audience,
        "item_id": inst.item_id,
        "item_title": title,
        "session_id": inst.session_id or None,
        "about": names.get(inst.subject_id, ""),
        "trigger_on": inst.trigger_on.isoformat(),
        "offset_days": inst.offset_days,
        "opens_on": inst.opens_on.isoformat(),
        "closes_on": inst.closes_on.isoformat(),
        "open": is_open(inst, today),
        "answered": answer is not None,
        "title": Template.model_validate(inst.template).title(lang),
    }


def _own(session: Session, viewer: storage.Viewer, instance_id: str) -> storage.SurveyInstance:
    inst = storage.get_survey_instance(session, org_id=viewer.org_id, instance_id=instance_id)
    if inst.respondent_id != viewer.id:
        raise storage.NotFound("no such survey")
    return inst


def one(
    session: Session, *, viewer: storage.Viewer, instance_id: str, today: date, lang: str | None
) -> dict[str, Any]:
    """One of the viewer's surveys: the form in their language and their answer, if any."""
    inst = _own(session, viewer, instance_id)
    lang = lang or viewer.locale
    answer = storage.survey_answers(session, instance_ids=[inst.id]).get(inst.id)
    title = catalog_view(session, org_id=viewer.org_id).title(inst.item_id)
    names = _names(session, viewer.org_id, {inst.subject_id})
    return {
        **_summary(inst, answer, title, names, today, lang),
        "language": lang,
        "form": Template.model_validate(inst.template).localised(lang),
        "answer": dict(answer.values) if answer else None,
        "answered_on": answer.answered_on.isoformat() if answer else None,
    }


def submit(
    session: Session,
    *,
    viewer: storage.Viewer,
    instance_id: str,
    values: dict[str, Any],
    today: date,
    edit: bool,
    lang: str | None = None,
) -> dict[str, Any]:
    """Store the viewer's answer (``edit``: replace the one given); see the module's rules."""
    inst = _own(session, viewer, instance_id)
    if not is_open(inst, today):
        when = "opens" if today < inst.opens_on else "closed after"
        day = inst.opens_on if today < inst.opens_on else inst.closes_on
        raise SurveyClosed(f"this survey {when} {day.isoformat()}: answers are not accepted")
    given = storage.survey_answers(session, instance_ids=[inst.id]).get(inst.id)
    if given is not None and not edit:
        raise AlreadyExists("you have answered this survey already: edit it with PUT")
    if given is None and edit:
        raise storage.NotFound("no answer to edit yet: send it with POST")
    template = Template.model_validate(inst.template)
    try:
        clean = check_answers(template, values)
    except AnswerInvalid as err:
        raise BadAnswer(err) from err
    storage.save_survey_answer(
        session,
        instance=inst,
        values=clean,
        language=lang or viewer.locale,
        today=today,
        scores=scores(template, clean),
    )
    storage.log_event(
        session,
        org_id=viewer.org_id,
        user_id=viewer.id,
        type="survey.edited" if edit else "survey.answered",
        payload={"instance": inst.id, "kind": inst.kind},
    )
    return one(session, viewer=viewer, instance_id=inst.id, today=today, lang=lang)
