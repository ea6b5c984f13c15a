"""Conversations and their messages.

Functions taking ``viewer=`` enforce the access rules (:mod:`coach.storage.access`). The
others take ids the caller has already been allowed to use (a conversation returned by
:func:`get_conversation`), so they do not check again.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coach.storage.access import NotFound, Viewer, check_read, check_user_scope, check_write
from coach.storage.models import MESSAGE_ROLES, Conversation, Message, User, utcnow

TITLE_MAX_CHARS = 200


def create_conversation(
    session: Session, *, viewer: Viewer, title: str, course_id: str | None = None
) -> Conversation:
    """Start a conversation owned by ``viewer`` (optionally about one course)."""
    now = utcnow()
    conversation = Conversation(
        org_id=viewer.org_id,
        user_id=viewer.id,
        title=(title.strip() or "New conversation")[:TITLE_MAX_CHARS],
        course_id=course_id,
        created_at=now,
        updated_at=now,
    )
    session.add(conversation)
    session.flush()
    return conversation


def get_conversation(
    session: Session, *, conversation_id: str, viewer: Viewer, write: bool = False
) -> Conversation:
    """The conversation if ``viewer`` may read it (``write=True``: may add to it).

    Raises:
        NotFound: no such conversation, or the viewer may not read it.
        Forbidden: ``write`` and the viewer may only read it (an admin).
    """
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        raise NotFound("conversation not found")
    check = check_write if write else check_read
    check(viewer, org_id=conversation.org_id, owner_id=conversation.user_id, what="conversation")
    return conversation


def list_conversations(
    session: Session,
    *,
    viewer: Viewer,
    user_id: str | None = None,
    limit: int = 50,
    before: datetime | None = None,
) -> list[Conversation]:
    """A user's conversations, most recently active first (the viewer's own by default).

    Args:
        viewer: who asks; only an admin may ask for another user of their organisation.
        user_id: whose conversations.
        limit: at most this many.
        before: only conversations last active before this time (the next page).

    Raises:
        Forbidden: a non-admin asks for someone else's.
        NotFound: an admin asks for a user outside their organisation.
    """
    owner = user_id or viewer.id
    check_user_scope(viewer, user_id=owner)
    if owner != viewer.id:
        user = session.get(User, owner)
        if user is None or user.org_id != viewer.org_id:
            raise NotFound("user not found")
    query = select(Conversation).where(
        Conversation.user_id == owner, Conversation.org_id == viewer.org_id
    )
    if before is not None:
        query = query.where(Conversation.updated_at < before)
    query = query.order_by(Conversation.updated_at.desc(), Conversation.id).limit(limit)
    return list(session.scalars(query))


def delete_conversation(session: Session, *, conversation_id: str, viewer: Viewer) -> None:
    """Erase a conversation with its messages and their feedback (owner only)."""
    conversation = get_conversation(
        session, conversation_id=conversation_id, viewer=viewer, write=True
    )
    session.delete(conversation)
    session.flush()
    session.expire_all()  # the database cascaded to rows this session may hold


def set_summary(session: Session, *, conversation_id: str, summary: str | None) -> None:
    """Replace the summary of the conversation's older turns."""
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        raise NotFound("conversation not found")
    conversation.summary = summary
    session.flush()


def add_message(
    session: Session,
    *,
    conversation_id: str,
    role: str,
    content: str,
    language: str | None = None,
    citations: Sequence[dict[str, Any]] | None = None,
    responder: str | None = None,
    rewritten_query: str | None = None,
    covered: bool | None = None,
    meta: dict[str, Any] | None = None,
    latency_ms: float | None = None,
) -> Message:
    """Append a message and mark the conversation active.

    Messages of a conversation get strictly increasing times, so they keep their order
    even when written within one clock tick.
    """
    if role not in MESSAGE_ROLES:
        raise ValueError(f"unknown message role {role!r}")
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        raise NotFound("conversation not found")
    now = utcnow()
    last = session.scalar(
        select(func.max(Message.created_at)).where(Message.conversation_id == conversation_id)
    )
    if last is not None and now <= last:
        now = last + timedelta(microseconds=1)
    message = Message(
        conversation_id=conversation_id,
        role=role,
        content=content,
        language=language,
        citations=list(citations or []),
        responder=responder,
        rewritten_query=rewritten_query,
        covered=covered,
        meta=dict(meta or {}),
        latency_ms=latency_ms,
        created_at=now,
    )
    session.add(message)
    conversation.updated_at = max(now, conversation.updated_at)
    session.flush()
    return message


def get_message(
    session: Session, *, message_id: str, viewer: Viewer, write: bool = False
) -> Message:
    """A message if ``viewer`` may read its conversation (``write=True``: may act on it).

    Raises:
        NotFound: no such message, or the viewer may not read its conversation.
        Forbidden: ``write`` and the viewer may only read it (an admin).
    """
    row = session.execute(
        select(Message, Conversation)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(Message.id == message_id)
    ).first()
    if row is None:
        raise NotFound("message not found")
    message, conversation = row
    check = check_write if write else check_read
    check(viewer, org_id=conversation.org_id, owner_id=conversation.user_id, what="message")
    return message


def list_messages(session: Session, *, conversation_id: str) -> list[Message]:
    """Every message of the conversation, oldest first."""
    query = select(Message).where(Message.conversation_id == conversation_id)
    return list(session.scalars(query.order_by(Message.created_at, Message.id)))


def recent_messages(session: Session, *, conversation_id: str, limit: int) -> list[Message]:
    """The last ``limit`` messages, oldest first (the verbatim context of the next turn)."""
    if limit <= 0:
        return []
    query = (
        select(Message)
        .where(Message.conversation_id == conversation_id)
        .order_by(Message.created_at.desc(), Message.id.desc())
        .limit(limit)
    )
    return list(reversed(session.scalars(query).all()))


def older_messages(session: Session, *, conversation_id: str, keep: int) -> list[Message]:
    """Every message except the last ``keep``, oldest first (what a summary condenses)."""
    messages = list_messages(session, conversation_id=conversation_id)
    return messages[: max(len(messages) - max(keep, 0), 0)]


def older_messages_count(session: Session, *, conversation_id: str, keep: int) -> int:
    """How many messages lie before the last ``keep``."""
    total = session.scalar(
        select(func.count()).select_from(Message).where(Message.conversation_id == conversation_id)
    )
    return max((total or 0) - max(keep, 0), 0)
