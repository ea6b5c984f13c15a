"""Tables of the LMS operations the admin assistant reads and acts on: enrolments, the
attendance sign-off (émargement) of live sessions, cancelled sessions, and the actions the
assistant proposes (kept as the audit of what ran, who confirmed it and what it changed).

Sessions themselves are catalog rows (``catalog_rows`` kind ``session``); a session id here
is that row's key. See docs/admin-assistant.md for what each figure counts.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from coach.storage.models import Base, UTCDateTime, _in, new_id, utcnow

ENROLMENT_STATUSES = ("enrolled", "waitlisted", "cancelled")
ACTION_KINDS = ("enrol", "remind", "mark_attendance", "cancel_session")
ACTION_STATUSES = ("proposed", "executed", "failed", "expired", "declined")


class Enrolment(Base):
    """A learner enrolled in an item (``session_id`` empty: e-learning, or the item as a
    whole) or in one live session of it; ``due_on`` is a mandatory assignment's due date."""

    __tablename__ = "enrolments"
    __table_args__ = (
        UniqueConstraint("org_id", "user_id", "item_id", "session_id"),
        Index(None, "org_id", "session_id"),
        Index(None, "org_id", "item_id"),
        CheckConstraint(_in("status", ENROLMENT_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(255))
    # "" rather than NULL for an item-level enrolment: NULLs never collide in a unique key.
    session_id: Mapped[str] = mapped_column(String(255), default="")
    status: Mapped[str] = mapped_column(String(16), default="enrolled")
    enrolled_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    source: Mapped[str] = mapped_column(String(200), default="import")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Attendance(Base):
    """One learner's sign-off of one live session: signed or explicitly not (absent)."""

    __tablename__ = "attendance"

    org_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    session_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    signed: Mapped[bool] = mapped_column(Boolean)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    source: Mapped[str] = mapped_column(String(200), default="import")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SessionStatus(Base):
    """A session's state when it is no longer simply scheduled (today: cancelled)."""

    __tablename__ = "session_status"

    org_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    session_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AdminAction(Base):
    """An action the assistant proposed; it runs only when an admin of the same organisation
    confirms it, once, and stays as the audit record (who, when, what changed)."""

    __tablename__ = "admin_actions"
    __table_args__ = (
        Index(None, "org_id", "created_at"),
        CheckConstraint(_in("kind", ACTION_KINDS), name="kind"),
        CheckConstraint(_in("status", ACTION_STATUSES), name="status"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(24))
    args: Mapped[dict[str, Any]] = mapped_column(JSON)
    summary: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="proposed")
    proposed_by: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    question: Mapped[str] = mapped_column(Text, default="")
    confirmed_by: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
