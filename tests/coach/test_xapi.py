"""xAPI statements of graded answers: the fields an LRS needs, in the spec's shapes."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime

from coach import xapi
from coach.quizzes.items import Option, QuizItem, Source

SOURCE = Source(chunk_id="gdpr/04#delay", course_id="gdpr-basics", course_title="RGPD")


def _mcq() -> QuizItem:
    return QuizItem(
        kind="mcq",
        stem="Within how many hours must a breach be notified?",
        options=(Option(text="24"), Option(text="72", correct=True), Option(text="7 days")),
        answer="72",
        source=SOURCE,
        skills=("breach-reporting",),
    )


def _statement(item: QuizItem, **kw: object) -> dict:
    args: dict = {
        "statement_id": str(uuid.uuid4()),
        "base_url": "https://coach.example.com",
        "org_home": "https://lms.northwind.example",
        "external_id": "ana@northwind",
        "display_name": "Ana",
        "item_id": "item-1",
        "item": item,
        "quiz_id": "quiz-1",
        "response": "1",
        "correct": True,
        "score": 1.0,
        "confidence": 1.0,
        "hints_used": 1,
        "time_taken_ms": 12345,
        "timestamp": datetime(2026, 11, 27, 9, 30, tzinfo=UTC),
    } | kw
    return xapi.answered(**args)


def test_answered_statement_has_actor_verb_object_result_and_context() -> None:
    s = _statement(_mcq())
    uuid.UUID(s["id"])
    assert s["actor"]["account"] == {
        "homePage": "https://lms.northwind.example",
        "name": "ana@northwind",
    }
    assert "mbox" not in s["actor"]  # an account, never an invented email
    assert s["verb"]["id"] == "http://adlnet.gov/expapi/verbs/answered"
    obj = s["object"]
    assert obj["id"] == "https://coach.example.com/xapi/items/item-1"
    definition = obj["definition"]
    assert definition["interactionType"] == "choice"
    assert [c["id"] for c in definition["choices"]] == ["0", "1", "2"]
    assert definition["correctResponsesPattern"] == ["1"]
    result = s["result"]
    assert result["success"] is True and result["score"]["scaled"] == 1.0
    assert re.fullmatch(r"PT\d+(\.\d{1,2})?S", result["duration"])
    assert result["extensions"][f"{xapi.EXT}/hints-used"] == 1
    parents = s["context"]["contextActivities"]["parent"]
    assert parents[0]["id"].endswith("/xapi/quizzes/quiz-1")
    assert s["context"]["extensions"][f"{xapi.EXT}/skills"] == ["breach-reporting"]
    assert s["timestamp"] == "2026-11-27T09:30:00+00:00"


def test_each_kind_maps_to_its_interaction_type() -> None:
    tf = QuizItem(
        kind="true_false",
        stem="True or false? A breach is notified within 72 hours.",
        options=(Option(text="True", correct=True), Option(text="False")),
        answer="True",
        source=SOURCE,
    )
    cloze = QuizItem(
        kind="cloze", stem="A breach is notified within _____ hours.", answer="72",
        accepted=("seventy-two",), source=SOURCE,
    )  # fmt: skip
    short = QuizItem(kind="short_answer", stem="What is a breach?", answer="A leak.", source=SOURCE)
    shapes = {
        item.kind: _statement(item, response="x", time_taken_ms=None)["object"]["definition"]
        for item in (tf, cloze, short)
    }
    assert shapes["true_false"]["interactionType"] == "true-false"
    assert shapes["true_false"]["correctResponsesPattern"] == ["true"]
    assert shapes["cloze"]["interactionType"] == "fill-in"
    assert shapes["cloze"]["correctResponsesPattern"] == [
        "{case_matters=false}72",
        "{case_matters=false}seventy-two",
    ]
    assert shapes["short_answer"]["interactionType"] == "long-fill-in"
    assert "correctResponsesPattern" not in shapes["short_answer"]
    assert "duration" not in _statement(short, time_taken_ms=None)["result"]
