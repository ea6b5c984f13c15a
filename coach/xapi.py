"""xAPI 1.0.3 statements for what learners do with the coach (an LRS reads them).

Statements are built here and stored in the event log (``payload["xapi"]``); the LMS
integration sends them on to a Learning Record Store. Activity ids are IRIs under the
service's public URL; the learner is identified by their LMS account (the organisation's
home page and their external id), never by an email the LMS did not give us.

Reference: https://github.com/adlnet/xAPI-Spec/blob/master/xAPI-Data.md
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from coach.quizzes.items import QuizItem

VERB_ANSWERED = {
    "id": "http://adlnet.gov/expapi/verbs/answered",
    "display": {"en-US": "answered"},
}
INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"
QUESTION = "http://adlnet.gov/expapi/activities/question"
ASSESSMENT = "http://adlnet.gov/expapi/activities/assessment"
COURSE = "http://adlnet.gov/expapi/activities/course"
EXT = "https://blendcoach.dev/xapi/extensions"

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
