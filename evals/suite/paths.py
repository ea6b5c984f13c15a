"""The paths suite: the demo learners' paths, planned as ``blendcoach paths generate`` does,
through check_path.

Learners are planned in turn with one seat ledger (seats taken by earlier plans count) and
the collaborative signal of the demo's cohort; each path is judged against the seats of
the others, on the demo's planning date.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from evals.checks.paths import check_path
from evals.suite.progress import Progress
from recommender.demo import load_demo
from recommender.paths import CoCompletion, SeatLedger, build_path, reserve


def run_paths(demo: Path, *, progress: Progress) -> dict[str, Any]:
    """Plan and judge every demo learner's path; the suite's section of the summary."""
    world = load_demo(demo)
    signal = CoCompletion().fit([*world.cohort, *world.learners.values()])
    ledger = SeatLedger()
    rows: list[dict[str, Any]] = []
    for learner in progress.track(list(world.learners.values()), "planning paths"):
        path = build_path(
            learner, world.catalog, {}, world.today, cocompletion=signal, ledger=ledger
        )
        others = SeatLedger()
        others.seats.update(ledger.seats)
        assessment = check_path(path, world.catalog, learner, world.today, ledger=others)
        reserve(ledger, path, world.catalog)
        problems = [p for c in assessment.checks for p in c.details.get("problems", ())]
        rows.append(
            {
                "course": learner.role or "no role",
                "learner": learner.id,
                "n_steps": len(path.steps),
                "verdict": assessment.verdict,
                "scores": assessment.scores,
                "problems": len(problems),
                "blocking": sum(c.verdict == "block" for c in assessment.checks),
                "open_goals": len(
                    next(c for c in assessment.checks if c.name == "path_goals").details["open"]
                ),
                "reasons": list(assessment.reasons)[:5],
            }
        )
    return summarise(rows)


def _figures(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    verdicts = Counter(r["verdict"] for r in rows)
    goals = [r["scores"]["path_goals"] for r in rows]
    return {
        "n_paths": len(rows),
        "n_steps": sum(r["n_steps"] for r in rows),
        "problems": sum(r["problems"] for r in rows),
        "blocking_checks": sum(r["blocking"] for r in rows),
        "open_goals": sum(r["open_goals"] for r in rows),
        "goal_coverage": round(sum(goals) / len(goals), 4) if goals else None,
        "verdicts": {v: verdicts.get(v, 0) for v in ("pass", "revise", "block")},
    }


def summarise(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Figures overall and per role (the paths' "course"), and every path."""
    roles = sorted({r["course"] for r in rows})
    return {
        **_figures(rows),
        "per_course": {c: _figures([r for r in rows if r["course"] == c]) for c in roles},
        "rows": list(rows),
    }
