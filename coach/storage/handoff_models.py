"""Tables of the hand-off to a human: each offer the coach made, the learner's answer to
it (consent, decline, withdrawal) with the summary that went to the chosen person, and the
notices a trainer receives (a new hand-off, a withdrawn one).

A summary is stored only while consent stands: withdrawing it empties ``summary``. Every
change is also appended to the event log (``handoff.*``), which is the audit trail.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from coach.storage.models import Base, UTCDateTime, _in, new_id, utcnow

HANDOFF_STATUSES = ("offered", "consented", "declined", "withdrawn")
NOTICE_KINDS = ("new", "withdrawn")


class Handoff(Base):
    """One hand-off: offered on a learner's message, then consented, declined or withdrawn."""

    __tablename__ = "handoffs"
    __table_args__ = (
        Index(None, "user_id", "created_at"),
        Index(None, "org_id", "recipient_id"),
        Index(None, "message_id"),
        CheckConstraint(_in("status", HANDOFF_STATUSES), name="status"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    conversation_id: Mapped[str | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="SET NULL"), nullable=True
    )
    message_id: Mapped[str | None] = mapped_column(
        ForeignKey("messages.id", ondelete="SET NULL"), nullable=True
    )
    signal: Mapped[str] = mapped_column(String(32))
    subtopic: Mapped[str | None] = mapped_column(String(32), nullable=True)
    source: Mapped[str] = mapped_column(String(16))
    confidence: Mapped[float] = mapped_column(Float)
    skill: Mapped[str | None] = mapped_column(String(200), nullable=True)
    options: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default="offered")
    recipient_id: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    note: Mapped[str] = mapped_column(Text, default="")
    share_conversation: Mapped[bool] = mapped_column(Boolean, default=False)
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class HandoffNotice(Base):
    """What a trainer is told: a hand-off for them, or its withdrawal."""

    __tablename__ = "handoff_notices"
    __table_args__ = (
        Index(None, "recipient_id", "created_at"),
        CheckConstraint(_in("kind", NOTICE_KINDS), name="kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    handoff_id: Mapped[str] = mapped_column(ForeignKey("handoffs.id", ondelete="CASCADE"))
    recipient_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
