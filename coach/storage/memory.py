"""What the learner told the coach about themselves (goals, facts), which they can see and erase.

These functions act for ``user_id`` itself; routes pass the authenticated user's id.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from coach.storage.access import NotFound
from coach.storage.models import MEMORY_KINDS, LearnerMemory

MEMORY_MAX_CHARS = 500


def add_memory(
    session: Session,
    *,
    user_id: str,
    kind: str,
    text: str,
    source_message_id: str | None = None,
) -> LearnerMemory:
    """Remember a goal or fact; saying the same thing again keeps the first one.

    Raises:
        ValueError: unknown kind or empty text.
    """
    if kind not in MEMORY_KINDS:
        raise ValueError(f"unknown memory kind {kind!r}: one of {', '.join(MEMORY_KINDS)}")
    text = " ".join(text.split())[:MEMORY_MAX_CHARS]
    if not text:
        raise ValueError("memory text is empty")
    for known in list_memory(session, user_id=user_id):
        if known.kind == kind and known.text.casefold() == text.casefold():
            return known
    item = LearnerMemory(user_id=user_id, kind=kind, text=text, source_message_id=source_message_id)
    session.add(item)
    session.flush()
    return item


def list_memory(session: Session, *, user_id: str) -> list[LearnerMemory]:
    """The user's goals and facts, oldest first."""
    query = select(LearnerMemory).where(LearnerMemory.user_id == user_id)
    return list(session.scalars(query.order_by(LearnerMemory.created_at, LearnerMemory.id)))


def delete_memory(session: Session, *, user_id: str, memory_id: str | None = None) -> int:
    """Erase one of the user's items (``memory_id``) or all of them; returns how many.

    Raises:
        NotFound: ``memory_id`` is not one of this user's items.
    """
    query = delete(LearnerMemory).where(LearnerMemory.user_id == user_id)
    if memory_id is not None:
        query = query.where(LearnerMemory.id == memory_id)
    result = session.execute(query.execution_options(synchronize_session="fetch"))
    count = int(result.rowcount)  # type: ignore[attr-defined]
    if memory_id is not None and count == 0:
        raise NotFound("memory item not found")
    return count
