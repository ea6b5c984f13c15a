"""Tables of the managers' side: the organisation chart with its history, the goals a
manager proposes for a report (and the comments on them), and the on-the-job application
confirmations a manager is asked for after a step that teaches a skill.

A reporting line is valid from ``valid_from`` (inclusive) to ``valid_to`` (exclusive;
NULL: still valid), so "who managed X on day D" is one indexed query and a change of
manager closes one line and opens another (history is never rewritten).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
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

GOAL_STATUSES = ("open", "withdrawn")
STEP_KINDS = ("attendance", "completion")
REQUEST_STATUSES = ("pending", "answered", "no_opportunity")


class ReportingLine(Base):
    """``report_id`` reported to ``manager_id`` from ``valid_from`` until ``valid_to``."""

    __tablename__ = "reporting_lines"
    __table_args__ = (
        Index(None, "org_id", "manager_id"),
        Index(None, "report_id", "valid_from"),
        CheckConstraint("valid_to IS NULL OR valid_to > valid_from", name="dates"),
        CheckConstraint("report_id <> manager_id", name="not_self"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    report_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    manager_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    source: Mapped[str] = mapped_column(String(200), default="import")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ManagerGoal(Base):
    """A goal a manager proposed for a report: target skills and levels or a target role,
    a deadline and a reason. ``skills`` is a list of ``{"skill": id, "level": n}``."""

    __tablename__ = "manager_goals"
    __table_args__ = (
        Index(None, "org_id", "report_id"),
        CheckConstraint(_in("status", GOAL_STATUSES), name="status"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    report_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    manager_id: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    label: Mapped[str] = mapped_column(String(200))
    target_role: Mapped[str | None] = mapped_column(String(255), nullable=True)
    skills: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    deadline: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class GoalComment(Base):
    """A comment on a manager's goal, by the learner or the manager."""

    __tablename__ = "goal_comments"
    __table_args__ = (Index(None, "goal_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    goal_id: Mapped[str] = mapped_column(ForeignKey("manager_goals.id", ondelete="CASCADE"))
    author_id: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    author_name: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ApplicationRequest(Base):
    """A manager asked whether a report applies on the job a skill a step taught them.

    One per report, item and skill (the sweep that opens them is idempotent). Answered on a
    4-level ``level`` scale with a comment, or ``no_opportunity``; the answer is final and
    carries its xAPI ``statement``.
    """

    __tablename__ = "application_requests"
    __table_args__ = (
        UniqueConstraint("report_id", "item_id", "skill"),
        Index(None, "manager_id", "status"),
        Index(None, "org_id", "answered_at"),
        CheckConstraint(_in("status", REQUEST_STATUSES), name="status"),
        CheckConstraint(_in("step_kind", STEP_KINDS), name="step_kind"),
        CheckConstraint("level IS NULL OR (level >= 1 AND level <= 4)", name="level"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    report_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    manager_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(255))
    skill: Mapped[str] = mapped_column(String(255))
    step_kind: Mapped[str] = mapped_column(String(16))
    learned_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    level: Mapped[int | None] = mapped_column(Integer, nullable=True)
    comment: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    answered_by: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    statement: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
