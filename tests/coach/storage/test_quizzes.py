"""Quiz items, quizzes, attempts, mastery and review cards on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coach import storage
from coach.storage.models import utcnow
from tests.coach.storage.conftest import People


def _item(session: Session, people: People, n: int = 1, **extra: Any) -> storage.QuizItem:
    fields: dict[str, Any] = {
        "org_id": people.ana.org_id,
        "course_id": "gdpr",
        "module_id": "breaches",
        "chunk_id": f"gdpr/04#delay-{n}",
        "kind": "mcq",
        "skills": ["breach-reporting"],
        "payload": {"stem": f"Question {n}?", "options": ["a", "b", "c"], "correct": 0},
        "fingerprint": f"fp-{n}",
        "generator": "offline",
    } | extra
    item, created = storage.save_item(session, **fields)
    assert created
    return item


def test_an_item_is_stored_once_and_a_retired_one_is_not_resurrected(
    session: Session, people: People
) -> None:
    item = _item(session, people)
    storage.set_item_status(session, item_id=item.id, viewer=people.maria, status="retired")
    again, created = storage.save_item(
        session,
        org_id=people.ana.org_id,
        course_id="gdpr",
        module_id=None,
        chunk_id="elsewhere",
        kind="mcq",
        skills=[],
        payload={"stem": "the same question"},
        fingerprint="fp-1",
        generator="offline",
    )
    assert (again.id, created, again.status) == (item.id, False, "retired")
    assert storage.active_items(session, org_id=people.ana.org_id) == []
    # Another organisation has its own items, even for the same question.
    theirs, created = storage.save_item(
        session,
        org_id=people.zoe.org_id,
        course_id="gdpr",
        module_id=None,
        chunk_id="c",
        kind="mcq",
        skills=[],
        payload={},
        fingerprint="fp-1",
        generator="offline",
    )
    assert created and theirs.id != item.id


@pytest.mark.parametrize(
    ("who", "read", "write"),
    [
        ("maria", None, None),  # the admin curates
        ("ravi", None, storage.Forbidden),  # the reviewer reads items, changes nothing
        ("ana", storage.Forbidden, storage.Forbidden),  # learners never see answers this way
        ("zoe", storage.NotFound, storage.NotFound),  # another organisation
    ],
)
def test_who_reads_and_curates_items(
    session: Session, people: People, who: str, read: type | None, write: type | None
) -> None:
    item = _item(session, people)
    viewer = getattr(people, who)
    if read is None:
        assert storage.get_item(session, item_id=item.id, viewer=viewer).id == item.id
    else:
        with pytest.raises(read):
            storage.get_item(session, item_id=item.id, viewer=viewer)
    if write is None:
        storage.set_item_status(session, item_id=item.id, viewer=viewer, status="retired")
    else:
        with pytest.raises(write):
            storage.set_item_status(session, item_id=item.id, viewer=viewer, status="retired")


def test_editing_keeps_the_version_an_attempt_saw(session: Session, people: People) -> None:
    item = _item(session, people)
    quiz = storage.create_quiz(session, viewer=people.ana, item_ids=[item.id], scope={})
    attempt = storage.record_attempt(
        session,
        quiz=quiz,
        item=item,
        answer={"choice": 0},
        correct=True,
        score=1.0,
        confidence=1.0,
        feedback="Right.",
        time_taken_ms=1200,
    )
    new = {"stem": "Question 1, clearer?", "options": ["a", "b", "c"], "correct": 0}
    storage.edit_item(session, item_id=item.id, viewer=people.maria, payload=new)
    assert item.version == 2 and item.updated_by == people.maria.id
    seen = storage.item_payload(session, item=item, version=attempt.item_version)
    assert seen["stem"] == "Question 1?"
    assert storage.item_payload(session, item=item, version=2) == new
    with pytest.raises(storage.NotFound):
        storage.item_payload(session, item=item, version=7)


def test_an_item_answered_twice_in_a_quiz_counts_once(session: Session, people: People) -> None:
    first, second = _item(session, people, 1), _item(session, people, 2)
    quiz = storage.create_quiz(
        session, viewer=people.ana, item_ids=[first.id, second.id], scope={"course_id": "gdpr"}
    )
    session.commit()
    grade = {
        "answer": {"choice": 1},
        "correct": False,
        "score": 0.0,
        "confidence": 1.0,
        "feedback": "No.",
        "time_taken_ms": None,
    }
    storage.use_hint(session, quiz=quiz, item_id=first.id)
    storage.use_hint(session, quiz=quiz, item_id=first.id)
    attempt = storage.record_attempt(session, quiz=quiz, item=first, **grade)
    assert attempt.hints_used == 2 and attempt.skills == ["breach-reporting"]
    assert quiz.completed_at is None
    with pytest.raises(storage.AlreadyExists):
        storage.record_attempt(session, quiz=quiz, item=first, **grade | {"correct": True})
    # The refused answer rolled back alone: the first one and the session are intact.
    storage.record_attempt(session, quiz=quiz, item=second, **grade)
    session.commit()
    assert quiz.completed_at is not None
    count = session.scalar(select(func.count()).select_from(storage.QuizAttempt))
    assert count == 2
    assert [a.correct for a in storage.list_attempts(session, quiz_id=quiz.id)] == [False, False]
    with pytest.raises(storage.NotFound):
        storage.quiz_item(session, quiz=quiz, item_id="not-in-this-quiz")


@pytest.mark.parametrize(
    ("who", "read", "write"),
    [
        ("ana", None, None),
        ("luc", storage.NotFound, storage.NotFound),
        ("maria", None, storage.Forbidden),
        ("ravi", storage.NotFound, storage.NotFound),
        ("zoe", storage.NotFound, storage.NotFound),
    ],
)
def test_who_reads_and_answers_a_quiz(
    session: Session, people: People, who: str, read: type | None, write: type | None
) -> None:
    quiz = storage.create_quiz(
        session, viewer=people.ana, item_ids=[_item(session, people).id], scope={}
    )
    viewer = getattr(people, who)
    for write_mode, expected in ((False, read), (True, write)):
        if expected is None:
            storage.get_quiz(session, quiz_id=quiz.id, viewer=viewer, write=write_mode)
        else:
            with pytest.raises(expected):
                storage.get_quiz(session, quiz_id=quiz.id, viewer=viewer, write=write_mode)


def test_mastery_rows_and_who_may_read_them(session: Session, people: People) -> None:
    for skill, p in (("phishing", 0.8), ("breach-reporting", 0.3)):
        storage.save_mastery(
            session,
            user_id=people.ana.id,
            skill=skill,
            state={"n": 1},
            p_mastery=p,
            low=p - 0.1,
            high=p + 0.1,
            n_attempts=1,
        )
    storage.save_mastery(
        session,
        user_id=people.ana.id,
        skill="phishing",
        state={"n": 2},
        p_mastery=0.9,
        low=0.8,
        high=0.95,
        n_attempts=2,
    )
    rows = storage.list_mastery(session, user_id=people.ana.id)
    assert [(r.skill, r.p_mastery, r.n_attempts) for r in rows] == [
        ("breach-reporting", 0.3, 1),
        ("phishing", 0.9, 2),
    ]
    assert set(storage.mastery_rows(session, user_id=people.ana.id, skills=["phishing"])) == {
        "phishing"
    }
    for reader in (people.ana, people.maria, people.ravi):
        storage.check_mastery_reader(session, viewer=reader, user_id=people.ana.id)
    # A learner may not ask for anyone else's (decided on the role, revealing nothing).
    for learner in (people.luc, people.zoe):
        with pytest.raises(storage.Forbidden):
            storage.check_mastery_reader(session, viewer=learner, user_id=people.ana.id)
    with pytest.raises(storage.NotFound):
        storage.check_mastery_reader(session, viewer=people.maria, user_id=people.zoe.id)


def test_review_cards_come_due_in_order(session: Session, people: People) -> None:
    items = [_item(session, people, n) for n in range(3)]
    now = utcnow()
    for i, item in enumerate(items):
        storage.save_card(
            session,
            user_id=people.ana.id,
            item_id=item.id,
            card={"i": i},
            due=now + timedelta(days=2 * i - 1),
            reviewed_at=now,
        )
    again = storage.save_card(
        session,
        user_id=people.ana.id,
        item_id=items[0].id,
        card={"i": 0, "again": True},
        due=now - timedelta(days=2),
        reviewed_at=now,
    )
    assert again.reviews == 2
    due = storage.due_cards(session, user_id=people.ana.id, until=now)
    assert [c.item_id for c in due] == [items[0].id]
    later = storage.due_cards(session, user_id=people.ana.id, until=now + timedelta(days=1))
    assert [c.item_id for c in later] == [items[0].id, items[1].id]
    assert storage.due_cards(session, user_id=people.luc.id, until=now + timedelta(days=9)) == []


def test_fitted_parameters_are_replaced(session: Session, people: People) -> None:
    org = people.ana.org_id
    assert storage.get_model_params(session, org_id=org) is None
    storage.save_model_params(session, org_id=org, params={"v": 1}, n_attempts=10)
    storage.save_model_params(session, org_id=org, params={"v": 2}, n_attempts=30)
    row = storage.get_model_params(session, org_id=org)
    assert row is not None and (row.params, row.n_attempts) == ({"v": 2}, 30)
