"""Tables of hot and cold evaluation: per-organisation template overrides, survey instances
(one per respondent and event), their answers, and business KPIs per team and month.

The default templates ship as ``coach/surveys/templates.yaml``; only an organisation's
override is stored. An instance points to the exact form it was opened with (a
``survey_forms`` row, keyed by the hash of its content, so a year of instances shares a
handful of rows), and editing a template never invalidates answers already given. An
answer keeps its scale and ``applied`` values in columns as well, so the dashboard sums
them in SQL. See docs/surveys.md.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coach.storage.models import Base, UTCDateTime, _in, new_id, utcnow

SURVEY_KINDS = ("hot", "cold")
AUDIENCES = ("learner", "manager")
TRIGGERS = ("attendance", "completion")
INSTANCE_STATUSES = ("open", "closed")
SCORE_MEASURES = ("satisfaction", "usefulness", "confidence", "change", "applied")


class SurveyTemplate(Base):
    """An organisation's own template for one kind and audience (validated on write)."""

    __tablename__ = "survey_templates"
    __table_args__ = (
        CheckConstraint(_in("kind", SURVEY_KINDS), name="kind"),
        CheckConstraint(_in("audience", AUDIENCES), name="audience"),
    )

    org_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    audience: Mapped[str] = mapped_column(String(16), primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_by: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SurveyForm(Base):
    """A template exactly as instances were opened with it (id: sha256 of its JSON)."""

    __tablename__ = "survey_forms"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SurveyInstance(Base):
    """One survey for one respondent about one step of one learner (``subject_id``; the
    respondent themself, or their manager for a cold manager survey)."""

    __tablename__ = "survey_instances"
    __table_args__ = (
        UniqueConstraint("org_id", "key"),
        Index(None, "respondent_id", "status"),
        Index(None, "org_id", "opens_on"),
        Index(None, "org_id", "trigger_on"),
        CheckConstraint(_in("kind", SURVEY_KINDS), name="kind"),
        CheckConstraint(_in("audience", AUDIENCES), name="audience"),
        CheckConstraint(_in("trigger", TRIGGERS), name="trigger"),
        CheckConstraint(_in("status", INSTANCE_STATUSES), name="status"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    # kind|audience|subject|item|session|offset: the same event never opens two instances
    key: Mapped[str] = mapped_column(String(700))
    kind: Mapped[str] = mapped_column(String(8))
    audience: Mapped[str] = mapped_column(String(16))
    respondent_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    subject_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(255))
    session_id: Mapped[str] = mapped_column(String(255), default="")  # "" for a module
    trigger: Mapped[str] = mapped_column(String(16))
    trigger_on: Mapped[date] = mapped_column(Date)
    offset_days: Mapped[int] = mapped_column(Integer, default=0)  # 0 hot; 30, 60 cold
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)  # the last day an answer is accepted
    status: Mapped[str] = mapped_column(String(8), default="open")
    form_id: Mapped[str] = mapped_column(ForeignKey("survey_forms.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # many-to-one by primary key: loaded once per session however many instances share it
    form: Mapped[SurveyForm] = relationship(lazy="select")

    @property
    def template(self) -> dict[str, Any]:
        """The template (JSON) this instance was opened with."""
        return self.form.data


class SurveyAnswer(Base):
    """The respondent's answer to one instance (one per instance; edited in place)."""

    __tablename__ = "survey_answers"
    __table_args__ = (Index(None, "org_id", "answered_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    instance_id: Mapped[str] = mapped_column(
        ForeignKey("survey_instances.id", ondelete="CASCADE"), unique=True
    )
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    respondent_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    values: Mapped[dict[str, Any]] = mapped_column(JSON)
    language: Mapped[str] = mapped_column(String(8), default="en")
    answered_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edits: Mapped[int] = mapped_column(Integer, default=0)
    # the values of the questions tagged with these measures (None: not asked or not given)
    satisfaction: Mapped[int | None] = mapped_column(Integer, nullable=True)
    usefulness: Mapped[int | None] = mapped_column(Integer, nullable=True)
    confidence: Mapped[int | None] = mapped_column(Integer, nullable=True)
    change: Mapped[int | None] = mapped_column(Integer, nullable=True)
    applied: Mapped[str | None] = mapped_column(String(40), nullable=True)


class BusinessKpi(Base):
    """One business indicator of one team for one month, imported from a CSV."""

    __tablename__ = "business_kpis"

    org_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    team: Mapped[str] = mapped_column(String(255), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # YYYY-MM
    indicator: Mapped[str] = mapped_column(String(200), primary_key=True)
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(50), default="")
    source: Mapped[str] = mapped_column(String(200), default="import")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
