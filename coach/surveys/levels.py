"""The four Kirkpatrick levels, each computed per group from plain rows (no HTTP, no charts).

Every figure is defined in :data:`DEFINITIONS` (shown with the dashboard and in
docs/surveys.md). Groups are a course's title, an item modality or a learner's team.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from statistics import mean
from typing import Any, Protocol

from coach.admin.org import OrgData, Scope
from coach.admin.tools.learning import progression
from coach.surveys.templates import APPLIED

DEFINITIONS = {
    "reaction_n": "Hot survey answers about steps taken in the period.",
    "satisfaction": "Average satisfaction (1-5) of those answers.",
    "usefulness": "Average usefulness for the job (1-5).",
    "confidence": "Average confidence to apply it (1-5).",
    "learning_n": "Learners with a pre-test and a post-test of an item, both in the period "
    "(one pair per learner and item).",
    "pre": "Average pre-test score of those pairs.",
    "post": "Average post-test score of those pairs.",
    "gain": "Average post-test minus pre-test (points out of 100).",
    "mastery": "Current estimated mastery (0-1) of the skills the group's steps teach, over "
    "the learners who took those steps in the period.",
    "behaviour_n": "Cold survey answers of learners about steps taken in the period.",
    "applied_rate": "Share of them who apply it (yes or partly), 'no opportunity yet' left out.",
    "change": "Average change in their way of working (1-5).",
    "manager_n": "Cold survey answers of managers about their reports' steps.",
    "manager_applied_rate": "Share of managers who see the report apply it (yes or partly).",
    "confirmations_n": "Managers' on-the-job application confirmations given (4-level "
    "scale), 'no opportunity yet' left out.",
    "confirmed_rate": "Share of those confirmations at level 3 or 4.",
}


class Confirmation(Protocol):
    """A manager's on-the-job application confirmation, as the managers module stores it."""

    report_id: str
    item_id: str
    level: int | None  # 1..4; None: no opportunity yet


ConfirmationsFn = Callable[..., Iterable[Confirmation]]
"""``fn(session, *, org_id, since, until)`` → confirmations given in ``[since, until)``."""


@dataclass(frozen=True)
class Answer:
    """One answered survey, reduced to what the levels read."""

    kind: str
    audience: str
    subject_id: str
    item_id: str
    values: Mapping[str, Any]
    measures: Mapping[str, str]  # measure → question id in the instance's template

    def get(self, measure: str) -> Any:
        qid = self.measures.get(measure)
        return None if qid is None else self.values.get(qid)


def measures(template: Mapping[str, Any]) -> dict[str, str]:
    """measure → question id, read from a stored template (already validated)."""
    return {q["measure"]: q["id"] for q in template.get("questions", []) if q.get("measure")}


def _avg(values: list[float], digits: int = 2) -> float | None:
    return round(mean(values), digits) if values else None


def _share(hits: int, n: int) -> float | None:
    return round(hits / n, 4) if n else None


def reaction(answers: Iterable[Answer], key: Callable[[Answer], str]) -> dict[str, list[Any]]:
    """Group → [answers, satisfaction, usefulness, confidence] over hot answers."""
    groups: dict[str, list[Answer]] = defaultdict(list)
    for a in answers:
        if a.kind == "hot":
            groups[key(a)].append(a)
    out = {}
    for g, rows in groups.items():
        cells: list[Any] = [len(rows)]
        for m in ("satisfaction", "usefulness", "confidence"):
            cells.append(_avg([v for a in rows if isinstance(v := a.get(m), int)]))
        out[g] = cells
    return out


def _applied(rows: list[Answer]) -> tuple[float | None, float | None]:
    said = [a.get("applied") for a in rows]
    counted = [s for s in said if s is not None and s != "no_opportunity"]
    rate = _share(sum(s in APPLIED for s in counted), len(counted))
    return rate, _avg([v for a in rows if isinstance(v := a.get("change"), int)])


def behaviour(
    answers: Iterable[Answer],
    key: Callable[[Answer], str],
    confirmations: Iterable[tuple[str, int | None]] = (),
) -> dict[str, list[Any]]:
    """Group → [learner answers, applied rate, change, manager answers, manager applied
    rate, confirmations, confirmed rate]; ``confirmations`` are (group, level) pairs."""
    groups: dict[str, dict[str, list[Answer]]] = defaultdict(lambda: defaultdict(list))
    for a in answers:
        if a.kind == "cold":
            groups[key(a)][a.audience].append(a)
    levels: dict[str, list[int]] = defaultdict(list)
    for g, level in confirmations:
        if level is not None:
            levels[g].append(level)
    out = {}
    for g in sorted(set(groups) | set(levels)):
        learners, managers = groups[g]["learner"], groups[g]["manager"]
        rate, change = _applied(learners)
        m_rate, _ = _applied(managers)
        confirmed = levels.get(g, [])
        out[g] = [
            len(learners),
            rate,
            change,
            len(managers),
            m_rate,
            len(confirmed),
            _share(sum(v >= 3 for v in confirmed), len(confirmed)),
        ]
    return out


def learning(org: OrgData, groups: Mapping[str, tuple[list[str], Scope]]) -> dict[str, list[Any]]:
    """Group → [pairs, pre, post, gain] from the admin tools' pre/post ``progression`` per
    item (over ``org``'s records, already cut to the period), pooled over the group's items."""
    out = {}
    for g, (items, scope) in groups.items():
        n = 0
        pre = post = 0.0
        for item_id in items:
            got = progression(org, item_id, scope).answer
            if got.get("type") == "progression":
                n += got["n"]
                pre += got["pre"] * got["n"]
                post += got["post"] * got["n"]
        if n:
            out[g] = [n, round(pre / n, 4), round(post / n, 4), round((post - pre) / n * 100, 1)]
        else:
            out[g] = [0, None, None, None]
    return out


def mastery(
    takers: Mapping[str, set[tuple[str, str]]],
    taught: Mapping[str, Iterable[str]],
    p_mastery: Mapping[tuple[str, str], float],
) -> dict[str, float | None]:
    """Group → mean mastery over (learner, skill) of the skills its steps teach;
    ``takers``: group → {(learner, item)} who took them in the period."""
    out = {}
    for g, pairs in takers.items():
        values = [
            p_mastery[(u, s)]
            for u, s in {(u, s) for u, item in pairs for s in taught.get(item, ())}
            if (u, s) in p_mastery
        ]
        out[g] = _avg(values, 3)
    return out


def results(kpis: Iterable[Any], teams: Mapping[str, set[str]]) -> list[list[Any]]:
    """Rows [group, team, indicator, unit, first month, first, last month, last, change]
    for each group's teams (``teams``: group → teams) and each of their indicators."""
    series: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for k in kpis:  # ordered by team, indicator, month
        series[(k.team, k.indicator)].append(k)
    rows = []
    for g in sorted(teams):
        for (team, indicator), points in sorted(series.items()):
            if team not in teams[g]:
                continue
            first, last = points[0], points[-1]
            rows.append(
                [
                    g,
                    team,
                    indicator,
                    last.unit,
                    first.month,
                    first.value,
                    last.month,
                    last.value,
                    round(last.value - first.value, 4),
                ]
            )
    return rows


def in_period(day: date, since: date, until: date) -> bool:
    """Inclusive."""
    return since <= day <= until
