"""The event log: what happened, by type, for the dashboards and evaluations of later issues.

Events are appended, never changed; a user's erasure keeps the organisation's events but
forgets who they were about (``user_id`` becomes NULL).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from coach.storage.models import Event


def log_event(
    session: Session,
    *,
    org_id: str,
    type: str,
    user_id: str | None = None,
    payload: dict[str, Any] | None = None,
) -> Event:
    """Append an event (``type`` like ``chat.answered``) with a JSON payload."""
    if not type:
        raise ValueError("event type is empty")
    event = Event(org_id=org_id, user_id=user_id, type=type, payload=dict(payload or {}))
    session.add(event)
    session.flush()
    return event


def log_events(
    session: Session, *, org_id: str, events: Iterable[tuple[str | None, str, dict[str, Any]]]
) -> int:
    """Append many events at once, ``(user_id, type, payload)`` in order, as one bulk insert
    (what :func:`log_event` does row by row, without a flush per event). Returns how many."""
    rows = []
    for user_id, type_, payload in events:
        if not type_:
            raise ValueError("event type is empty")
        rows.append({"org_id": org_id, "user_id": user_id, "type": type_, "payload": dict(payload)})
    if rows:
        session.execute(insert(Event), rows)
    return len(rows)


def list_events(
    session: Session,
    *,
    org_id: str,
    type: str | None = None,
    user_id: str | None = None,
    since: datetime | None = None,
    after_id: int | None = None,
    limit: int = 1000,
) -> list[Event]:
    """An organisation's events in the order they happened, optionally filtered.

    Args:
        org_id: whose events.
        type: only this type.
        user_id: only about this user.
        since: only at or after this time.
        after_id: only after this event (the next page).
        limit: at most this many.
    """
    query = select(Event).where(Event.org_id == org_id)
    if type is not None:
        query = query.where(Event.type == type)
    if user_id is not None:
        query = query.where(Event.user_id == user_id)
    if since is not None:
        query = query.where(Event.created_at >= since)
    if after_id is not None:
        query = query.where(Event.id > after_id)
    return list(session.scalars(query.order_by(Event.id).limit(limit)))
