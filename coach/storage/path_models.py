"""Tables of the path recommender: the catalog, learner profiles and history, paths under
review with their versions and audit trail.

The catalog is stored as the rows it was imported from (one JSON row per skill, role, item
or session, in file order) and rebuilt with ``recommender.records.load_catalog``, so what
is stored is exactly what was validated. A path's ``revision`` is its optimistic lock:
SQLAlchemy adds ``WHERE revision = :seen`` to every UPDATE and refuses a stale write.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
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

CATALOG_KINDS = ("skill", "role", "item", "session")
RECORD_KINDS = ("completion", "quiz", "attendance")
PATH_STATUSES = ("draft", "pending", "approved", "rejected", "changes_requested")


class CatalogRow(Base):
    """One skill, role profile, item or session of an organisation's catalog, as imported."""

    __tablename__ = "catalog_rows"
    __table_args__ = (CheckConstraint(_in("kind", CATALOG_KINDS), name="kind"),)

    org_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CatalogState(Base):
    """An organisation's catalog revision: bumped by every import (caches key on it)."""

    __tablename__ = "catalog_states"

    org_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    revision: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LearnerProfile(Base):
    """What the path builder knows of a learner beyond their history: role, team, manager,
    availability, preferences and goals (``data`` holds the imported row)."""

    __tablename__ = "learner_profiles"
    __table_args__ = (Index(None, "org_id", "team"), Index(None, "org_id", "role"))

    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    role: Mapped[str | None] = mapped_column(String(255), nullable=True)
    team: Mapped[str] = mapped_column(String(255), default="")
    manager: Mapped[str] = mapped_column(String(255), default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LearningRecord(Base):
    """A completion, a score or an attendance from the LMS (CSV export or xAPI statement);
    ``ref`` (an xAPI statement id) makes a re-import of the same statement a no-op."""

    __tablename__ = "learning_records"
    __table_args__ = (
        UniqueConstraint("org_id", "ref"),
        Index(None, "user_id", "on"),
        CheckConstraint(_in("kind", RECORD_KINDS), name="kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    on: Mapped[date] = mapped_column(Date)
    item_id: Mapped[str | None] = mapped_column(String(255), nullable=True)
    skill: Mapped[str | None] = mapped_column(String(255), nullable=True)
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    attended: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    phase: Mapped[str | None] = mapped_column(String(8), nullable=True)  # pre / post test
    minutes: Mapped[float | None] = mapped_column(Float, nullable=True)  # time spent
    source: Mapped[str] = mapped_column(String(200), default="import")
    ref: Mapped[str | None] = mapped_column(String(255), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LearningPath(Base):
    """A learner's path under review: its status, current and approved versions, and the
    figures the review list filters and shows (copied from the current version)."""

    __tablename__ = "learning_paths"
    __table_args__ = (
        Index(None, "org_id", "status"),
        CheckConstraint(_in("status", PATH_STATUSES), name="status"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    status: Mapped[str] = mapped_column(String(24))
    version: Mapped[int] = mapped_column(Integer, default=1)
    approved_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    revision: Mapped[int] = mapped_column(Integer)
    team: Mapped[str] = mapped_column(String(255), default="")
    role: Mapped[str | None] = mapped_column(String(255), nullable=True)
    item_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    session_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    slots: Mapped[list[str]] = mapped_column(JSON, default=list)  # "item|year|month" (coaching)
    n_steps: Mapped[int] = mapped_column(Integer, default=0)
    hours: Mapped[float] = mapped_column(Float, default=0.0)
    start: Mapped[date | None] = mapped_column(Date, nullable=True)
    end: Mapped[date | None] = mapped_column(Date, nullable=True)
    blocking: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __mapper_args__ = {"version_id_col": revision}  # noqa: RUF012


class PathVersion(Base):
    """One content version of a path: the dated steps, the problems found when it was made,
    who made it (None: the path builder) and how (generated, replanned, edited)."""

    __tablename__ = "path_versions"

    path_id: Mapped[str] = mapped_column(
        ForeignKey("learning_paths.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    problems: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    origin: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    guard: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True, default=None)
    """The runtime guard's verdict when the version was generated (None: not checked)."""


class PathAudit(Base):
    """The audit trail: who did what to a path, when, from which status to which, and why."""

    __tablename__ = "path_audit"
    __table_args__ = (Index(None, "path_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    path_id: Mapped[str] = mapped_column(ForeignKey("learning_paths.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    revision: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(24))
    actor_id: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    actor_name: Mapped[str] = mapped_column(String(200), default="")
    from_status: Mapped[str | None] = mapped_column(String(24), nullable=True)
    to_status: Mapped[str] = mapped_column(String(24))
    comment: Mapped[str] = mapped_column(Text, default="")
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
