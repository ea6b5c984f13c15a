"""Running a checked tool call through the functions the offline reading uses, so both
paths answer in the same shapes: the read-only tools of :mod:`coach.admin.tools`, actions
proposed with :func:`coach.admin.actions.propose` and described by ``describe_action``,
how-tos from the assistant's guide, and its refusal. A call that failed its checks gets a
clarifying question naming what was wrong instead (:func:`clarify`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from coach.admin import tools
from coach.admin.assistant import AdminAssistant, as_number
from coach.admin.llm_schemas import (
    AnswerFromGuide,
    AskClarification,
    AttendanceStatus,
    CompletionRate,
    Engagement,
    OverdueMandatory,
    PathBacklog,
    Progression,
    ProposeCancelSession,
    ProposeEnrol,
    ProposeMarkAttendance,
    ProposeReminder,
    QuizResults,
    Refuse,
    SessionRoster,
    SessionSeats,
)
from coach.admin.llm_tools import Problem, Tool
from coach.admin.org import OrgData
from coach.admin.schemas import AdminAnswer, DataResult, Interpretation
from coach.admin.understand import Reading


@dataclass(frozen=True)
class Turn:
    """One question being answered: who asks, about which organisation, read how."""

    assistant: AdminAssistant
    session: Session
    org: OrgData
    reading: Reading
    admin_id: str

    @property
    def lang(self) -> str:
        return self.reading.language


def run(call: Tool, t: Turn) -> AdminAnswer:
    """The answer to a call that passed its checks (actions are only proposed)."""
    if isinstance(call, AnswerFromGuide):
        return _guide(call, t)
    if isinstance(call, AskClarification):
        options = [
            Interpretation(label=o, question=f"{t.reading.question} [{o}]") for o in call.options
        ]
        return AdminAnswer(kind="clarify", text=call.question, language=t.lang, options=options)
    if isinstance(call, Refuse):
        return t.assistant.refuse(t.lang)
    if type(call) in ACTION_ARGS:
        return _propose(call, t)
    result = DATA[type(call)](call, t.org, t.lang)
    return AdminAnswer(
        kind="data", text=result.summary, language=t.lang, data=result, intent=call.intent
    )


def _guide(call: AnswerFromGuide, t: Turn) -> AdminAnswer:
    """The guide answers the admin's own words; the model's rephrasing is a second try."""
    answer = t.assistant.howto(t.reading.question, t.lang, t.reading)
    if answer.kind != "howto" and call.question.strip() != t.reading.question.strip():
        answer = t.assistant.howto(call.question, t.lang, t.reading)
    return answer


def _counted(result: DataResult, count: bool, n: int) -> DataResult:
    return as_number(result, n) if count else result


def _roster(c: SessionRoster, org: OrgData, lang: str) -> DataResult:
    result = tools.session_roster(org, c.session_id, which=c.which, lang=lang)
    return _counted(result, c.count, len(result.answer["ids"]))


def _attendance(c: AttendanceStatus, org: OrgData, lang: str) -> DataResult:
    which = "unsigned" if c.unsigned else "signed"  # the same lists as the offline reading
    result = tools.attendance_status(org, c.session_id, which=which, lang=lang)
    return _counted(result, c.count, len(result.answer["ids"]))


def _overdue(c: OverdueMandatory, org: OrgData, lang: str) -> DataResult:
    scope = c.scope(tuple(sorted(set(c.learner_ids))) if c.learner_ids else None)
    result = tools.overdue_mandatory(org, scope, item_id=c.item_id, lang=lang)
    return _counted(result, c.count, len(result.answer["ids"]))


DATA: dict[type[Tool], Callable[[Any, OrgData, str], DataResult]] = {
    SessionSeats: lambda c, org, lang: tools.session_seats(org, c.session_id, lang=lang),
    SessionRoster: _roster,
    AttendanceStatus: _attendance,
    OverdueMandatory: _overdue,
    CompletionRate: lambda c, org, lang: tools.completion_rate(
        org, c.item_id, c.scope(), period=c.period(org.today), group_by=c.group_by, lang=lang
    ),
    Progression: lambda c, org, lang: tools.progression(org, c.item_id, c.scope(), lang=lang),
    QuizResults: lambda c, org, lang: tools.quiz_results(
        org,
        c.scope(),
        item_id=c.item_id,
        skill=c.skill,
        period=c.period(org.today),
        measure=c.measure,
        lang=lang,
    ),
    Engagement: lambda c, org, lang: tools.engagement(
        org,
        c.scope(),
        period=c.period(org.today, default_days=tools.ENGAGEMENT_DAYS),
        group_by=c.group_by,
        lang=lang,
    ),
    PathBacklog: lambda c, org, lang: tools.path_backlog(org, c.scope(), lang=lang),
}


def _of_session(org: OrgData, session_id: str | None) -> dict[str, Any]:
    if not session_id:
        return {}
    return {"session_id": session_id, "item_id": org.live_session(session_id).item_id}


def _enrol_args(c: ProposeEnrol, org: OrgData) -> dict[str, Any]:
    target = _of_session(org, c.session_id) or {"item_id": c.item_id}
    return {**target, "learner_ids": sorted(set(c.learner_ids))}


def _remind_args(c: ProposeReminder, org: OrgData) -> dict[str, Any]:
    item = {"item_id": c.item_id} if c.item_id else {}
    return {"learner_ids": sorted(set(c.learner_ids)), **item, **_of_session(org, c.session_id)}


ACTION_ARGS: dict[type[Tool], Callable[[Any, OrgData], dict[str, Any]]] = {
    ProposeEnrol: _enrol_args,
    ProposeReminder: _remind_args,
    ProposeMarkAttendance: lambda c, org: {
        **_of_session(org, c.session_id),
        "learner_ids": sorted(set(c.learner_ids)),
        "signed": c.signed,
    },
    ProposeCancelSession: lambda c, org: _of_session(org, c.session_id),
}


def _propose(call: Tool, t: Turn) -> AdminAnswer:
    """Store the action for an admin to confirm, exactly as the offline path does."""
    args = ACTION_ARGS[type(call)](call, t.org)
    return t.assistant.propose_action(
        t.session, t.org, t.reading, t.admin_id, str(call.intent), args
    )


# (English, French) sentence per problem, then the question asked back
PROBLEMS: dict[str, tuple[str, str]] = {
    "session": (
        "There is no session “{v}” in your organisation.",
        "Il n'y a pas de session « {v} » dans votre organisation.",
    ),
    "course": (
        "There is no course “{v}” in your organisation.",
        "Il n'y a pas de formation « {v} » dans votre organisation.",
    ),
    "person": (
        "No learner of your organisation has the LMS id “{v}”.",
        "Aucun apprenant de votre organisation n'a l'identifiant « {v} ».",
    ),
    "team": ("There is no team “{v}”.", "Il n'y a pas d'équipe « {v} »."),
    "manager": ("No manager is called “{v}”.", "Aucun manager ne s'appelle « {v} »."),
    "role": ("There is no role “{v}”.", "Il n'y a pas de rôle « {v} »."),
    "skill": ("There is no skill “{v}”.", "Il n'y a pas de compétence « {v} »."),
    "date": ("“{v}” is not a date.", "« {v} » n'est pas une date."),
    "period": (
        "The period {v} ends before it starts.",
        "La période {v} se termine avant de commencer.",
    ),
    "cancelled": ("The session {v} is cancelled.", "La session {v} est annulée."),
    "future": (
        "The session {v} has not taken place yet.",
        "La session {v} n'a pas encore eu lieu.",
    ),
    "mismatch": (
        "Session “{v}” is not a session of that course.",
        "La session « {v} » n'est pas une session de cette formation.",
    ),
    "target": (
        "An enrolment needs a session or a course.",
        "Une inscription demande une session ou une formation.",
    ),
}
QUESTIONS: dict[str, tuple[str, str]] = {
    "session": ("Which session do you mean?", "De quelle session parlez-vous ?"),
    "course": ("Which course do you mean?", "De quelle formation parlez-vous ?"),
    "person": ("Which learner do you mean?", "De quel apprenant parlez-vous ?"),
    "team": ("Which team do you mean?", "De quelle équipe parlez-vous ?"),
    "manager": ("Whose team do you mean?", "L'équipe de quel manager ?"),
    "date": (
        "Which dates do you mean? Give them as 2026-11-17 or 17 November 2026.",
        "Quelles dates ? Écrivez-les 2026-11-17 ou 17 novembre 2026.",
    ),
    "other": ("Which one do you mean?", "Lequel voulez-vous dire ?"),
}
ASKS_FOR = {"cancelled": "session", "future": "session", "mismatch": "session"}
ASKS_FOR |= {"target": "course", "period": "date", "role": "other", "skill": "other"}


def clarify(problems: list[Problem], t: Turn, intent: str | None) -> AdminAnswer:
    """A question back naming what the call got wrong (nothing ran), with the
    organisation's candidates for the first problem as options."""
    fr = t.lang == "fr"
    said = [PROBLEMS[p.what][fr].format(v=p.value) for p in problems[:3]]
    what = ASKS_FOR.get(problems[0].what, problems[0].what)
    labels = _candidates(problems[0].what, t.org)
    options = [Interpretation(label=x, question=f"{t.reading.question} [{x}]") for x in labels]
    text = " ".join([*said, QUESTIONS[what][fr]])
    return AdminAnswer(kind="clarify", text=text, language=t.lang, options=options, intent=intent)


def _candidates(what: str, org: OrgData) -> list[str]:
    """What the admin may have meant: the organisation's own names of that kind (sessions:
    the coming ones, nearest first; those that took place, latest first, for attendance)."""
    asked = ASKS_FOR.get(what, what)
    if asked == "session":
        today = org.today
        live = [s for s in org.catalog.sessions.values() if s.id not in org.cancelled]
        past = what == "future"
        pick = [s for s in live if (s.start.date() <= today) == past] or live
        pick.sort(key=lambda s: (abs((s.start.date() - today).days), s.id))
        return [org.session_label(s.id) for s in pick[:8]]
    if asked == "course":
        return [i.title for i in org.catalog.items.values()][:12]
    if asked in ("team", "manager"):
        return (org.teams if asked == "team" else org.managers)[:12]
    return []
