"""Content gap questions and topics: record, flag a thumbs-down, list, replace topics.

Nothing here returns who asked: callers get questions with their ``user_id`` only to count
distinct learners (the topics job), and topics carry counts, never ids of people.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from coach.storage.insight_models import GapQuestion, GapTopic
from coach.storage.models import Conversation, Feedback, Message, QuizAttempt, QuizItem


def record_gap(
    session: Session,
    *,
    org_id: str,
    user_id: str,
    message_id: str,
    conversation_id: str,
    question: str,
    language: str,
    not_covered: bool,
    weak: bool,
    best_score: float | None,
    confidence: float | None,
    nearest_course_id: str | None,
    nearest_module_id: str | None,
    nearest_title: str | None,
) -> GapQuestion:
    """Record one answer the courses did not support well (the conversation's course scope)."""
    conversation = session.get(Conversation, conversation_id)
    row = GapQuestion(
        org_id=org_id,
        user_id=user_id,
        message_id=message_id,
        course_id=conversation.course_id if conversation is not None else None,
        question=question,
        language=language,
        not_covered=not_covered,
        weak=weak,
        thumbs_down=False,
        best_score=best_score,
        confidence=confidence,
        nearest_course_id=nearest_course_id,
        nearest_module_id=nearest_module_id,
        nearest_title=nearest_title,
    )
    session.add(row)
    session.flush()
    return row


def mark_feedback(
    session: Session, *, message: Message, user_id: str, rating: int
) -> GapQuestion | None:
    """Flag (rating -1) or unflag (+1) the thumbs-down of an answer's gap question.

    A thumbs-down on a well-supported answer records its question; changing one's mind
    removes a question recorded for the thumbs-down alone.
    """
    row = session.scalars(select(GapQuestion).where(GapQuestion.message_id == message.id)).first()
    if rating > 0:
        if row is not None:
            row.thumbs_down = False
            if not (row.not_covered or row.weak):
                session.delete(row)
                row = None
            session.flush()
        return row
    if row is not None:
        row.thumbs_down = True
        session.flush()
        return row
    conversation = session.get(Conversation, message.conversation_id)
    asked = _question_of(session, message)
    if conversation is None or asked is None:
        return None
    first = message.citations[0] if message.citations else None
    cited: dict[str, Any] = first or (message.meta or {}).get("suggestion") or {}
    raw = (message.meta or {}).get("confidence")
    title = " › ".join(p for p in (cited.get("course_title"), cited.get("module_title")) if p)
    row = GapQuestion(
        org_id=conversation.org_id,
        user_id=user_id,
        message_id=message.id,
        course_id=conversation.course_id,
        question=asked.content,
        language=asked.language or message.language or "en",
        not_covered=message.covered is False,
        weak=False,
        thumbs_down=True,
        best_score=None,
        confidence=float(raw) if isinstance(raw, int | float) else None,
        nearest_course_id=cited.get("course_id"),
        nearest_module_id=cited.get("module_id"),
        nearest_title=title or None,
    )
    session.add(row)
    session.flush()
    return row


def _question_of(session: Session, answer: Message) -> Message | None:
    """The learner's message the answer replied to (the last one before it)."""
    query = (
        select(Message)
        .where(
            Message.conversation_id == answer.conversation_id,
            Message.role == "user",
            Message.created_at <= answer.created_at,
        )
        .order_by(Message.created_at.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def gap_questions(
    session: Session,
    *,
    org_id: str,
    since: datetime | None = None,
    course_id: str | None = None,
) -> list[GapQuestion]:
    """An organisation's gap questions, oldest first (for the topics job)."""
    query = select(GapQuestion).where(GapQuestion.org_id == org_id)
    if since is not None:
        query = query.where(GapQuestion.created_at >= since)
    if course_id is not None:
        query = query.where(GapQuestion.course_id == course_id)
    return list(session.scalars(query.order_by(GapQuestion.created_at, GapQuestion.id)))


def replace_topics(session: Session, *, org_id: str, topics: Sequence[dict[str, Any]]) -> int:
    """Replace the organisation's topics with a refresh's (``GapTopic`` fields, ranked)."""
    session.execute(delete(GapTopic).where(GapTopic.org_id == org_id))
    for topic in topics:
        session.add(GapTopic(org_id=org_id, **topic))
    session.flush()
    return len(topics)


def list_topics(
    session: Session, *, org_id: str, min_learners: int, course_id: str | None = None
) -> list[GapTopic]:
    """Topics asked by at least ``min_learners`` distinct learners, best ranked first."""
    query = select(GapTopic).where(GapTopic.org_id == org_id, GapTopic.learners >= min_learners)
    if course_id is not None:
        query = query.where(GapTopic.course_id == course_id)
    return list(session.scalars(query.order_by(GapTopic.rank)))


def rated_answers(
    session: Session, *, org_id: str, since: datetime | None = None
) -> list[tuple[int, list[str]]]:
    """``(rating, cited chunk ids)`` of every rated answer of the organisation."""
    query = (
        select(Feedback.rating, Message.citations)
        .join(Message, Feedback.message_id == Message.id)
        .join(Conversation, Message.conversation_id == Conversation.id)
        .where(Conversation.org_id == org_id)
    )
    if since is not None:
        query = query.where(Feedback.updated_at >= since)
    return [
        (int(rating), [str(c.get("chunk_id")) for c in citations or [] if c.get("chunk_id")])
        for rating, citations in session.execute(query)
    ]


def item_attempts(
    session: Session, *, org_id: str, since: datetime | None = None
) -> list[tuple[QuizItem, QuizAttempt]]:
    """Attempts on the current version of the organisation's active items, oldest first."""
    query = (
        select(QuizItem, QuizAttempt)
        .join(QuizAttempt, QuizAttempt.item_id == QuizItem.id)
        .where(
            QuizItem.org_id == org_id,
            QuizItem.status == "active",
            QuizAttempt.item_version == QuizItem.version,
        )
    )
    if since is not None:
        query = query.where(QuizAttempt.created_at >= since)
    rows = session.execute(query.order_by(QuizAttempt.created_at, QuizAttempt.id))
    return [(item, attempt) for item, attempt in rows]
