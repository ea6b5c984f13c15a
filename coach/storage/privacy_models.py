"""The erasure register: each request to erase a person's data, and each erasure done.

A learner asks (``DELETE /v1/me``) and an admin of their organisation confirms by erasing
(``DELETE /v1/learners/{id}``) or declines with a reason; an admin or the command line may
also erase without a request. Once erased, the row stays as the anonymous audit line: who
the person was is gone (``user_id`` NULL), what was erased (row counts per table), when,
on whose request kind and by which admin remain. See docs/privacy.md.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from coach.storage.models import Base, UTCDateTime, _in, new_id, utcnow

ERASURE_STATUSES = ("pending", "cancelled", "declined", "done")
ERASURE_ORIGINS = ("learner", "admin", "cli")


class ErasureRequest(Base):
    """A request to erase a person's data, then the anonymous record that it was done."""

    __tablename__ = "erasure_requests"
    __table_args__ = (
        Index(None, "org_id", "status", "requested_at"),
        Index(None, "user_id"),
        CheckConstraint(_in("status", ERASURE_STATUSES), name="status"),
        CheckConstraint(_in("origin", ERASURE_ORIGINS), name="origin"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    user_id: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    """The person; NULL once they are erased (the row is then the anonymous audit line)."""
    origin: Mapped[str] = mapped_column(String(16))
    """Who asked: the learner themself, an admin, or the command line."""
    status: Mapped[str] = mapped_column(String(16), default="pending")
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    decided_by: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    """The admin who erased or declined (NULL: the command line, or the learner cancelling)."""
    reason: Mapped[str] = mapped_column(Text, default="")
    """Why a request was declined (shown to the learner); emptied on erasure."""
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """Rows erased or anonymised per table, and index points deleted (once done)."""
