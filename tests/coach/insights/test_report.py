"""Item analysis read from stored quiz attempts; topics read with the organisation's minimum."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from coach import storage
from coach.insights.items import ItemRules
from coach.insights.report import item_analysis
from coach.quizzes.items import Option, QuizItem, Source


def _payload(stem: str) -> dict[str, object]:
    item = QuizItem(
        kind="mcq",
        stem=stem,
        options=(Option(text="right", correct=True), Option(text="wrong"), Option(text="odd")),
        answer="right",
        source=Source(chunk_id="c#s:0", course_id="gdpr"),
    )
    return item.model_dump(mode="json")


def test_item_analysis_reads_the_attempts_of_the_current_version(db_engine: Engine) -> None:
    with Session(db_engine) as session, session.begin():
        org = storage.create_organisation(session, slug="northwind", name="Northwind")
        items = [
            storage.save_item(
                session,
                org_id=org.id,
                course_id="gdpr",
                module_id="m",
                chunk_id="c#s:0",
                kind="mcq",
                skills=["s"],
                payload=_payload(f"Q{n}?"),
                fingerprint=f"fp{n}",
                generator="offline",
            )[0]
            for n in range(2)
        ]
        # four learners: the strong two get Q0 right and pick "wrong" on Q1, the weak two
        # the other way round
        for n, strong in enumerate((True, True, False, False)):
            user = storage.create_user(session, org_id=org.id, external_id=f"u{n}")
            viewer = storage.Viewer(id=user.id, org_id=org.id, role="learner")
            quiz = storage.create_quiz(
                session, viewer=viewer, item_ids=[i.id for i in items], scope={}
            )
            for item, correct in ((items[0], strong), (items[1], not strong)):
                storage.record_attempt(
                    session,
                    quiz=quiz,
                    item=item,
                    answer={"choice": 0 if correct else 1, "text": None},
                    correct=correct,
                    score=float(correct),
                    confidence=1.0,
                    feedback="",
                    time_taken_ms=None,
                )
        org_id = org.id
    with Session(db_engine) as session:
        rows = item_analysis(session, org_id=org_id, rules=ItemRules(min_attempts=4))
    by = {r.stem: r for r in rows}
    q0, q1 = by["Q0?"], by["Q1?"]
    assert q0.stats.attempts == 4 and q0.stats.difficulty == 0.5
    assert q0.stats.discrimination is not None and q0.stats.discrimination < 0  # vs Q1 only
    assert q1.key == 0 and q1.options == ["right", "wrong", "odd"]
    assert q1.stats.picks == [2, 2, 0] and "unused_distractor" in q1.stats.flags
    assert "key_beaten" in q1.stats.flags
