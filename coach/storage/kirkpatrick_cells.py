"""The Kirkpatrick rollup's cells: replaced whole per organisation, and summed over a period
in SQL (see :mod:`coach.storage.kirkpatrick_models` for what a cell holds).

A period ``[since, until]`` reads the month cells of the whole months it covers (``full``:
the first and last day of those months, None when it covers no whole month) and the day
cells of the days before and after them, so that every day counts once.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Select,
    Table,
    and_,
    case,
    delete,
    func,
    insert,
    or_,
    select,
)
from sqlalchemy.orm import Session

from coach.storage.kirkpatrick_models import (
    KirkpatrickGroupTeam,
    KirkpatrickRollup,
    KirkpatrickSpanCell,
    KirkpatrickSurveyCell,
)
from coach.storage.models import Organisation

SURVEY_SUMS = ("answers", "satisfaction_sum", "satisfaction_n", "usefulness_sum",
               "usefulness_n", "confidence_sum", "confidence_n", "change_sum", "change_n",
               "applying", "applied_n")  # fmt: skip
LIMB = 31
_MASK = (1 << LIMB) - 1
SCALES = ("satisfaction", "usefulness", "confidence", "change")
_DAY = timedelta(days=1)


def split_limbs(total: int) -> tuple[int, int, int]:
    """An exact sum as three 64-bit integers whose SQL sums give back the exact sum."""
    sign, t = (-1 if total < 0 else 1), abs(total)
    return sign * (t >> 2 * LIMB), sign * ((t >> LIMB) & _MASK), sign * (t & _MASK)


def join_limbs(high: Any, mid: Any, low: Any) -> int:
    """The exact sum back from the (summed) limbs (PostgreSQL sums bigints as numeric)."""
    return (int(high or 0) << 2 * LIMB) + (int(mid or 0) << LIMB) + int(low or 0)


def _rows(session: Session, query: Select[Any]) -> Sequence[Any]:
    """Plain rows through the session's connection: thousands of them in a large
    organisation, which the ORM's result processing would slow down for nothing."""
    return session.connection().execute(query).all()


def month_start(day: date) -> date:
    return day.replace(day=1)


def get_kirkpatrick_rollup(session: Session, *, org_id: str) -> KirkpatrickRollup | None:
    """When the organisation's rollup was built (None: never)."""
    return session.get(KirkpatrickRollup, org_id)


def lock_kirkpatrick_rollup(session: Session, *, org_id: str) -> KirkpatrickRollup | None:
    """Take the organisation's row lock (PostgreSQL; SQLite serialises writers anyway) so
    that two refreshes do not interleave, then read the rollup's state as committed."""
    session.execute(select(Organisation.id).where(Organisation.id == org_id).with_for_update())
    return session.scalars(
        select(KirkpatrickRollup)
        .where(KirkpatrickRollup.org_id == org_id)
        .execution_options(populate_existing=True)
    ).one_or_none()


def replace_kirkpatrick_rollup(
    session: Session,
    *,
    org_id: str,
    survey_cells: Iterable[Mapping[str, Any]],
    span_cells: Iterable[Mapping[str, Any]],
    group_teams: Iterable[Mapping[str, Any]],
    catalog_revision: int,
    built_at: datetime,
    seconds: float,
) -> KirkpatrickRollup:
    """Replace the organisation's cells (call :func:`lock_kirkpatrick_rollup` first).
    Span cells give ``a`` and ``b`` as exact integers; they are stored as limbs."""
    for model in (KirkpatrickSurveyCell, KirkpatrickSpanCell, KirkpatrickGroupTeam):
        session.execute(delete(model).where(model.org_id == org_id))
    spans = []
    for c in span_cells:
        row = {k: v for k, v in c.items() if k not in ("a", "b")}
        (row["a1"], row["a2"], row["a3"]), (row["b1"], row["b2"], row["b3"]) = (
            split_limbs(c["a"]),
            split_limbs(c["b"]),
        )
        spans.append(row)
    for model, rows in (
        (KirkpatrickSurveyCell, list(survey_cells)),
        (KirkpatrickSpanCell, spans),
        (KirkpatrickGroupTeam, list(group_teams)),
    ):
        for at in range(0, len(rows), 5000):
            session.execute(
                insert(cast(Table, model.__table__)),
                [{"org_id": org_id, **r} for r in rows[at : at + 5000]],
            )
    state = session.get(KirkpatrickRollup, org_id)
    if state is None:
        state = KirkpatrickRollup(org_id=org_id)
        session.add(state)
    state.built_at, state.catalog_revision, state.seconds = built_at, catalog_revision, seconds
    session.flush()
    return state


@dataclass(frozen=True)
class SurveySums:
    """Answers of one kind and audience about one group's steps in the period, summed."""

    group: str
    kind: str
    audience: str
    answers: int
    sums: dict[str, tuple[int, int]]
    """measure → (sum, how many gave it) for the scale measures."""
    applying: int
    applied_counted: int


def _day_ranges(
    since: date, until: date, full: tuple[date, date] | None
) -> list[tuple[date, date]]:
    if full is None:
        return [(since, until)]
    return [(a, b) for a, b in ((since, full[0] - _DAY), (full[1] + _DAY, until)) if a <= b]


def kirkpatrick_survey_sums(
    session: Session,
    *,
    org_id: str,
    group_by: str,
    since: date,
    until: date,
    full: tuple[date, date] | None,
) -> list[SurveySums]:
    """Survey answers about steps taken in ``[since, until]``, per group, kind and audience."""
    c = KirkpatrickSurveyCell
    parts: list[ColumnElement[bool]] = [
        and_(c.grain == "day", c.day >= a, c.day <= b) for a, b in _day_ranges(since, until, full)
    ]
    if full is not None:
        parts.append(and_(c.grain == "month", c.day >= full[0], c.day <= month_start(full[1])))
    query = (
        select(c.grp, c.kind, c.audience, *[func.sum(getattr(c, k)) for k in SURVEY_SUMS])
        .where(c.org_id == org_id, c.group_by == group_by, or_(*parts))
        .group_by(c.grp, c.kind, c.audience)
    )
    out = []
    for grp, kind, audience, *v in _rows(session, query):
        n = [int(x or 0) for x in v]
        sums = {m: (n[1 + 2 * k], n[2 + 2 * k]) for k, m in enumerate(SCALES)}
        out.append(SurveySums(grp, kind, audience, n[0], sums, n[9], n[10]))
    return out


@dataclass(frozen=True)
class SpanSums:
    """Learning pairs or mastery terms of one group counted in the period: ``n`` and the
    exact sums ``a`` and ``b`` (integers, 2**-93 units)."""

    group: str
    measure: str
    n: int
    a: int
    b: int


def kirkpatrick_span_sums(
    session: Session,
    *,
    org_id: str,
    group_by: str,
    since: date,
    until: date,
    full: tuple[date, date] | None,
) -> list[SpanSums]:
    """Span cells held by ``[since, until]``, summed per group and measure."""
    c = KirkpatrickSpanCell
    first, last = full if full is not None else (until + _DAY, until)
    parts: list[ColumnElement[bool]] = [
        # starts in the partial month at the start (or anywhere, without whole months)
        and_(c.grain == "day", c.lo >= since, c.lo < first, c.hi <= until),
        and_(c.grain == "next", c.lo >= since, c.hi <= until, c.nxt > until),
    ]
    if full is not None:
        last_month = month_start(last)
        parts += [
            and_(c.grain == "month", c.lo >= first, c.lo <= last_month, c.hi <= last_month),
            # starts in a whole month, ends in the partial month at the end
            and_(c.grain == "day", c.hi > last, c.hi <= until, c.lo >= first),
        ]
    sums = [func.sum(getattr(c, k)) for k in ("n", "a1", "a2", "a3", "b1", "b2", "b3")]
    query = (
        select(c.grp, c.measure, *sums)
        .where(c.org_id == org_id, c.group_by == group_by, or_(*parts))
        .group_by(c.grp, c.measure)
    )
    return [
        SpanSums(grp, measure, int(n or 0), join_limbs(*v[:3]), join_limbs(*v[3:]))
        for grp, measure, n, *v in _rows(session, query)
    ]


def kirkpatrick_group_teams(
    session: Session, *, org_id: str, group_by: str, since: date, until: date
) -> set[tuple[str, str]]:
    """(group, team) pairs with steps taken in ``[since, until]`` (team "" for none)."""
    g = KirkpatrickGroupTeam
    inside = or_(g.first_day >= since, g.last_day <= until)
    query = select(g.grp, g.team, case((inside, None), else_=g.days)).where(
        g.org_id == org_id, g.group_by == group_by, g.first_day <= until, g.last_day >= since
    )
    out = set()
    lo, hi = since.isoformat(), until.isoformat()
    for grp, team, days in _rows(session, query):
        if days is not None:  # steps before and after the period: is one inside?
            listed: Sequence[str] = days.split()
            at = bisect_left(listed, lo)
            if at == len(listed) or listed[at] > hi:
                continue
        out.add((grp, team))
    return out
