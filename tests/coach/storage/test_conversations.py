"""Conversations and messages: who reads and writes what, order, paging, summaries, erasure."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coach import storage
from tests.coach.storage.conftest import People

# who (a People attribute) -> what happens when they read / write ana's conversation
ACCESS = [
    ("ana", None, None),  # the owner
    ("luc", storage.NotFound, storage.NotFound),  # another learner: does not exist for them
    ("maria", None, storage.Forbidden),  # the admin: reads, cannot speak in ana's name
    ("ravi", storage.NotFound, storage.NotFound),  # the reviewer: nothing of learners' chats
    ("zoe", storage.NotFound, storage.NotFound),  # another organisation: invisible
]


def _conversation(session: Session, people: People) -> tuple[str, str, str]:
    conv = storage.create_conversation(session, viewer=people.ana, title="Breach reporting")
    q = storage.add_message(session, conversation_id=conv.id, role="user", content="How fast?")
    a = storage.add_message(
        session,
        conversation_id=conv.id,
        role="assistant",
        content="Within 72 hours [1].",
        citations=[{"n": 1, "chunk_id": "c1"}],
        covered=True,
        meta={"retrieval_ms": 3.5},
    )
    session.commit()
    return conv.id, q.id, a.id


@pytest.mark.parametrize(("who", "read_error", "write_error"), ACCESS)
def test_who_reads_and_writes_a_learners_conversation(
    session: Session,
    people: People,
    who: str,
    read_error: type[Exception] | None,
    write_error: type[Exception] | None,
) -> None:
    conv_id, _, answer_id = _conversation(session, people)
    viewer = getattr(people, who)
    for write, error in ((False, read_error), (True, write_error)):
        for call in (
            partial(storage.get_conversation, session, conversation_id=conv_id, write=write),
            partial(storage.get_message, session, message_id=answer_id, write=write),
        ):
            if error is None:
                assert call(viewer=viewer) is not None
            else:
                with pytest.raises(error):
                    call(viewer=viewer)


def test_unknown_ids_are_not_found(session: Session, people: People) -> None:
    with pytest.raises(storage.NotFound, match="conversation"):
        storage.get_conversation(session, conversation_id="nope", viewer=people.ana)
    with pytest.raises(storage.NotFound, match="message"):
        storage.get_message(session, message_id="nope", viewer=people.maria)
    with pytest.raises(storage.NotFound):
        storage.add_message(session, conversation_id="nope", role="user", content="hi")


def test_listing_shows_only_what_the_viewer_may_read(session: Session, people: People) -> None:
    conv_id, _, _ = _conversation(session, people)
    storage.create_conversation(session, viewer=people.luc, title="Luc's")
    mine = storage.list_conversations(session, viewer=people.ana)
    assert [c.id for c in mine] == [conv_id]
    assert conv_id not in [c.id for c in storage.list_conversations(session, viewer=people.luc)]
    # The admin lists a learner of their organisation; nobody else may.
    listed = storage.list_conversations(session, viewer=people.maria, user_id=people.ana.id)
    assert [c.id for c in listed] == [conv_id]
    for intruder in (people.luc, people.ravi):
        with pytest.raises(storage.Forbidden):
            storage.list_conversations(session, viewer=intruder, user_id=people.ana.id)
    with pytest.raises(storage.Forbidden):
        storage.list_conversations(session, viewer=people.zoe, user_id=people.ana.id)
    # An admin of another organisation learns nothing about ana.
    other_admin = storage.Viewer(id="x", org_id=people.zoe.org_id, role="admin")
    with pytest.raises(storage.NotFound):
        storage.list_conversations(session, viewer=other_admin, user_id=people.ana.id)


def test_conversations_list_by_latest_activity_and_page(session: Session, people: People) -> None:
    ids = [
        storage.create_conversation(session, viewer=people.ana, title=f"c{i}").id for i in range(3)
    ]
    # Talking in the first one makes it the most recent.
    storage.add_message(session, conversation_id=ids[0], role="user", content="back again")
    listed = storage.list_conversations(session, viewer=people.ana)
    assert [c.title for c in listed] == ["c0", "c2", "c1"]
    first_page = storage.list_conversations(session, viewer=people.ana, limit=2)
    assert [c.title for c in first_page] == ["c0", "c2"]
    rest = storage.list_conversations(session, viewer=people.ana, before=first_page[-1].updated_at)
    assert [c.title for c in rest] == ["c1"]


def test_messages_keep_their_order_and_recent_window(session: Session, people: People) -> None:
    conv = storage.create_conversation(session, viewer=people.ana, title="  ")
    assert conv.title == "New conversation"
    for i in range(7):  # written within one clock tick or not, order holds
        storage.add_message(
            session, conversation_id=conv.id, role=("user", "assistant")[i % 2], content=f"m{i}"
        )
    session.commit()
    session.expire_all()
    contents = [m.content for m in storage.list_messages(session, conversation_id=conv.id)]
    assert contents == [f"m{i}" for i in range(7)]
    recent = storage.recent_messages(session, conversation_id=conv.id, limit=3)
    assert [m.content for m in recent] == ["m4", "m5", "m6"]
    older = storage.older_messages(session, conversation_id=conv.id, keep=3)
    assert [m.content for m in older] == ["m0", "m1", "m2", "m3"]
    assert storage.older_messages_count(session, conversation_id=conv.id, keep=3) == 4
    assert storage.older_messages_count(session, conversation_id=conv.id, keep=10) == 0
    assert storage.recent_messages(session, conversation_id=conv.id, limit=0) == []
    with pytest.raises(ValueError, match="role"):
        storage.add_message(session, conversation_id=conv.id, role="system", content="x")


def test_answer_fields_round_trip_and_summary(session: Session, people: People) -> None:
    conv_id, _, answer_id = _conversation(session, people)
    storage.set_summary(session, conversation_id=conv_id, summary="Asked about breaches.")
    session.commit()
    session.expire_all()
    answer = storage.get_message(session, message_id=answer_id, viewer=people.ana)
    assert answer.citations == [{"n": 1, "chunk_id": "c1"}]
    assert answer.covered is True and answer.meta == {"retrieval_ms": 3.5}
    conv = storage.get_conversation(session, conversation_id=conv_id, viewer=people.ana)
    assert conv.summary == "Asked about breaches."
    assert conv.updated_at >= answer.created_at > conv.created_at - timedelta(seconds=1)


def test_erasing_a_conversation_takes_its_messages_and_feedback(
    session: Session, people: People
) -> None:
    conv_id, question_id, answer_id = _conversation(session, people)
    storage.upsert_feedback(session, message_id=answer_id, user_id=people.ana.id, rating=1)
    memory = storage.add_memory(
        session, user_id=people.ana.id, kind="goal", text="lead", source_message_id=question_id
    )
    session.commit()
    with pytest.raises(storage.Forbidden):
        storage.delete_conversation(session, conversation_id=conv_id, viewer=people.maria)
    storage.delete_conversation(session, conversation_id=conv_id, viewer=people.ana)
    session.commit()
    counts = [
        session.scalar(select(func.count()).select_from(model))
        for model in (storage.Conversation, storage.Message, storage.Feedback)
    ]
    assert counts == [0, 0, 0]
    # What the learner told the coach stays theirs to keep or erase; it forgets the source.
    kept = storage.list_memory(session, user_id=people.ana.id)
    assert [(m.id, m.source_message_id) for m in kept] == [(memory.id, None)]
