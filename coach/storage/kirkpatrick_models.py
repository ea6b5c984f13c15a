"""The Kirkpatrick dashboard's rollup: what the dashboard reads instead of a year of raw
answers, tests and steps (see docs/surveys.md, "The Kirkpatrick dashboard").

Each organisation's rollup is rebuilt whole from the raw tables (``coach.surveys.rollup``)
and stamped with the time it was built (``KirkpatrickRollup.built_at``), which the dashboard
shows: it is a snapshot, refreshed by the daily sweep, ``blendcoach surveys rollup`` and the
dashboard's Refresh button, never updated row by row.

Figures are kept per group (a course's title, a modality, a team) at two grains: one cell
per day, and one per month holding the sum of its days. A period reads the month cells of
the months it covers whole and the day cells of its partial months at either end, so a year
reads a few thousand cells whatever the number of learners. Counts that must not add up
twice (a learner's skill reached by two steps of the group) are kept as *spans*: a cell
from ``lo`` to ``hi`` counts when the period holds both days (see ``KirkpatrickSpanCell``).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from coach.storage.models import Base, UTCDateTime, utcnow

GROUP_BYS = ("course", "modality", "team")
GRAINS = ("day", "month", "next")


def _org() -> Mapped[str]:
    return mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))


class KirkpatrickRollup(Base):
    """When an organisation's rollup was built, and from which catalog revision (group
    names are course titles and modalities: a new catalog makes them stale)."""

    __tablename__ = "kirkpatrick_rollups"

    org_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    built_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    catalog_revision: Mapped[int] = mapped_column(Integer, default=0)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)  # how long the build took


class KirkpatrickSurveyCell(Base):
    """Answers of one kind and audience about steps of one group taken on one day
    (``grain`` "day") or in the month starting on ``day`` (``grain`` "month"), summed."""

    __tablename__ = "kirkpatrick_survey_cells"
    __table_args__ = (Index(None, "org_id", "group_by", "grain", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[str] = _org()
    group_by: Mapped[str] = mapped_column(String(8))
    grp: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(8))
    audience: Mapped[str] = mapped_column(String(16))
    grain: Mapped[str] = mapped_column(String(5))
    day: Mapped[date] = mapped_column(Date)
    answers: Mapped[int] = mapped_column(Integer)
    satisfaction_sum: Mapped[int] = mapped_column(Integer)
    satisfaction_n: Mapped[int] = mapped_column(Integer)
    usefulness_sum: Mapped[int] = mapped_column(Integer)
    usefulness_n: Mapped[int] = mapped_column(Integer)
    confidence_sum: Mapped[int] = mapped_column(Integer)
    confidence_n: Mapped[int] = mapped_column(Integer)
    change_sum: Mapped[int] = mapped_column(Integer)
    change_n: Mapped[int] = mapped_column(Integer)
    applying: Mapped[int] = mapped_column(Integer)  # applied is one of the applying values
    applied_n: Mapped[int] = mapped_column(Integer)  # applied given, "no opportunity" left out


class KirkpatrickSpanCell(Base):
    """Learning pairs or mastery terms of one group that count in a period holding both
    ``lo`` and ``hi`` (and, for grain "next", not ``nxt``: a later test replaces them).

    ``grain`` "day": exact days; "month": ``lo`` and ``hi`` are the first days of their
    months, the sum of the day cells with ``nxt`` NULL; "next": exact days with ``nxt`` set.
    ``n`` is a count and ``a``, ``b`` exact sums of scores (learning: pre and post; mastery:
    estimated mastery at the start of the first step and at the period's end) in fixed point, 2**-93 units, split in 31-bit limbs
    (``a1 * 2**62 + a2 * 2**31 + a3``) so that SQL adds them exactly on every database.
    Terms may be negative (mastery: a learner's skill counted once however many steps), and
    mastery terms with ``n`` 0 carry a later change of mastery (``b``) counted when the
    period holds its day (:func:`coach.surveys.spans.mastery_terms`).
    """

    __tablename__ = "kirkpatrick_span_cells"
    __table_args__ = (
        Index(None, "org_id", "group_by", "grain", "lo"),
        Index(None, "org_id", "group_by", "grain", "hi"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[str] = _org()
    group_by: Mapped[str] = mapped_column(String(8))
    grp: Mapped[str] = mapped_column(Text)
    measure: Mapped[str] = mapped_column(String(16))  # learning | mastery
    grain: Mapped[str] = mapped_column(String(5))
    lo: Mapped[date] = mapped_column(Date)
    hi: Mapped[date] = mapped_column(Date)
    nxt: Mapped[date | None] = mapped_column(Date, nullable=True)
    n: Mapped[int] = mapped_column(Integer)
    a1: Mapped[int] = mapped_column(BigInteger)
    a2: Mapped[int] = mapped_column(BigInteger)
    a3: Mapped[int] = mapped_column(BigInteger)
    b1: Mapped[int] = mapped_column(BigInteger)
    b2: Mapped[int] = mapped_column(BigInteger)
    b3: Mapped[int] = mapped_column(BigInteger)


class KirkpatrickGroupTeam(Base):
    """The days on which learners of ``team`` ("" for none) took steps of a group: a group
    is shown when it had steps in the period, and the results level lists its teams' KPIs.
    ``days`` are ISO dates, space-separated, in order."""

    __tablename__ = "kirkpatrick_group_teams"
    __table_args__ = (Index(None, "org_id", "group_by", "first_day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[str] = _org()
    group_by: Mapped[str] = mapped_column(String(8))
    grp: Mapped[str] = mapped_column(Text)
    team: Mapped[str] = mapped_column(String(255))
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    days: Mapped[str] = mapped_column(Text)
