"""Conversation retention: an organisation's conversations untouched for longer than it
keeps them are deleted, with their messages (and, by the database's cascades, the feedback
and content-gap rows of those messages)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from coach.storage.models import Conversation, Message


def delete_conversations_before(
    session: Session, *, org_id: str, before: datetime
) -> tuple[int, int]:
    """Delete the organisation's conversations last active before ``before``; returns
    ``(conversations, messages)`` deleted."""
    session.flush()  # pending changes first: the delete goes around the session
    old = select(Conversation.id).where(
        Conversation.org_id == org_id, Conversation.updated_at < before
    )
    messages = session.scalar(
        select(func.count()).select_from(Message).where(Message.conversation_id.in_(old))
    )
    result = session.execute(
        delete(Conversation)
        .where(Conversation.org_id == org_id, Conversation.updated_at < before)
        .execution_options(synchronize_session=False)
    )
    session.expire_all()  # the database cascaded to messages this session may hold
    return int(result.rowcount), int(messages or 0)  # type: ignore[attr-defined]
