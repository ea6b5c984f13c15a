"""Path sanity: the review rules of a learning path as checks, plus goal coverage.

The rules are :func:`recommender.review.validate_path`'s (nothing is re-implemented): its
problem kinds are grouped into families, one :class:`~evals.verdict.CheckResult` each:

* ``path_prerequisites``: prerequisites before dependents (``prerequisite``);
* ``path_redundancy``: no item twice (``duplicate``) and, as a warning, no step that
  serves none of the path's gaps nor a later step's prerequisites (``serves_nothing``);
* ``path_deadlines``: deadline fit (``past_deadline``, and the builder's ``late`` notes);
* ``path_sessions``: bookable sessions (``no_session``, ``unknown_session``,
  ``session_full``, ``session_closed``, ``past``) and known items (``unknown_item``);
* ``path_budget``: the weekly hours (``over_budget``);
* ``path_goals``: goals covered, i.e. every gap the catalog can close is closed by the
  path (the learner's current levels plus what the steps teach).

A family blocks when one of its problems has a kind the review page blocks approval on
(:data:`coach.paths.service.BLOCKING`), asks for a revision when it has only other
problems, and passes otherwise. Scores are the share of steps (goals: of closable gaps)
free of the family's problems.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date

from evals.verdict import Assessment, CheckResult, Verdict, combine
from recommender.catalog import Catalog
from recommender.gaps import current_levels
from recommender.mastery import MasteryEstimate
from recommender.model import Learner
from recommender.plan import Path
from recommender.review import PathProblem, validate_path
from recommender.schedule import SeatLedger

FAMILIES: dict[str, tuple[str, ...]] = {
    "path_prerequisites": ("prerequisite",),
    "path_redundancy": ("duplicate", "serves_nothing"),
    "path_deadlines": ("past_deadline", "late"),
    "path_sessions": (
        "unknown_item",
        "no_session",
        "unknown_session",
        "session_full",
        "session_closed",
        "past",
    ),
    "path_budget": ("over_budget",),
}
GOALS = "path_goals"


def _blocking() -> frozenset[str]:
    # Imported when called: the runtime guard is itself imported by coach.paths.
    from coach.paths.service import BLOCKING

    return BLOCKING


def serves_nothing(path: Path, catalog: Catalog) -> list[PathProblem]:
    """Steps whose item closes none of the path's gaps and no later step needs."""
    out = []
    gap_skills = {g.skill for g in path.gaps if g.skill}
    gap_items = {g.item for g in path.gaps if g.item}
    for n, step in enumerate(path.steps):
        item = catalog.items.get(step.item_id)
        if item is None or item.id in gap_items:
            continue
        if any(sl.skill in gap_skills for sl in item.skills):
            continue
        later = [
            catalog.items[s.item_id] for s in path.steps[n + 1 :] if s.item_id in catalog.items
        ]
        taught = {sl.skill for sl in item.skills}
        if any(
            item.id in other.prereq_items or any(nd.skill in taught for nd in catalog.needs(other))
            for other in later
        ):
            continue
        label = f"step {n + 1} ({step.title or step.item_id})"
        out.append(
            PathProblem("serves_nothing", f"{label}: closes no gap of the path", n, step.item_id)
        )
    return out


def goal_coverage(
    path: Path, catalog: Catalog, learner: Learner, mastery: Mapping[str, MasteryEstimate]
) -> tuple[list[str], list[str], list[str]]:
    """Labels of the gaps the path closes, leaves open, and that no catalog item can close."""
    reached = dict(current_levels(learner, catalog, mastery).current)
    for step in path.steps:
        item = catalog.items.get(step.item_id)
        for sl in item.skills if item is not None else ():
            reached[sl.skill] = max(reached.get(sl.skill, 0), sl.level)
    planned = set(path.item_ids)
    closed: list[str] = []
    open_: list[str] = []
    unclosable: list[str] = []
    for g in path.gaps:
        if g.item is not None:
            (closed if g.item in planned else open_).append(g.label)
            continue
        skill = g.skill or ""
        best = max((i.teaches(skill) for i in catalog.teaching.get(skill, [])), default=0)
        if best < g.target:
            unclosable.append(g.label)
        else:
            (closed if reached.get(skill, 0) >= g.target else open_).append(g.label)
    return closed, open_, unclosable


def _family(
    name: str, problems: list[PathProblem], n_steps: int, blocking: Collection[str]
) -> CheckResult:
    # steps with a problem, plus path-wide problems (a week over budget, a late goal)
    hit = len({p.step for p in problems if p.step is not None})
    hit += sum(p.step is None for p in problems)
    score = 1.0 - min(hit / max(n_steps, 1), 1.0)
    verdict: Verdict = (
        "block" if any(p.kind in blocking for p in problems) else ("revise" if problems else "pass")
    )
    details = {"problems": [{"kind": p.kind, "step": p.step, "item": p.item_id} for p in problems]}
    return CheckResult(name, score, verdict, tuple(p.message for p in problems), details)


def check_path(
    path: Path,
    catalog: Catalog,
    learner: Learner,
    today: date,
    *,
    mastery: Mapping[str, MasteryEstimate] | None = None,
    ledger: SeatLedger | None = None,
    blocking: Collection[str] | None = None,
) -> Assessment:
    """Judge a learning path: review rules by family, redundant steps and goal coverage.

    Args:
        path: the path (built or hand-edited).
        catalog: the organisation's catalog.
        learner: whom it is for (history gives the current levels).
        today: the planning date (past sessions and dates are problems).
        mastery: the learner's mastery estimates, as the builder had them.
        ledger: seats taken by others (not this path's own bookings).
        blocking: problem kinds that block (default: the review page's
            :data:`coach.paths.service.BLOCKING`); every other problem asks for a revision.

    Returns:
        The worst family verdict, with one check per family (see the module docstring).
    """
    mastery = mastery or {}
    blocking = _blocking() if blocking is None else blocking
    problems = validate_path(path, catalog, learner, today, mastery=mastery, ledger=ledger)
    problems += serves_nothing(path, catalog)
    problems += [
        PathProblem("late", w.message, None, str(w.evidence.get("item") or "") or None)
        for w in path.warnings
        if w.kind == "late"
    ]
    n = len(path.steps)
    checks = [
        _family(name, [p for p in problems if p.kind in kinds], n, blocking)
        for name, kinds in FAMILIES.items()
    ]
    closed, open_, unclosable = goal_coverage(path, catalog, learner, mastery)
    closable = len(closed) + len(open_)
    checks.append(
        CheckResult(
            GOALS,
            len(closed) / closable if closable else 1.0,
            "revise" if open_ else "pass",
            tuple(f"goal not reached: {label}" for label in open_),
            {"closed": closed, "open": open_, "unclosable": unclosable},
        )
    )
    return combine(checks)
