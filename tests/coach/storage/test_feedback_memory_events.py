"""Feedback (one per user and answer), learner memory (visible, erasable), the event log."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coach import storage
from tests.coach.storage.conftest import People


def _answer(session: Session, people: People) -> str:
    conv = storage.create_conversation(session, viewer=people.ana, title="t")
    storage.add_message(session, conversation_id=conv.id, role="user", content="q")
    answer = storage.add_message(session, conversation_id=conv.id, role="assistant", content="a")
    session.commit()
    return answer.id


def test_feedback_again_replaces_the_first(session: Session, people: People) -> None:
    answer_id = _answer(session, people)
    first = storage.upsert_feedback(session, message_id=answer_id, user_id=people.ana.id, rating=1)
    session.commit()
    created = first.created_at
    second = storage.upsert_feedback(
        session, message_id=answer_id, user_id=people.ana.id, rating=-1, comment="  too short "
    )
    session.commit()
    rows = session.scalars(select(storage.Feedback)).all()
    assert [(r.rating, r.comment) for r in rows] == [(-1, "too short")]
    assert second.id == first.id and second.created_at == created
    assert second.updated_at >= created
    # Clearing the comment clears it.
    storage.upsert_feedback(session, message_id=answer_id, user_id=people.ana.id, rating=-1)
    mine = storage.feedback_for(session, message_ids=[answer_id, "other"], user_id=people.ana.id)
    assert list(mine) == [answer_id] and mine[answer_id].comment is None
    assert storage.feedback_for(session, message_ids=[answer_id], user_id=people.luc.id) == {}
    assert storage.feedback_for(session, message_ids=[], user_id=people.ana.id) == {}


@pytest.mark.parametrize(
    ("rating", "comment", "message"),
    [(0, None, "rating"), (2, None, "rating"), (1, "x" * 2001, "limit")],
)
def test_feedback_is_validated(
    session: Session, people: People, rating: int, comment: str | None, message: str
) -> None:
    answer_id = _answer(session, people)
    with pytest.raises(ValueError, match=message):
        storage.upsert_feedback(
            session, message_id=answer_id, user_id=people.ana.id, rating=rating, comment=comment
        )
    assert storage.list_feedback(session, message_id=answer_id) == []


def test_memory_is_per_learner_deduplicated_and_erasable(session: Session, people: People) -> None:
    goal = storage.add_memory(
        session, user_id=people.ana.id, kind="goal", text="Lead my   team through the move"
    )
    again = storage.add_memory(
        session, user_id=people.ana.id, kind="goal", text="lead my team through the move"
    )
    fact = storage.add_memory(session, user_id=people.ana.id, kind="fact", text="Works nights")
    storage.add_memory(session, user_id=people.luc.id, kind="fact", text="Works nights")
    assert again.id == goal.id and goal.text == "Lead my team through the move"
    assert [m.id for m in storage.list_memory(session, user_id=people.ana.id)] == [goal.id, fact.id]
    with pytest.raises(ValueError, match="kind"):
        storage.add_memory(session, user_id=people.ana.id, kind="secret", text="x")
    with pytest.raises(ValueError, match="empty"):
        storage.add_memory(session, user_id=people.ana.id, kind="fact", text="   ")

    # Luc cannot erase Ana's item by guessing its id; Ana's item survives the attempt.
    with pytest.raises(storage.NotFound):
        storage.delete_memory(session, user_id=people.luc.id, memory_id=goal.id)
    assert len(storage.list_memory(session, user_id=people.ana.id)) == 2
    assert storage.delete_memory(session, user_id=people.ana.id, memory_id=goal.id) == 1
    assert [m.id for m in storage.list_memory(session, user_id=people.ana.id)] == [fact.id]
    assert storage.delete_memory(session, user_id=people.ana.id) == 1
    assert storage.list_memory(session, user_id=people.ana.id) == []
    assert len(storage.list_memory(session, user_id=people.luc.id)) == 1


def test_events_are_logged_in_order_and_filtered(session: Session, people: People) -> None:
    org = people.ana.org_id
    storage.log_event(
        session, org_id=org, user_id=people.ana.id, type="chat.answered", payload={"covered": True}
    )
    storage.log_event(session, org_id=org, user_id=people.luc.id, type="chat.answered")
    storage.log_event(session, org_id=org, type="feedback.given", payload={"rating": -1})
    storage.log_event(session, org_id=people.zoe.org_id, type="chat.answered")
    session.commit()
    events = storage.list_events(session, org_id=org)
    assert [e.type for e in events] == ["chat.answered", "chat.answered", "feedback.given"]
    assert events[0].payload == {"covered": True} and events[1].payload == {}
    answered = storage.list_events(session, org_id=org, type="chat.answered", user_id=people.luc.id)
    assert [e.id for e in answered] == [events[1].id]
    assert [e.id for e in storage.list_events(session, org_id=org, after_id=events[1].id)] == [
        events[2].id
    ]
    assert (
        storage.list_events(session, org_id=org, since=events[2].created_at)[-1].id == events[2].id
    )
    with pytest.raises(ValueError, match="type"):
        storage.log_event(session, org_id=org, type="")


def test_erasing_a_user_erases_their_data_and_keeps_anonymous_events(
    session: Session, people: People
) -> None:
    answer_id = _answer(session, people)
    storage.upsert_feedback(session, message_id=answer_id, user_id=people.ana.id, rating=1)
    storage.add_memory(session, user_id=people.ana.id, kind="fact", text="Works nights")
    storage.log_event(
        session, org_id=people.ana.org_id, user_id=people.ana.id, type="chat.answered"
    )
    session.commit()
    session.delete(storage.get_user(session, user_id=people.ana.id))
    session.commit()
    for model in (storage.Conversation, storage.Message, storage.Feedback, storage.LearnerMemory):
        assert session.scalar(select(func.count()).select_from(model)) == 0, model
    [event] = storage.list_events(session, org_id=people.ana.org_id)
    assert event.type == "chat.answered" and event.user_id is None
