"""The Kirkpatrick dashboard: reaction, learning, behaviour and results per course, modality
or team over a period, with their definitions and SVG charts. Read-only.

A step counts in the period by its own date (the session signed, the module completed): a
cold answer about a step of March counts for March even if given in May. Pre/post pairs
count when both tests fall in the period; KPIs when their month does. Manager
confirmations come from the managers module through ``confirmations`` (see
:class:`coach.surveys.levels.Confirmation`); without it those columns stay empty.

Survey scores are summed in SQL (one query); pre/post pairs are read from the tests of the
period only, and counted as the admin tools' ``progression`` counts them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, Literal

from pydantic import BaseModel
from sqlalchemy.orm import Session

from coach import storage
from coach.admin.org import OrgData
from coach.admin.schemas import Chart, Table
from coach.paths import NoCatalog, World
from coach.surveys import levels
from coach.surveys.catalog import catalog_view
from coach.surveys.kirkpatrick_charts import draw
from coach.surveys.templates import APPLIED
from recommender.catalog import CatalogError

GroupBy = Literal["course", "modality", "team"]
COLUMNS = ["group", *levels.DEFINITIONS]
RESULT_COLUMNS = [
    "group", "team", "indicator", "unit", "first_month", "first", "last_month", "last", "change"
]  # fmt: skip


class Kirkpatrick(BaseModel):
    """The four levels per group (``levels``), the business KPIs of the groups' teams
    (``results``), the charts and what each column means."""

    group_by: GroupBy
    period: list[str]
    levels: Table
    results: Table
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
    view = catalog_view(session, org_id=org_id)
    base = OrgData(session, org_id=org_id, world=world or World(), today=until)
    team_of = storage.learner_teams(session, org_id=org_id)

    def key(user_id: str, item_id: str, team: str | None = None) -> str:
        if group_by == "course":
            return view.title(item_id)
        if group_by == "modality":
            return view.modality(item_id)
        return (team_of.get(user_id, "") if team is None else team) or "—"

    sums = storage.survey_score_sums(
        session,
        org_id=org_id,
        since=since,
        until=until,
        applying=APPLIED,
        no_opportunity="no_opportunity",
    )
    by_sum = lambda s: key("", s.item_id, s.team)  # noqa: E731
    given = []
    if confirmations is not None:
        rows = confirmations(session, org_id=org_id, since=since, until=until + timedelta(days=1))
        ours = {u.id for u in storage.list_users(session, org_id=org_id)}
        given = [(key(c.report_id, c.item_id), c.level) for c in rows if c.report_id in ours]
    reaction, behaviour = levels.reaction(sums, by_sum), levels.behaviour(sums, by_sum, given)

    takers: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for user_id, item_id in storage.step_takers(session, org_id=org_id, since=since, until=until):
        takers[key(user_id, item_id)].add((user_id, item_id))
    learning, mastery = _learning(session, base, team_of, key, since, until, takers)

    groups = sorted(set(reaction) | set(behaviour) | set(takers) | set(learning))
    rows = []
    for g in groups:
        r = reaction.get(g, [0, None, None, None])
        le = learning.get(g, [0, None, None, None])
        b = behaviour.get(g, [0, None, None, 0, None, 0, None])
        rows.append([g, *r, *le, mastery.get(g), *b])
    if group_by == "team":
        teams = {g: {g} for g in groups}
    else:
        teams = {g: {team_of[u] for u, _ in pairs if team_of.get(u)} for g, pairs in takers.items()}
    kpis = storage.business_kpis(
        session, org_id=org_id, since_month=f"{since:%Y-%m}", until_month=f"{until:%Y-%m}"
    )
    table = Table(columns=COLUMNS, rows=rows)
    return Kirkpatrick(
        group_by=group_by,
        period=[since.isoformat(), until.isoformat()],
        levels=table,
        results=Table(columns=RESULT_COLUMNS, rows=levels.results(kpis, teams)),
        charts=draw(table, kpis, group_by) if charts else [],
        definitions=dict(levels.DEFINITIONS),
    )


def _learning(
    session: Session,
    base: OrgData,
    people: dict[str, str],
    key: Callable[[str, str], str],
    since: date,
    until: date,
    takers: dict[str, set[tuple[str, str]]],
) -> tuple[dict[str, list[Any]], dict[str, float | None]]:
    try:
        catalog = base.catalog
    except (NoCatalog, CatalogError):  # no usable catalog: no pre/post or mastery figures
        return {}, {}
    tests = [
        r
        for r in storage.prepost_records(session, org_id=base.org_id, since=since, until=until)
        if r.user_id in people and r.item_id in catalog.items
    ]
    taught = {i.id: [s.skill for s in i.skills] for i in catalog.items.values()}
    p = storage.mastery_levels(session, org_id=base.org_id)
    return levels.learning(tests, key), levels.mastery(takers, taught, p)


def default_period(today: date) -> tuple[date, date]:
    """The last 365 days up to ``today``."""
    return today - timedelta(days=364), today
