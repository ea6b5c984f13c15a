"""xAPI 1.0.3 statements for what learners do with the coach (an LRS reads them).

Statements are built here and stored in the event log (``payload["xapi"]``); the LMS
integration sends them on to a Learning Record Store. Activity ids are IRIs under the
service's public URL; the learner is identified by their LMS account (the organisation's
home page and their external id), never by an email the LMS did not give us.

Reference: https://github.com/adlnet/xAPI-Spec/blob/master/xAPI-Data.md
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from coach import storage
from coach.quizzes.items import QuizItem

VERSION = "1.0.3"


def _verb(iri: str, en: str, fr: str | None = None) -> dict[str, Any]:
    display = {"en-US": en} | ({"fr-FR": fr} if fr else {})
    return {"id": iri, "display": display}


# Verbs from ADL's own vocabulary (the "ADL Vocabulary" profile on profiles.adlnet.gov, as
# listed e.g. by the xapi-data crate's Vocabulary enum), not verbs of our own, where one fits:
# no published xAPI profile for AI tutors or chatbots was found, so a learner's question to
# the coach is ADL ``asked`` ("an inquiry by an actor with the expectation of a response"),
# and a conversation opening is ``initialized``, the verb the xapi-fr Moodle/VLE profile
# (github.com/xapi-fr/moodle-profile, vocab.md) and cmi5 use when an activity starts.
# ``attended``, ``mastered`` and ``registered`` ("officially enrolled": an approved path) are
# ADL's verbs for a session, a competency and an enrolment; ``answered`` is a quiz item's.
VERB_ANSWERED = _verb("http://adlnet.gov/expapi/verbs/answered", "answered", "a répondu")
VERB_INITIALIZED = _verb("http://adlnet.gov/expapi/verbs/initialized", "initialized", "a commencé")
VERB_ASKED = _verb("http://adlnet.gov/expapi/verbs/asked", "asked", "a demandé")
VERB_ATTENDED = _verb("http://adlnet.gov/expapi/verbs/attended", "attended", "a assisté à")
VERB_MASTERED = _verb("http://adlnet.gov/expapi/verbs/mastered", "mastered", "maîtrise")
VERB_REGISTERED = _verb("http://adlnet.gov/expapi/verbs/registered", "registered", "inscrit")
INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"
QUESTION = "http://adlnet.gov/expapi/activities/question"
ASSESSMENT = "http://adlnet.gov/expapi/activities/assessment"
COURSE = "http://adlnet.gov/expapi/activities/course"
MEETING = "http://adlnet.gov/expapi/activities/meeting"
OBJECTIVE = "http://adlnet.gov/expapi/activities/objective"
# The Tin Can registry's chat types (registry.tincanapi.com), used by chat integrations.
CHAT = "http://id.tincanapi.com/activitytype/chat-channel"
LEARNING_PATH = "https://blendcoach.dev/xapi/activities/learning-path"
EXT = "https://blendcoach.dev/xapi/extensions"

STATEMENT_EVENTS = (
    "chat.started",
    "chat.answered",
    "quiz.answered",
    "mastery.reached",
    "path.approved",
    "session.attended",
    "manager.application_confirmed",
)
"""The event types whose payload carries an xAPI statement (``payload["xapi"]``)."""


def new_statement_id() -> str:
    """A fresh statement id (stored with the event, so every resend carries the same one)."""
    return str(uuid.uuid4())


def agent(name: str, org_home: str, external_id: str) -> dict[str, Any]:
    """A person as an xAPI Agent: their LMS account, never an invented email."""
    return {
        "objectType": "Agent",
        "name": name,
        "account": {"homePage": org_home, "name": external_id},
    }


def person(session: Session, *, base_url: str, user_id: str) -> dict[str, Any]:
    """The stored user as an Agent, their account on their organisation's home page."""
    user = storage.get_user(session, user_id=user_id)
    org = storage.get_organisation(session, org_id=user.org_id)
    return agent(user.display_name, f"{base_url}/orgs/{org.slug}", user.external_id)


def new_sign_offs(
    session: Session, *, org_id: str, rows: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The attendance rows that sign a learner off who was not signed off yet (call before
    saving them): the ones :func:`log_attendance` turns into statements, once each."""
    signed = [r for r in rows if r.get("signed") and r.get("user_id")]
    ids = sorted({r["session_id"] for r in signed})
    before = {
        (a.session_id, a.user_id)
        for a in storage.attendance(session, org_id=org_id, session_ids=ids)
        if a.signed
    }
    return [r for r in signed if (r["session_id"], r["user_id"]) not in before]


def log_attendance(
    session: Session, *, base_url: str, org_id: str, rows: list[dict[str, Any]], at: datetime
) -> int:
    """Log ``session.attended`` with its ``attended`` statement for each sign-off row (from
    :func:`new_sign_offs`); how many."""
    for r in rows:
        user = storage.get_user(session, user_id=r["user_id"])
        statement = session_attended(
            statement_id=new_statement_id(),
            base_url=base_url,
            learner=person(session, base_url=base_url, user_id=user.id),
            session_id=r["session_id"],
            item_id=None,
            language=user.locale,
            timestamp=r.get("signed_at") or at,
        )
        storage.log_event(
            session,
            org_id=org_id,
            user_id=user.id,
            type="session.attended",
            payload={"session_id": r["session_id"], "xapi": statement},
        )
    return len(rows)


def activity(iri: str, type_: str, name: str | None = None) -> dict[str, Any]:
    """An Activity object of ADL (or the service's) ``type_``."""
    definition: dict[str, Any] = {"type": type_}
    if name:
        definition["name"] = {"und": name}
    return {"objectType": "Activity", "id": iri, "definition": definition}


# cmi.interaction types of each item kind.
INTERACTION_TYPES = {
    "mcq": "choice",
    "true_false": "true-false",
    "cloze": "fill-in",
    "short_answer": "long-fill-in",
}


def duration(ms: int | None) -> str | None:
    """An ISO 8601 duration (``PT12.34S``), to the hundredth of a second as xAPI asks."""
    if ms is None or ms < 0:
        return None
    return f"PT{ms / 1000:.2f}S"


def _lang(language: str) -> str:
    return {"en": "en-US", "fr": "fr-FR"}.get(language, language or "und")


def item_activity(base_url: str, item_id: str, item: QuizItem) -> dict[str, Any]:
    """The item as a cmi.interaction activity, with its choices and correct response."""
    lang = _lang(item.language)
    definition: dict[str, Any] = {
        "type": INTERACTION,
        "name": {lang: item.stem},
        "interactionType": INTERACTION_TYPES[item.kind],
    }
    if item.kind == "true_false":
        index = item.correct_index
        definition["correctResponsesPattern"] = [
            "true" if index is not None and index == 0 else "false"
        ]
    elif item.options:
        definition["choices"] = [
            {"id": str(i), "description": {lang: o.text}} for i, o in enumerate(item.options)
        ]
        if item.correct_index is not None:
            definition["correctResponsesPattern"] = [str(item.correct_index)]
    elif item.kind == "cloze":
        definition["correctResponsesPattern"] = [
            "{case_matters=false}" + a for a in (item.answer, *item.accepted)
        ]
    return {
        "objectType": "Activity",
        "id": f"{base_url}/xapi/items/{item_id}",
        "definition": definition,
    }


def answered(
    *,
    statement_id: str,
    base_url: str,
    org_home: str,
    external_id: str,
    display_name: str,
    item_id: str,
    item: QuizItem,
    quiz_id: str,
    response: str,
    correct: bool,
    score: float,
    confidence: float,
    hints_used: int,
    time_taken_ms: int | None,
    timestamp: datetime,
) -> dict[str, Any]:
    """The ``answered`` statement of one graded attempt.

    Args:
        statement_id: a UUID (the attempt's id, so the statement is sent once).
        base_url: the service's public URL (activity ids live under it).
        org_home: the organisation's LMS home page (the account's ``homePage``).
        external_id: the learner's LMS id (the account's ``name``).
        response: the learner's response in cmi form (option index, ``true``/``false``,
            or their text).
    """
    result: dict[str, Any] = {
        "success": correct,
        "score": {"scaled": round(score, 4), "raw": round(score, 4), "min": 0, "max": 1},
        "response": response,
        "extensions": {f"{EXT}/hints-used": hints_used, f"{EXT}/confidence": round(confidence, 4)},
    }
    if (spent := duration(time_taken_ms)) is not None:
        result["duration"] = spent
    source = item.source
    context: dict[str, Any] = {
        "platform": "blendcoach",
        "language": _lang(item.language),
        "contextActivities": {
            "parent": [
                {
                    "objectType": "Activity",
                    "id": f"{base_url}/xapi/quizzes/{quiz_id}",
                    "definition": {"type": ASSESSMENT},
                }
            ],
            "grouping": [
                {
                    "objectType": "Activity",
                    "id": f"{base_url}/xapi/courses/{source.course_id}",
                    "definition": {"type": COURSE, "name": {"und": source.course_title}},
                }
            ],
        },
        "extensions": {f"{EXT}/skills": list(item.skills), f"{EXT}/chunk": source.chunk_id},
    }
    return {
        "id": statement_id,
        "actor": {
            "objectType": "Agent",
            "name": display_name,
            "account": {"homePage": org_home, "name": external_id},
        },
        "verb": VERB_ANSWERED,
        "object": item_activity(base_url, item_id, item),
        "result": result,
        "context": context,
        "timestamp": timestamp.isoformat(),
    }


def _context(
    language: str, parents: list[dict[str, Any]], extensions: dict[str, Any] | None = None
) -> dict[str, Any]:
    context: dict[str, Any] = {"platform": "blendcoach", "language": _lang(language)}
    if parents:
        context["contextActivities"] = {"parent": parents}
    if extensions:
        context["extensions"] = extensions
    return context


def _statement(
    statement_id: str,
    actor: dict[str, Any],
    verb: dict[str, Any],
    obj: dict[str, Any],
    context: dict[str, Any],
    timestamp: datetime,
    result: dict[str, Any] | None = None,
) -> dict[str, Any]:
    out = {"id": statement_id, "actor": actor, "verb": verb, "object": obj}
    if result:
        out["result"] = result
    return out | {"context": context, "timestamp": timestamp.isoformat()}


def _course(base_url: str, course_id: str | None) -> list[dict[str, Any]]:
    return [] if not course_id else [activity(f"{base_url}/xapi/courses/{course_id}", COURSE)]


def conversation_started(
    *,
    statement_id: str,
    base_url: str,
    learner: dict[str, Any],
    conversation_id: str,
    course_id: str | None,
    language: str,
    timestamp: datetime,
) -> dict[str, Any]:
    """``initialized``: the learner opened a conversation with the coach (in a course)."""
    obj = activity(f"{base_url}/xapi/conversations/{conversation_id}", CHAT)
    context = _context(language, _course(base_url, course_id))
    return _statement(statement_id, learner, VERB_INITIALIZED, obj, context, timestamp)


def question_asked(
    *,
    statement_id: str,
    base_url: str,
    learner: dict[str, Any],
    conversation_id: str,
    message_id: str,
    course_id: str | None,
    language: str,
    covered: bool,
    responder: str,
    chunks: list[str],
    latency_ms: float,
    timestamp: datetime,
) -> dict[str, Any]:
    """``asked``: one question to the coach and how it was answered (never the text: the
    conversation stays in the service; the LRS learns that, where and how well)."""
    obj = activity(f"{base_url}/xapi/questions/{message_id}", QUESTION)
    parents = [activity(f"{base_url}/xapi/conversations/{conversation_id}", CHAT)]
    result = {
        "completion": True,
        "duration": duration(round(latency_ms)),
        "extensions": {
            f"{EXT}/covered": covered,
            f"{EXT}/responder": responder,
            f"{EXT}/cited-chunks": chunks,
        },
    }
    context = _context(language, parents + _course(base_url, course_id))
    return _statement(statement_id, learner, VERB_ASKED, obj, context, timestamp, result)


def mastery_reached(
    *,
    statement_id: str,
    base_url: str,
    learner: dict[str, Any],
    skill: str,
    p_mastery: float,
    attempts: int,
    quiz_id: str,
    language: str,
    timestamp: datetime,
) -> dict[str, Any]:
    """``mastered``: the learner model's P(mastered) of a skill rose past the threshold."""
    obj = activity(f"{base_url}/xapi/skills/{skill}", OBJECTIVE, skill)
    result = {
        "success": True,
        "score": {"scaled": round(p_mastery, 4)},
        "extensions": {f"{EXT}/attempts": attempts},
    }
    parents = [activity(f"{base_url}/xapi/quizzes/{quiz_id}", ASSESSMENT)]
    context = _context(language, parents)
    return _statement(statement_id, learner, VERB_MASTERED, obj, context, timestamp, result)


def path_approved(
    *,
    statement_id: str,
    base_url: str,
    learner: dict[str, Any],
    reviewer: dict[str, Any] | None,
    path_id: str,
    version: int,
    steps: list[str],
    language: str,
    timestamp: datetime,
) -> dict[str, Any]:
    """``registered``: the learner's path was approved (by ``reviewer``; None: in bulk by
    the command line), so they are enrolled on its steps."""
    obj = activity(f"{base_url}/xapi/paths/{path_id}", LEARNING_PATH)
    extensions = {f"{EXT}/path-version": version, f"{EXT}/steps": steps}
    context = _context(language, [], extensions)
    if reviewer is not None:
        context["instructor"] = reviewer
    return _statement(statement_id, learner, VERB_REGISTERED, obj, context, timestamp)


def session_attended(
    *,
    statement_id: str,
    base_url: str,
    learner: dict[str, Any],
    session_id: str,
    item_id: str | None,
    language: str,
    timestamp: datetime,
) -> dict[str, Any]:
    """``attended``: the learner's sign-off of a classroom or virtual session."""
    obj = activity(f"{base_url}/xapi/sessions/{session_id}", MEETING)
    parents = [] if not item_id else [activity(f"{base_url}/xapi/catalog/{item_id}", COURSE)]
    context = _context(language, parents)
    return _statement(statement_id, learner, VERB_ATTENDED, obj, context, timestamp)
