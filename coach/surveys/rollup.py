"""Build an organisation's Kirkpatrick rollup from the raw tables (answers, tests, steps,
the graded attempts mastery is replayed from, teams, catalog): the cells the dashboard sums (see
:mod:`coach.storage.kirkpatrick_models`).

The rollup is a snapshot: the dashboard shows when it was built, and it is rebuilt by the
daily sweep (``blendcoach surveys sweep``), ``blendcoach surveys rollup``, the dashboard's
Refresh button (``POST /v1/admin/kirkpatrick/refresh``), and on the first dashboard
request after a catalog import (group names come from the catalog) or when there is none.
Groups are keyed as the dashboard shows them: a course by its title, a modality, a
learner's team.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from coach import storage
from coach.learning.mastery_history import Trajectory, org_tracer, trajectories
from coach.paths import NoCatalog, World
from coach.storage.kirkpatrick_cells import (
    SURVEY_SUMS,
    get_kirkpatrick_rollup,
    lock_kirkpatrick_rollup,
    month_start,
    replace_kirkpatrick_rollup,
)
from coach.storage.kirkpatrick_models import GROUP_BYS, KirkpatrickRollup
from coach.storage.mastery_history import skill_evidence
from coach.storage.models import utcnow
from coach.surveys.catalog import CatalogView, catalog_view
from coach.surveys.spans import FixedPath, Term, mastery_terms, pair_terms, to_fixed
from coach.surveys.templates import APPLIED
from recommender.catalog import CatalogError

KeyFn = Callable[[str, str, "str | None"], str]
"""(learner, item, team or None for the learner's) → the group the dashboard shows."""


def _key(group_by: str, view: CatalogView, team_of: dict[str, str]) -> KeyFn:
    def key(user_id: str, item_id: str, team: str | None = None) -> str:
        if group_by == "course":
            return view.title(item_id)
        if group_by == "modality":
            return view.modality(item_id)
        return (team_of.get(user_id, "") if team is None else team) or "—"

    return key


class _Spans:
    """Span terms summed per (group by, group, measure, grain, lo, hi, nxt)."""

    def __init__(self) -> None:
        self.cells: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0, 0])

    def add(self, gb: str, g: str, measure: str, term: Term, n: int, a: int, b: int) -> None:
        lo, hi, nxt = term
        grains = [("next" if nxt is not None else "day", lo, hi)]
        if nxt is None:  # the month cells sum the day cells
            grains.append(("month", month_start(lo), month_start(hi)))
        for grain, x, y in grains:
            cell = self.cells[(gb, g, measure, grain, x, y, nxt)]
            cell[0], cell[1], cell[2] = cell[0] + n, cell[1] + a, cell[2] + b

    def rows(self) -> list[dict[str, Any]]:
        names = ("group_by", "grp", "measure", "grain", "lo", "hi", "nxt")
        return [
            {**dict(zip(names, k, strict=True)), "n": n, "a": a, "b": b}
            for k, (n, a, b) in self.cells.items()
            if n or a or b  # terms that cancel out (a skill reached twice in a month)
        ]


def _survey_cells(rows: Iterable[Any], keys: dict[str, KeyFn]) -> list[dict[str, Any]]:
    cells: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0] * len(SURVEY_SUMS))
    for kind, audience, item_id, team, day, *sums in rows:
        values = [int(v or 0) for v in sums]
        for gb, key in keys.items():
            g = key("", item_id, team)
            for grain, at in (("day", day), ("month", month_start(day))):
                cell = cells[(gb, g, kind, audience, grain, at)]
                cell[:] = [x + y for x, y in zip(cell, values, strict=True)]
    names = ("group_by", "grp", "kind", "audience", "grain", "day")
    return [
        {**dict(zip(names, k, strict=True)), **dict(zip(SURVEY_SUMS, v, strict=True))}
        for k, v in cells.items()
    ]


def _learning(spans: _Spans, tests: Iterable[Any], keys: dict[str, KeyFn]) -> None:
    by_pair: dict[tuple[str, str], dict[str, list[tuple[date, float]]]] = defaultdict(
        lambda: {"pre": [], "post": []}
    )
    for r in tests:  # oldest first
        by_pair[(r.user_id, r.item_id)][r.phase].append((r.on, r.score))
    for (user_id, item_id), tests_of in by_pair.items():
        terms = list(pair_terms(tests_of["pre"], tests_of["post"]))
        for gb, key in keys.items():
            g = key(user_id, item_id, None)
            for term, pre, post in terms:
                spans.add(gb, g, "learning", term, 1, to_fixed(pre), to_fixed(post))


def _steps(
    spans: _Spans,
    steps: set[tuple[str, str, date]],
    keys: dict[str, KeyFn],
    team_of: dict[str, str],
    taught: dict[str, list[str]] | None,
    paths: dict[tuple[str, str], Trajectory],
) -> list[dict[str, Any]]:
    """Mastery terms (with a catalog) and the days each group's teams took steps."""
    present: dict[tuple[str, str, str], set[date]] = defaultdict(set)
    for gb, key in keys.items():
        reached: dict[tuple[str, str, str], set[date]] = defaultdict(set)
        for user_id, item_id, day in steps:
            g = key(user_id, item_id, None)
            present[(gb, g, "" if gb == "team" else team_of.get(user_id, ""))].add(day)
            for skill in (taught or {}).get(item_id, ()):
                if (user_id, skill) in paths:
                    reached[(g, user_id, skill)].add(day)
        for (g, user_id, skill), days in reached.items():
            for term, n, a, b in mastery_terms(sorted(days), _fixed(paths[(user_id, skill)])):
                spans.add(gb, g, "mastery", term, n, a, b)
    return [
        {"group_by": gb, "grp": g, "team": team, "first_day": min(days), "last_day": max(days),
         "days": " ".join(d.isoformat() for d in sorted(days))}
        for (gb, g, team), days in present.items()
    ]  # fmt: skip


def _fixed(path: Trajectory) -> FixedPath:
    return FixedPath(to_fixed(path.start), path.days, tuple(map(to_fixed, path.values)))


def refresh(session: Session, *, org_id: str, world: World | None = None) -> KirkpatrickRollup:
    """Rebuild the organisation's rollup from its raw tables now (in the session's
    transaction; a concurrent refresh of the same organisation waits for it)."""
    started = time.perf_counter()
    lock_kirkpatrick_rollup(session, org_id=org_id)
    revision = storage.catalog_revision(session, org_id=org_id)
    view = catalog_view(session, org_id=org_id)
    team_of = storage.learner_teams(session, org_id=org_id)
    keys = {gb: _key(gb, view, team_of) for gb in GROUP_BYS}
    surveys = storage.survey_day_sums(
        session, org_id=org_id, applying=APPLIED, no_opportunity="no_opportunity"
    )
    spans = _Spans()
    try:
        catalog = (world or World()).catalog(session, org_id)
    except (NoCatalog, CatalogError):  # no usable catalog: no pre/post or mastery figures
        catalog = None
    taught = None
    if catalog is not None:
        tests = storage.prepost_records(session, org_id=org_id)
        ours = [r for r in tests if r.user_id in team_of and r.item_id in catalog.items]
        _learning(spans, ours, keys)
        taught = {i.id: [s.skill for s in i.skills] for i in catalog.items.values()}
    paths = {}
    if catalog is not None:  # mastery over time, replayed from the evidence
        evidence = skill_evidence(session, org_id=org_id)
        paths = trajectories(evidence, org_tracer(session, org_id))
    steps = storage.step_days(session, org_id=org_id)
    teams = _steps(spans, steps, keys, team_of, taught, paths)
    return replace_kirkpatrick_rollup(
        session,
        org_id=org_id,
        survey_cells=_survey_cells(surveys, keys),
        span_cells=spans.rows(),
        group_teams=teams,
        catalog_revision=revision,
        built_at=utcnow(),
        seconds=round(time.perf_counter() - started, 3),
    )


def current(session: Session, *, org_id: str, world: World | None = None) -> KirkpatrickRollup:
    """The organisation's rollup, built first if there is none or the catalog changed
    since (its groups are named after the catalog)."""
    state = get_kirkpatrick_rollup(session, org_id=org_id)
    revision = storage.catalog_revision(session, org_id=org_id)
    if state is not None and state.catalog_revision == revision:
        return state
    state = lock_kirkpatrick_rollup(session, org_id=org_id)  # another request may have built it
    if state is not None and state.catalog_revision == revision:
        return state
    return refresh(session, org_id=org_id, world=world)
