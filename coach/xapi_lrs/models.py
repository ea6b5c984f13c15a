"""The outbox table, and the listener that fills it in the event's own transaction.

A row holds no copy of the statement: the sender reads it from the event
(``payload["xapi"]``) when it sends. So erasing a learner (their events deleted, or stripped
of the statement) takes their statements out of the outbox too, and nothing personal is
kept here. The row is added by a mapper listener on :class:`~coach.storage.models.Event`,
so no code path can log a statement without queueing it, and a statement is queued only
if the event commits (same connection, same transaction).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Connection,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    insert,
)
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Mapped, Mapper, mapped_column

from coach.storage.models import Base, Event, UTCDateTime, _in, utcnow
from coach.xapi_spec import problems

log = logging.getLogger(__name__)

OUTBOX_STATUSES = ("pending", "sent", "failed", "dropped")
"""pending: to send (again at ``next_attempt_at``); sent: the LRS has it; failed: refused
for good or out of attempts (kept, re-queueable); dropped: its event lost the statement
(the learner was erased) or never had a valid one."""


class XapiOutbox(Base):
    """One statement to forward to the LRS (the event that carries it)."""

    __tablename__ = "xapi_outbox"
    __table_args__ = (
        Index(None, "status", "next_attempt_at"),
        Index(None, "org_id", "status"),
        CheckConstraint(_in("status", OUTBOX_STATUSES), name="status"),
    )

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    statement_id: Mapped[str] = mapped_column(String(36), index=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claim: Mapped[str | None] = mapped_column(String(36), nullable=True)
    """The sender pass holding the row (with ``claimed_until``): one sender per row."""
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_error: Mapped[str] = mapped_column(Text, default="")
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


@sa_event.listens_for(Event, "after_insert")
def _queue_statement(_mapper: Mapper[Any], connection: Connection, target: Event) -> None:
    statement = (target.payload or {}).get("xapi")
    if not isinstance(statement, dict):
        return
    found = problems(statement)
    if found:  # a bug of ours: kept visible to admins, never thrown at the learner
        log.error("event %s (%s): invalid xAPI statement: %s", target.id, target.type, found)
    now = utcnow()
    connection.execute(
        insert(XapiOutbox).values(
            event_id=target.id,
            org_id=target.org_id,
            statement_id=str(statement.get("id") or f"event-{target.id}")[:36],
            status="failed" if found else "pending",
            attempts=0,
            next_attempt_at=now,
            last_error=("invalid statement: " + "; ".join(found))[:2000] if found else "",
            created_at=now,
        )
    )
