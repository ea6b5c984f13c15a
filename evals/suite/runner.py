"""Run the golden-set suites, judge the release gates, keep the history, write the report.

A run writes, under ``out``: ``summary.json`` (every figure, the gates, the trend),
``report.html`` (tables and inline SVG plots) and ``history/<run id>.json`` (the summary
without its per-item rows). The trend compares the run with the last summary in
``history/`` written before it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from evals.suite.gates import SuiteGates, evaluate, lookup
from evals.suite.progress import Progress
from evals.verdict import Thresholds
from retrieval.embedding import Embedder

SUITES = ("answers", "quizzes", "paths")
HEADLINES = (
    "answers.slop_rate",
    "answers.revise_rate",
    "answers.coverage",
    "answers.means.grounding",
    "answers.means.relevance",
    "answers.means.non_llm_context_recall",
    "answers.means.non_llm_context_precision_with_reference",
    "answers.means.rouge_score",
    "answers.means.faithfulness",
    "quizzes.validity_rate",
    "paths.problems",
    "paths.goal_coverage",
)


@dataclass
class SuiteRun:
    """What to run and with what; the CLI and the tests build one."""

    suites: Sequence[str]
    demo: Path
    out: Path
    embedder: Embedder
    thresholds: Thresholds
    data: Path | None = None
    limit: int | None = 40
    quiz_items: int = 5
    quiz_modules: int | None = 1
    """Modules quizzed per course (None: all)."""
    llm: Any = None
    """An LLM responder answering beside the offline one (None: offline only)."""
    judge: Any = None
    """An :class:`evals.suite.rag.LLMJudge` for ragas's LLM metrics (None: non-LLM only)."""
    progress: Progress = field(default_factory=Progress)
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)


def run_suites(run: SuiteRun) -> dict[str, Any]:
    """Run, gate, compare with the previous run and write the files; the summary."""
    from evals.suite.report import write_report

    gates = SuiteGates.of(run.thresholds)
    started = time.perf_counter()
    now = run.clock()
    suites: dict[str, Any] = {}
    seconds: dict[str, float] = {}
    for name in run.suites:
        t = time.perf_counter()
        suites[name] = _run_one(name, run)
        seconds[name] = round(time.perf_counter() - t, 1)
    summary: dict[str, Any] = {
        "run": now.strftime("%Y%m%dT%H%M%S"),
        "started": now.isoformat(timespec="seconds"),
        "data": str(run.data) if run.data is not None else None,
        "limit": run.limit,
        "seconds": {**seconds, "total": round(time.perf_counter() - started, 1)},
        "suites": suites,
    }
    results = evaluate(summary, gates)
    summary["gates"] = [g.to_dict() for g in results]
    summary["crossed"] = [g.describe() for g in results if g.status == "crossed"]
    history = run.out / "history"
    previous = _history(history)
    summary["trend"] = trend(summary, previous[-1] if previous else None, gates)
    run.out.mkdir(parents=True, exist_ok=True)
    (run.out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    history.mkdir(exist_ok=True)
    (history / f"{summary['run']}.json").write_text(
        json.dumps(_without_rows(summary), indent=2) + "\n", encoding="utf-8"
    )
    write_report(run.out / "report.html", summary, [*previous, _without_rows(summary)])
    return summary


def _run_one(name: str, run: SuiteRun) -> dict[str, Any]:
    if name == "answers":
        from evals.suite.answers import run_answers
        from evals.suite.golden import golden_sets

        sets = golden_sets(run.data, run.demo, run.limit)
        return run_answers(
            sets, run.embedder, run.thresholds, llm=run.llm, judge=run.judge, progress=run.progress
        ) | {"sets": [s.course for s in sets]}
    if name == "quizzes":
        from evals.suite.quizzes import run_quizzes

        return run_quizzes(
            run.demo / "catalog",
            run.embedder,
            run.thresholds,
            per_module=run.quiz_items,
            modules_per_course=run.quiz_modules,
            progress=run.progress,
        )
    if name == "paths":
        from evals.suite.paths import run_paths

        return run_paths(run.demo, progress=run.progress)
    raise ValueError(f"unknown suite {name!r} (choose from {', '.join(SUITES)})")


def _without_rows(summary: dict[str, Any]) -> dict[str, Any]:
    suites = {
        k: {kk: vv for kk, vv in v.items() if kk != "rows"} for k, v in summary["suites"].items()
    }
    return {**summary, "suites": suites}


def _history(folder: Path) -> list[dict[str, Any]]:
    """Earlier summaries, oldest first (unreadable files are skipped)."""
    out = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            out.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue
    return out


def headlines(gates: SuiteGates) -> list[str]:
    """The figures followed across runs: the gated ones, then the usual ones."""
    return list(dict.fromkeys([*gates.gates, *HEADLINES]))


def trend(
    summary: dict[str, Any], previous: dict[str, Any] | None, gates: SuiteGates
) -> dict[str, Any]:
    """Each headline figure now, before, and the change (figures of both runs only)."""
    if previous is None:
        return {"previous": None, "figures": {}}
    figures = {}
    for name in headlines(gates):
        now, before = lookup(summary, name), lookup(previous, name)
        if isinstance(now, int | float) and isinstance(before, int | float):
            figures[name] = {"now": now, "before": before, "change": round(now - before, 4)}
    return {"previous": previous.get("run"), "figures": figures}
