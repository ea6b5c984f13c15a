"""Tables of the nudge engine: planned and sent nudges, preferences, the hold-out group.

A nudge has one row per channel; ``(user_id, key, channel)`` is unique, so planning the
same day twice, or a delivery job retried, can never make a second row, and a row goes
``planned → sending → sent`` once (a claim is an UPDATE guarded by the status). See
docs/nudges.md.
"""

from __future__ import annotations

from datetime import datetime

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
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from coach.storage.models import Base, UTCDateTime, _in, new_id, utcnow

NUDGE_CHANNELS = ("feed", "email", "webhook")
NUDGE_STATUSES = ("planned", "sending", "sent", "failed", "skipped")


class Nudge(Base):
    """One nudge for one recipient on one channel: what, why, where it leads, its state."""

    __tablename__ = "nudges"
    __table_args__ = (
        UniqueConstraint("user_id", "key", "channel"),
        Index(None, "org_id", "status", "send_at"),
        Index(None, "org_id", "send_at"),  # the planner's ledger: 90 days of one organisation
        Index(None, "user_id", "send_at"),
        CheckConstraint(_in("channel", NUDGE_CHANNELS), name="channel"),
        CheckConstraint(_in("status", NUDGE_STATUSES), name="status"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(255))
    channel: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="planned")
    send_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    session_id: Mapped[str | None] = mapped_column(String(255), nullable=True)
    about: Mapped[str | None] = mapped_column(String(36), nullable=True)
    language: Mapped[str] = mapped_column(String(8))
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    link: Mapped[str] = mapped_column(String(1000))
    reason: Mapped[str] = mapped_column(Text)
    priority: Mapped[int] = mapped_column(Integer, default=50)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class NudgePreference(Base):
    """A user's channel opt-outs and their own incoming-webhook URL (Teams or Slack)."""

    __tablename__ = "nudge_preferences"

    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    org_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    opted_out: Mapped[list[str]] = mapped_column(JSON, default=list)
    webhook_url: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class NudgeHoldout(Base):
    """A learner's recorded draw: in the hold-out group (no nudges) or nudged.

    ``position`` is their rank in their team's draw order; ``seed`` and ``share`` are the
    settings the draw was made with (a change of either makes a new draw).
    """

    __tablename__ = "nudge_holdout"
    __table_args__ = (Index(None, "org_id", "team"),)

    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    team: Mapped[str] = mapped_column(String(255))
    holdout: Mapped[bool] = mapped_column(Boolean)
    position: Mapped[int] = mapped_column(Integer)
    seed: Mapped[int] = mapped_column(Integer)
    share: Mapped[float] = mapped_column(Float)
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
