"""The four Kirkpatrick levels, each computed per group from plain rows (no HTTP, no charts).

Every figure is defined in :data:`DEFINITIONS` (shown with the dashboard and in
docs/surveys.md). Groups are a course's title, an item modality or a learner's team.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from statistics import mean
from typing import Any, Protocol

from coach.storage.survey_figures import ScoreSums

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


Key = Callable[[ScoreSums], str]
"""The group of a sum (from its item and team)."""


def _avg(values: list[float], digits: int = 2) -> float | None:
    return round(mean(values), digits) if values else None


def _share(hits: int, n: int) -> float | None:
    return round(hits / n, 4) if n else None


def _mean(parts: list[ScoreSums], measure: str) -> float | None:
    total = sum(p.sums[measure][0] for p in parts)
    n = sum(p.sums[measure][1] for p in parts)
    return round(total / n, 2) if n else None


def _pool(sums: Iterable[ScoreSums], key: Key, kind: str) -> dict[str, dict[str, list]]:
    groups: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for s in sums:
        if s.kind == kind:
            groups[key(s)][s.audience].append(s)
    return groups


def reaction(sums: Iterable[ScoreSums], key: Key) -> dict[str, list[Any]]:
    """Group → [answers, satisfaction, usefulness, confidence] over hot answers."""
    out = {}
    for g, by in _pool(sums, key, "hot").items():
        parts = by["learner"]
        out[g] = [sum(p.answers for p in parts)] + [
            _mean(parts, m) for m in ("satisfaction", "usefulness", "confidence")
        ]
    return out


def _applied(parts: list[ScoreSums]) -> float | None:
    return _share(sum(p.applying for p in parts), sum(p.applied_counted for p in parts))


def behaviour(
    sums: Iterable[ScoreSums],
    key: Key,
    confirmations: Iterable[tuple[str, int | None]] = (),
) -> dict[str, list[Any]]:
    """Group → [learner answers, applied rate, change, manager answers, manager applied
    rate, confirmations, confirmed rate]; ``confirmations`` are (group, level) pairs."""
    groups = _pool(sums, key, "cold")
    levels: dict[str, list[int]] = defaultdict(list)
    for g, level in confirmations:
        if level is not None:
            levels[g].append(level)
    out = {}
    for g in sorted(set(groups) | set(levels)):
        learners, managers = groups[g]["learner"], groups[g]["manager"]
        confirmed = levels.get(g, [])
        out[g] = [
            sum(p.answers for p in learners),
            _applied(learners),
            _mean(learners, "change"),
            sum(p.answers for p in managers),
            _applied(managers),
            len(confirmed),
            _share(sum(v >= 3 for v in confirmed), len(confirmed)),
        ]
    return out


def learning(records: Iterable[Any], key: Callable[[str, str], str]) -> dict[str, list[Any]]:
    """Group → [pairs, pre, post, gain] from pre/post-test rows (``user_id, item_id, phase,
    score``, oldest first): per learner and item the latest pre- and post-test, as the
    admin tools' ``progression`` counts them (a test checks both agree); ``progression``
    itself is not called here because it draws a chart per item."""
    tests: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)
    for r in records:
        tests[(r.user_id, r.item_id)][r.phase] = r.score
    pairs: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for (user_id, item_id), got in tests.items():
        if "pre" in got and "post" in got:
            pairs[key(user_id, item_id)].append((got["pre"], got["post"]))
    out = {}
    for g, values in pairs.items():
        pre, post = mean(v[0] for v in values), mean(v[1] for v in values)
        out[g] = [len(values), round(pre, 4), round(post, 4), round((post - pre) * 100, 1)]
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
