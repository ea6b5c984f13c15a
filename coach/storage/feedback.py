"""Thumbs up or down on the coach's answers: one per user and message, replaced when given again.

The caller checks access first (``get_message(..., viewer=..., write=True)``).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from coach.storage.insights import mark_feedback
from coach.storage.models import COMMENT_MAX_CHARS, Feedback, Message, new_id, utcnow


def upsert_feedback(
    session: Session, *, message_id: str, user_id: str, rating: int, comment: str | None = None
) -> Feedback:
    """Record ``user_id``'s rating of a message, replacing the one they gave before.

    One ``INSERT ... ON CONFLICT DO UPDATE``, so two quick clicks cannot collide.

    Raises:
        ValueError: the rating is not +1 or -1, or the comment is too long.
    """
    if rating not in (1, -1):
        raise ValueError("rating must be 1 (helpful) or -1 (not helpful)")
    comment = (comment or "").strip() or None
    if comment is not None and len(comment) > COMMENT_MAX_CHARS:
        raise ValueError(f"comment is {len(comment)} characters; the limit is {COMMENT_MAX_CHARS}")
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    now = utcnow()
    stmt = insert(Feedback).values(
        id=new_id(),
        message_id=message_id,
        user_id=user_id,
        rating=rating,
        comment=comment,
        created_at=now,
        updated_at=now,
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=[Feedback.message_id, Feedback.user_id],
        set_={"rating": rating, "comment": comment, "updated_at": now},
    )
    session.execute(stmt)
    row = session.scalars(
        select(Feedback)
        .where(Feedback.message_id == message_id, Feedback.user_id == user_id)
        .execution_options(populate_existing=True)
    ).one()
    message = session.get(Message, message_id)
    if message is not None:  # a thumbs-down marks a content gap (coach.insights)
        mark_feedback(session, message=message, user_id=user_id, rating=rating)
    return row


def feedback_for(
    session: Session, *, message_ids: Sequence[str], user_id: str
) -> dict[str, Feedback]:
    """``user_id``'s feedback on these messages, by message id."""
    if not message_ids:
        return {}
    query = select(Feedback).where(
        Feedback.user_id == user_id, Feedback.message_id.in_(list(message_ids))
    )
    return {f.message_id: f for f in session.scalars(query)}


def list_feedback(session: Session, *, message_id: str) -> list[Feedback]:
    """Every user's feedback on one message, oldest first."""
    query = select(Feedback).where(Feedback.message_id == message_id)
    return list(session.scalars(query.order_by(Feedback.created_at)))
