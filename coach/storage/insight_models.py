"""Tables of the content gap insights: the coach turns worth an L&D team's look, and the
topics a refresh grouped them into.

A gap question is one coach answer (unique by message) that said the courses do not cover
the question, rested on weak evidence, or got a thumbs-down; the flags say which (several
may hold). ``user_id`` is kept only to count distinct learners: no read path shows it.
Erasing the learner, the conversation or the message erases the row (``CASCADE``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from coach.storage.models import Base, UTCDateTime, new_id, utcnow


class GapQuestion(Base):
    """A learner's question the coach could not answer well, with its evidence."""

    __tablename__ = "gap_questions"
    __table_args__ = (Index(None, "org_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    message_id: Mapped[str] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), unique=True
    )
    """The coach's answer (the thumbs-down is given on it)."""
    course_id: Mapped[str | None] = mapped_column(String(255), nullable=True)
    """The conversation's course scope (NULL: every course the learner can see)."""
    question: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8))
    not_covered: Mapped[bool] = mapped_column(Boolean, default=False)
    weak: Mapped[bool] = mapped_column(Boolean, default=False)
    thumbs_down: Mapped[bool] = mapped_column(Boolean, default=False)
    best_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    """The best dense cosine of the passages retrieved (NULL: nothing retrieved)."""
    confidence: Mapped[float | None] = mapped_column(Float, nullable=True)
    """The responder's 0..1 coverage confidence (0.5 sits at the not-covered threshold)."""
    nearest_course_id: Mapped[str | None] = mapped_column(String(255), nullable=True)
    nearest_module_id: Mapped[str | None] = mapped_column(String(255), nullable=True)
    nearest_title: Mapped[str | None] = mapped_column(String(500), nullable=True)
    """Course › module of the closest passage (the suggestion, else the first citation)."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class GapTopic(Base):
    """One topic of a refresh: questions grouped together, named, ranked.

    A refresh replaces every topic of the organisation; the minimum-learners rule is
    applied when topics are read, so a changed setting applies at once.
    """

    __tablename__ = "gap_topics"
    __table_args__ = (Index(None, "org_id", "rank"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    course_id: Mapped[str | None] = mapped_column(String(255), nullable=True)
    language: Mapped[str] = mapped_column(String(8))
    rank: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(300))
    """A one-line label from the LLM, else the key phrases joined."""
    key_phrases: Mapped[list[str]] = mapped_column(JSON, default=list)
    learners: Mapped[int] = mapped_column(Integer)
    """Distinct learners who asked (never who they are)."""
    questions: Mapped[int] = mapped_column(Integer)
    last_asked: Mapped[datetime] = mapped_column(UTCDateTime)
    score: Mapped[float] = mapped_column(Float)
    examples: Mapped[list[str]] = mapped_column(JSON, default=list)
    """Representative questions, closest to the topic's centre first."""
    nearest: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True), nullable=True)
    """The most often suggested module: ``{course_id, module_id, title}``."""
    question_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
