"""The Kirkpatrick dashboard: reaction, learning, behaviour and results per course, modality
or team over a period, with their definitions and SVG charts. Read-only, except that the
rollup it reads is built first when there is none (see :mod:`coach.surveys.rollup`).

A step counts in the period by its own date (the session signed, the module completed): a
cold answer about a step of March counts for March even if given in May. Pre/post pairs
count when both tests fall in the period; mastery gains run from the start of a learner's
first step of the group in the period to the period's end (replayed from the graded
answers: :mod:`coach.learning.mastery_history`); KPIs count when their month does. Manager
confirmations come from the managers module through ``confirmations`` (see
:class:`coach.surveys.levels.Confirmation`); without it those columns stay empty.

Every figure but the confirmations and the KPIs is summed from the rollup's cells, a few
queries whatever the size of the organisation; ``as_of`` says when the rollup was built.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel
from sqlalchemy.orm import Session

from coach import storage
from coach.admin.schemas import Chart, Table
from coach.paths import World
from coach.storage.kirkpatrick_cells import (
    kirkpatrick_group_teams,
    kirkpatrick_span_sums,
    kirkpatrick_survey_sums,
)
from coach.surveys import levels, rollup
from coach.surveys.catalog import catalog_view
from coach.surveys.kirkpatrick_charts import draw
from coach.surveys.spans import whole_months

GroupBy = Literal["course", "modality", "team"]
COLUMNS = ["group", *levels.DEFINITIONS]
RESULT_COLUMNS = [
    "group", "team", "indicator", "unit", "first_month", "first", "last_month", "last", "change"
]  # fmt: skip


class Results(BaseModel):
    """The results level: business KPIs of each group's teams, first and last month of the
    period (:func:`coach.surveys.levels.results`)."""

    columns: list[str]
    rows: list[levels.ResultRow]


class Kirkpatrick(BaseModel):
    """The four levels per group (``levels``), the business KPIs of the groups' teams
    (``results``), the charts and what each column means; ``as_of``: when the figures
    (all but the confirmations and KPIs, read live) were computed."""

    group_by: GroupBy
    period: list[str]
    as_of: datetime
    levels: Table
    results: Results
    charts: list[Chart]
    definitions: dict[str, str]


def kirkpatrick(
    session: Session,
    *,
    org_id: str,
    group_by: GroupBy,
    since: date,
    until: date,
    world: World | None = None,
    confirmations: levels.ConfirmationsFn | None = None,
    charts: bool = True,
) -> Kirkpatrick:
    """The dashboard of the organisation for steps taken in ``[since, until]`` (``charts``
    False: the figures alone, without drawing, which costs far more than computing them)."""
    state = rollup.current(session, org_id=org_id, world=world)
    full = whole_months(since, until)
    sums = kirkpatrick_survey_sums(
        session, org_id=org_id, group_by=group_by, since=since, until=until, full=full
    )
    spans = kirkpatrick_span_sums(
        session, org_id=org_id, group_by=group_by, since=since, until=until, full=full
    )
    present = kirkpatrick_group_teams(
        session, org_id=org_id, group_by=group_by, since=since, until=until
    )
    given = _confirmations(session, org_id, group_by, since, until, confirmations)
    reaction, behaviour = levels.reaction(sums), levels.behaviour(sums, given)
    learning, mastery = levels.learning(spans), levels.mastery(spans)

    stepped = {g for g, _ in present}
    groups = sorted(set(reaction) | set(behaviour) | stepped | set(learning))
    rows = []
    for g in groups:
        r = reaction.get(g, [0, None, None, None])
        le = learning.get(g, [0, None, None, None])
        b = behaviour.get(g, [0, None, None, 0, None, 0, None])
        m = mastery.get(g, [0, None, None, None])
        rows.append([g, *r, *le, *m, *b])
    if group_by == "team":
        teams = {g: {g} for g in groups}
    else:
        teams = {g: set() for g in stepped}
        for g, team in present:
            if team:
                teams[g].add(team)
    months = f"{since:%Y-%m}", f"{until:%Y-%m}"
    ends = storage.kpi_ends(session, org_id=org_id, since_month=months[0], until_month=months[1])
    table = Table(columns=COLUMNS, rows=rows)
    # typed values read from the database: not validated again, row by row (a course's
    # results list every team that took it, thousands of rows in a large organisation)
    results = Results.model_construct(columns=RESULT_COLUMNS, rows=levels.results(ends, teams))
    return Kirkpatrick(
        group_by=group_by,
        period=[since.isoformat(), until.isoformat()],
        as_of=state.built_at,
        levels=table,
        results=results,
        charts=draw(table, _kpi_points(session, org_id, *months), group_by) if charts else [],
        definitions=dict(levels.DEFINITIONS),
    )


def _kpi_points(session: Session, org_id: str, since_month: str, until_month: str) -> list[Any]:
    """Every month of the indicators, for the charts' lines."""
    return storage.kpi_points(
        session, org_id=org_id, since_month=since_month, until_month=until_month
    )


def _confirmations(
    session: Session,
    org_id: str,
    group_by: GroupBy,
    since: date,
    until: date,
    confirmations: levels.ConfirmationsFn | None,
) -> list[tuple[str, int | None]]:
    """(group, level) of the managers' confirmations given in the period, read live."""
    if confirmations is None:
        return []
    rows = list(confirmations(session, org_id=org_id, since=since, until=until + timedelta(days=1)))
    reports = sorted({c.report_id for c in rows})
    ours = storage.org_user_ids(session, org_id=org_id, user_ids=reports)
    if group_by == "team":
        team_of = storage.learner_teams(session, org_id=org_id, user_ids=reports)
        return [(team_of.get(c.report_id, "") or "—", c.level) for c in rows if c.report_id in ours]
    view = catalog_view(session, org_id=org_id)
    name = view.title if group_by == "course" else view.modality
    return [(name(c.item_id), c.level) for c in rows if c.report_id in ours]


def default_period(today: date) -> tuple[date, date]:
    """The last 365 days up to today."""
    return today - timedelta(days=364), today
