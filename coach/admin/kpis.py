"""The KPI dashboard: engagement, learning and impact indicators per team, role or course,
each with its definition (docs/admin-assistant.md) and a chart. Read-only."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from statistics import mean
from typing import Literal

from pydantic import BaseModel

from coach.admin import charts
from coach.admin.org import OrgData, Period, Person, Scope
from coach.admin.schemas import Chart, Table
from coach.admin.tools import PASS_MARK, _mandatory_status, completion_rate

GroupBy = Literal["team", "role", "course"]


class Dashboard(BaseModel):
    """Indicators per group over a period, with their charts."""

    group_by: GroupBy
    period: list[str]
    table: Table
    charts: list[Chart]
    definitions: dict[str, str]


DEFINITIONS = {
    "learners": "Learners with a profile in the group.",
    "active_rate": "Share of them with at least one learning record in the period.",
    "minutes_per_active": "Minutes recorded in the period per active learner.",
    "quiz_average": "Average score of quiz attempts in the period.",
    "quiz_pass_rate": f"Share of those attempts scoring at least {PASS_MARK:.0%}.",
    "prepost_gain": "Average post-test minus pre-test of learners with both (points).",
    "compliance_rate": "Share of learners overdue on no mandatory training today.",
    "completion_rate": "Course groups: completed in the period / enrolled and not yet done.",
}


def _people_groups(org: OrgData, group_by: Literal["team", "role"]) -> dict[str, list[Person]]:
    out: dict[str, list[Person]] = defaultdict(list)
    for p in org.people:
        out[(p.team if group_by == "team" else p.role) or "—"].append(p)
    return dict(sorted(out.items()))


def _row(org: OrgData, people: list[Person], period: Period, item_id: str | None) -> list:
    ids = {p.user_id for p in people}
    recs = [r for u in ids for r in org.records.get(u, [])]
    in_period = [r for r in recs if r.on in period and (item_id is None or r.item_id == item_id)]
    active = {r.user_id for r in in_period}
    minutes = sum(r.minutes or 0.0 for r in in_period)
    quizzes = [r.score for r in in_period if r.kind == "quiz" and r.score is not None]
    gains = []
    for u in ids:
        tests: dict[str, float] = {}
        for r in org.records.get(u, []):
            mine = item_id is None or r.item_id == item_id
            if r.kind == "quiz" and r.phase and r.score is not None and mine:
                tests[r.phase] = r.score
        if len(tests) == 2:
            gains.append(tests["post"] - tests["pre"])
    compliant = sum(1 for p in people if not _mandatory_status(org, p, item_id))
    return [
        len(people),
        round(len(active) / len(people), 4) if people else None,
        round(minutes / len(active), 1) if active else None,
        round(mean(quizzes), 4) if quizzes else None,
        round(sum(q >= PASS_MARK for q in quizzes) / len(quizzes), 4) if quizzes else None,
        round(mean(gains) * 100, 1) if gains else None,
        round(compliant / len(people), 4) if people else None,
    ]


def dashboard(
    org: OrgData, *, group_by: GroupBy = "team", period: Period | None = None
) -> Dashboard:
    """Indicators per team, role or course over ``period`` (default: the last 90 days)."""
    period = period or Period(org.today - timedelta(days=89), org.today)
    columns = [
        "group",
        "learners",
        "active_rate",
        "minutes_per_active",
        "quiz_average",
        "quiz_pass_rate",
        "prepost_gain",
        "compliance_rate",
    ]
    rows = []
    if group_by == "course":
        columns.append("completion_rate")
        enrolled: dict[str, set[str]] = defaultdict(set)
        for e in org.enrolments:
            if e.status != "cancelled" and e.user_id in org.by_user:
                enrolled[e.item_id].add(e.user_id)
        for item_id, users in sorted(enrolled.items(), key=lambda kv: org.item_title(kv[0])):
            people = [org.by_user[u] for u in sorted(users)]
            rate = completion_rate(org, item_id, Scope(), period=period).answer.get("value")
            rows.append([org.item_title(item_id), *_row(org, people, period, item_id), rate])
    else:
        for name, people in _people_groups(org, group_by).items():
            rows.append([name, *_row(org, people, period, None)])
    labels = [str(r[0]) for r in rows]
    plots = []
    for col, title in (
        ("active_rate", "Active learners"),
        ("compliance_rate", "Mandatory compliance"),
        ("quiz_average", "Quiz average"),
    ):
        k = columns.index(col)
        if any(r[k] is not None for r in rows):
            plots.append(
                charts.bars(
                    labels,
                    {title: [r[k] or 0.0 for r in rows]},
                    title=f"{title} by {group_by}",
                    percent=True,
                )
            )
    return Dashboard(
        group_by=group_by,
        period=period.describe(),
        table=Table(columns=columns, rows=rows),
        charts=plots,
        definitions={c: DEFINITIONS[c] for c in columns[1:]},
    )
