"""The Kirkpatrick dashboard's charts (SVG through :mod:`coach.admin.charts`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from coach.admin import charts
from coach.admin.schemas import Chart, Table

MAX_INDICATORS = 4  # one trend chart per indicator, the first four by name
MAX_GROUPS = 15  # bars for the groups with the most answers (the table has them all)
MAX_TEAMS = 8  # trend lines for the first teams by name


def draw(table: Table, kpis: Sequence[Any], group_by: str) -> list[Chart]:
    """Reaction and behaviour bars per group, pre/post and mastery before/after bars, and
    KPI trends per team."""
    col = {c: k for k, c in enumerate(table.columns)}
    ranked = sorted(table.rows, key=lambda r: -(r[col["reaction_n"]] + r[col["behaviour_n"]]))
    rows = sorted(ranked[:MAX_GROUPS], key=lambda r: str(r[0]))
    labels = [str(r[0]) for r in rows]
    out: list[Chart] = []

    def pick(name: str) -> list[float]:
        return [float(r[col[name]] or 0.0) for r in rows]

    if any(r[col["satisfaction"]] is not None for r in rows):
        out.append(
            charts.bars(
                labels,
                {"Satisfaction": pick("satisfaction"), "Usefulness": pick("usefulness")},
                title=f"Reaction (1-5) by {group_by}",
            )
        )
    if any(r[col["pre"]] is not None for r in rows):
        out.append(
            charts.bars(
                labels,
                {"Pre-test": pick("pre"), "Post-test": pick("post")},
                title=f"Learning: pre/post by {group_by}",
                percent=True,
            )
        )
    if any(r[col["mastery_before"]] is not None for r in rows):
        out.append(
            charts.bars(
                labels,
                {"Before": pick("mastery_before"), "After": pick("mastery_after")},
                title=f"Learning: mastery before/after by {group_by}",
                percent=True,
            )
        )
    if any(r[col["applied_rate"]] is not None for r in rows):
        out.append(
            charts.bars(
                labels,
                {"Learners": pick("applied_rate"), "Managers": pick("manager_applied_rate")},
                title=f"Behaviour: applying it on the job by {group_by}",
                percent=True,
            )
        )
    series: dict[str, dict[str, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
    for k in kpis:
        series[k.indicator][k.team][k.month] = k.value
    for indicator in sorted(series)[:MAX_INDICATORS]:
        months = sorted({m for team in series[indicator].values() for m in team})
        lines = {
            team: [values.get(m, float("nan")) for m in months]
            for team, values in sorted(series[indicator].items())[:MAX_TEAMS]
        }
        out.append(charts.line(months, lines, title=f"Results: {indicator}"))
    return out
