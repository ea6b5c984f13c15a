"""The four Kirkpatrick levels, each computed per group from the rollup's sums over the
period (no HTTP, no charts).

Every figure is defined in :data:`DEFINITIONS` (shown with the dashboard and in
docs/surveys.md). Groups are a course's title, an item modality or a learner's team.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol

from coach.storage.kirkpatrick_cells import SpanSums, SurveySums
from coach.surveys.spans import fixed_mean

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
    "mastery_n": "Learners' skills taught by the group's steps taken in the period (a learner "
    "and skill counted once), with graded answers on the skill by the period's end.",
    "mastery_before": "Their average estimated mastery (0-1) at the start of the learner's "
    "first step of the group in the period, replayed from the graded answers.",
    "mastery_after": "Their average estimated mastery (0-1) at the end of the period.",
    "mastery_gain": "Average mastery gain, after minus before (points out of 100).",
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


def _avg_exact(total: int, n: int, digits: int) -> float | None:
    return round(fixed_mean(total, n), digits) if n else None


def _share(hits: int, n: int) -> float | None:
    return round(hits / n, 4) if n else None


def _mean(parts: list[SurveySums], measure: str) -> float | None:
    total = sum(p.sums[measure][0] for p in parts)
    n = sum(p.sums[measure][1] for p in parts)
    return round(total / n, 2) if n else None


def _pool(sums: Iterable[SurveySums], kind: str) -> dict[str, dict[str, list[SurveySums]]]:
    groups: dict[str, dict[str, list[SurveySums]]] = defaultdict(lambda: defaultdict(list))
    for s in sums:
        if s.kind == kind:
            groups[s.group][s.audience].append(s)
    return groups


def reaction(sums: Iterable[SurveySums]) -> dict[str, list[Any]]:
    """Group → [answers, satisfaction, usefulness, confidence] over hot answers."""
    out = {}
    for g, by in _pool(sums, "hot").items():
        parts = by["learner"]
        out[g] = [sum(p.answers for p in parts)] + [
            _mean(parts, m) for m in ("satisfaction", "usefulness", "confidence")
        ]
    return out


def _applied(parts: list[SurveySums]) -> float | None:
    return _share(sum(p.applying for p in parts), sum(p.applied_counted for p in parts))


def behaviour(
    sums: Iterable[SurveySums], confirmations: Iterable[tuple[str, int | None]] = ()
) -> dict[str, list[Any]]:
    """Group → [learner answers, applied rate, change, manager answers, manager applied
    rate, confirmations, confirmed rate]; ``confirmations`` are (group, level) pairs."""
    groups = _pool(sums, "cold")
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


def learning(spans: Iterable[SpanSums]) -> dict[str, list[Any]]:
    """Group → [pairs, pre, post, gain] from the learning terms of the period: per learner
    and item the latest pre- and post-test of the period, as the admin tools'
    ``progression`` counts them (a test checks both agree)."""
    out = {}
    for s in spans:
        if s.measure == "learning" and s.n:
            pre, post = fixed_mean(s.a, s.n), fixed_mean(s.b, s.n)
            out[s.group] = [s.n, round(pre, 4), round(post, 4), round((post - pre) * 100, 1)]
    return out


def mastery(spans: Iterable[SpanSums]) -> dict[str, list[Any]]:
    """Group → [skills, before, after, gain] over (learner, skill) of the skills its steps
    of the period teach: mastery at the start of the learner's first step of the period
    and at the period's end, from the mastery terms of the period."""
    out = {}
    for s in spans:
        if s.measure == "mastery" and s.n:
            gain = fixed_mean(s.b - s.a, s.n)
            out[s.group] = [
                s.n, _avg_exact(s.a, s.n, 3), _avg_exact(s.b, s.n, 3), round(gain * 100, 1)
            ]  # fmt: skip
    return out


ResultRow = tuple[str, str, str, str, str, float, str, float, float]
"""(group, team, indicator, unit, first month, first, last month, last, change)."""


def results(ends: Iterable[Any], teams: Mapping[str, set[str]]) -> list[ResultRow]:
    """A row for each group's teams (``teams``: group → teams) and each of their
    indicators, from the indicators' first and last months of the period (``ends``: rows
    ``team, indicator, first_month, first, last_month, last, unit``). Tuples: a course's
    results list every team that took it (tens of thousands of rows in a large
    organisation), and tuples of plain values cost Python's garbage collector nothing once
    seen, where as many lists made full collections frequent."""
    lines: dict[str, list[tuple[Any, ...]]] = defaultdict(list)  # team → its indicators
    for team, indicator, first_month, first, last_month, last, unit in ends:
        change = round(last - first, 4)
        lines[team].append((team, indicator, unit, first_month, first, last_month, last, change))
    for line in lines.values():
        line.sort()
    return [
        (g, *line)
        for g in sorted(teams)
        for team in sorted(teams[g] & lines.keys())
        for line in lines[team]
    ]
