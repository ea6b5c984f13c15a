"""The Kirkpatrick dashboard: reaction, learning, behaviour and results per course, modality
or team over a period, with their definitions and SVG charts. Read-only.

A step counts in the period by its own date (the session signed, the module completed): a
cold answer about a step of March counts for March even if given in May. Pre/post pairs
count when both tests fall in the period; KPIs when their month does. Manager
confirmations come from the managers module through ``confirmations`` (see
:class:`coach.surveys.levels.Confirmation`); without it those columns stay empty.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from functools import cached_property
from typing import Any, Literal

from pydantic import BaseModel
from sqlalchemy.orm import Session

from coach import storage
from coach.admin.org import OrgData, Scope
from coach.admin.schemas import Chart, Table
from coach.paths import NoCatalog, World
from coach.surveys import levels
from coach.surveys.catalog import catalog_view
from coach.surveys.kirkpatrick_charts import draw
from coach.surveys.rates import teams_of
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


class _PeriodOrg(OrgData):
    """The admin tools' view of the organisation with records cut to the period."""

    def __init__(self, session: Session, *, org_id: str, world: World, since: date, until: date):
        super().__init__(session, org_id=org_id, world=world, today=until)
        self.since = since

    @cached_property
    def records(self) -> dict[str, list[storage.LearningRecord]]:  # type: ignore[override]
        every = storage.learning_records(self.session, user_ids=[p.user_id for p in self.people])
        return {
            u: [r for r in recs if self.since <= r.on <= self.today] for u, recs in every.items()
        }


def kirkpatrick(
    session: Session,
    *,
    org_id: str,
    group_by: GroupBy,
    since: date,
    until: date,
    world: World | None = None,
    confirmations: levels.ConfirmationsFn | None = None,
) -> Kirkpatrick:
    """The dashboard of the organisation for steps taken in ``[since, until]``."""
    view = catalog_view(session, org_id=org_id)
    team_of = teams_of(session, org_id)

    def key(subject_id: str, item_id: str) -> str:
        if group_by == "course":
            return view.title(item_id)
        if group_by == "modality":
            return view.modality(item_id)
        return team_of.get(subject_id, "—")

    answers = [
        levels.Answer(
            i.kind, i.audience, i.subject_id, i.item_id, a.values, levels.measures(i.template)
        )
        for i, a in storage.answered_surveys(session, org_id=org_id, since=since, until=until)
    ]
    by_answer = lambda a: key(a.subject_id, a.item_id)  # noqa: E731
    reaction = levels.reaction(answers, by_answer)
    given = []
    if confirmations is not None:
        rows = confirmations(session, org_id=org_id, since=since, until=until + timedelta(days=1))
        ours = {u.id for u in storage.list_users(session, org_id=org_id)}
        given = [(key(c.report_id, c.item_id), c.level) for c in rows if c.report_id in ours]
    behaviour = levels.behaviour(answers, by_answer, given)

    org = _PeriodOrg(session, org_id=org_id, world=world or World(), since=since, until=until)
    takers: dict[str, set[tuple[str, str]]] = defaultdict(set)
    tested: set[str] = set()
    for uid, recs in org.records.items():
        for r in recs:
            if r.item_id and (r.kind == "completion" or (r.kind == "attendance" and r.attended)):
                takers[key(uid, r.item_id)].add((uid, r.item_id))
            if r.item_id and r.kind == "quiz" and r.phase in ("pre", "post"):
                tested.add(r.item_id)
    for a in answers:
        if a.audience == "learner":
            takers[by_answer(a)].add((a.subject_id, a.item_id))
    learning, mastery = _learning(session, org, group_by, key, tested, takers)

    groups = sorted(
        set(reaction) | set(behaviour) | set(takers) | {g for g, v in learning.items() if v[0]}
    )
    rows = []
    for g in groups:
        r = reaction.get(g, [0, None, None, None])
        le = learning.get(g, [0, None, None, None])
        b = behaviour.get(g, [0, None, None, 0, None, 0, None])
        rows.append([g, *r, *le, mastery.get(g), *b])
    teams = {g: {g} for g in groups} if group_by == "team" else _teams(takers, team_of)
    kpis = storage.business_kpis(
        session,
        org_id=org_id,
        since_month=since.strftime("%Y-%m"),
        until_month=until.strftime("%Y-%m"),
    )
    result_rows = levels.results(kpis, teams)
    table = Table(columns=COLUMNS, rows=rows)
    return Kirkpatrick(
        group_by=group_by,
        period=[since.isoformat(), until.isoformat()],
        levels=table,
        results=Table(columns=RESULT_COLUMNS, rows=result_rows),
        charts=draw(table, kpis, group_by),
        definitions=dict(levels.DEFINITIONS),
    )


def _learning(
    session: Session,
    org: _PeriodOrg,
    group_by: GroupBy,
    key: Any,
    tested: set[str],
    takers: dict[str, set[tuple[str, str]]],
) -> tuple[dict[str, list[Any]], dict[str, float | None]]:
    try:
        catalog = org.catalog
    except (NoCatalog, CatalogError):  # no usable catalog: no pre/post or mastery figures
        return {}, {}
    tested = {i for i in tested if i in catalog.items}
    groups: dict[str, tuple[list[str], Scope]] = {}
    if group_by == "team":
        for team in {p.team for p in org.people}:
            groups[team or "—"] = (sorted(tested), Scope(team=team))
    else:
        pooled: dict[str, list[str]] = defaultdict(list)
        for item_id in sorted(tested):
            pooled[key("", item_id)].append(item_id)
        groups = {g: (items, Scope()) for g, items in pooled.items()}
    taught = {i.id: [s.skill for s in i.skills] for i in catalog.items.values()}
    users = sorted({u for pairs in takers.values() for u, _ in pairs})
    p = storage.mastery_levels(session, user_ids=users)
    return levels.learning(org, groups), levels.mastery(takers, taught, p)


def _teams(takers: dict[str, set[tuple[str, str]]], team_of: dict[str, str]) -> dict[str, set[str]]:
    return {g: {team_of[u] for u, _ in pairs if u in team_of} for g, pairs in takers.items()}


def default_period(today: date) -> tuple[date, date]:
    """The last 365 days up to ``today``."""
    return today - timedelta(days=364), today
