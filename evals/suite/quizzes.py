"""The quizzes suite: offline quizzes generated from the demo catalog, through check_quiz.

The demo catalog is indexed with blendcoach's own ingestion; modules get a quiz of
``per_module`` items from the offline generator (the first ``modules_per_course``
modules of each course, by module id, to keep the run short) (distractors from the whole course, as the
quiz service draws them), judged as one quiz by :func:`evals.checks.quiz.check_quiz`. An
item is valid when no validator rule fails it; the validity rate is over all items.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.common import temp_stack
from coach.quizzes import CHECKS, OfflineGenerator, Validator, sources_of
from evals.checks.quiz import check_quiz, failed_items
from evals.suite.progress import Progress
from evals.verdict import Thresholds
from retrieval.chunking import ChunkingConfig
from retrieval.embedding import Embedder


def run_quizzes(
    content: Path,
    embedder: Embedder,
    thresholds: Thresholds,
    *,
    per_module: int = 5,
    modules_per_course: int | None = 1,
    seed: int = 0,
    progress: Progress,
) -> dict[str, Any]:
    """Generate and judge a quiz per module of ``content``; the suite's section of the summary."""
    with temp_stack(embedder, ChunkingConfig()) as stack:
        progress.note(f"indexing {content}")
        stack.ingestor.ingest([content])
        chunks = stack.retriever.chunks()
    by_course: dict[str, list[Any]] = defaultdict(list)
    for c in chunks:
        by_course[c.citation.course_id].append(c)
    generator = OfflineGenerator(embedder)
    validator = Validator(embedder)
    rows: list[dict[str, Any]] = []
    modules = sorted({(c.citation.course_id, c.citation.module_id) for c in chunks})
    if modules_per_course is not None:  # the validator encodes every passage: keep it short
        modules = [
            m for m in modules if [x for x in modules if x[0] == m[0]].index(m) < modules_per_course
        ]
    for course, module in progress.track(modules, f"quizzes for {len(modules)} modules"):
        passages = [c for c in by_course[course] if c.citation.module_id == module]
        items = generator.generate(passages, per_module, seed=seed, pool=by_course[course])
        assessment = check_quiz(
            items, sources_of(passages), validator=validator, thresholds=thresholds
        )
        bad = failed_items(assessment)
        failing = Counter(
            c.name.removeprefix("quiz_")
            for c in assessment.checks
            for _ in c.details.get("items", ())
        )
        rows.append(
            {
                "course": course,
                "module": module,
                "n_items": len(items),
                "n_valid": sum(i.id not in bad for i in items),
                "verdict": assessment.verdict,
                "scores": assessment.scores,
                "failed": dict(failing),
                "reasons": list(assessment.reasons)[:5],
            }
        )
    return summarise(rows)


def _figures(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    n = sum(r["n_items"] for r in rows)
    valid = sum(r["n_valid"] for r in rows)
    failed: Counter[str] = Counter()
    for r in rows:
        failed.update(r["failed"])
    verdicts = Counter(r["verdict"] for r in rows)
    redundancy = [r["scores"]["redundancy"] for r in rows if "redundancy" in r["scores"]]
    return {
        "n_quizzes": len(rows),
        "n_items": n,
        "validity_rate": round(valid / n, 4) if n else None,
        "failed_by_rule": {rule: failed.get(rule, 0) for rule in CHECKS},
        "verdicts": {v: verdicts.get(v, 0) for v in ("pass", "revise", "block")},
        "mean_redundancy": round(sum(redundancy) / len(redundancy), 4) if redundancy else None,
    }


def summarise(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Figures overall and per course, and every quiz (for the plots)."""
    courses = sorted({r["course"] for r in rows})
    return {
        **_figures(rows),
        "per_course": {c: _figures([r for r in rows if r["course"] == c]) for c in courses},
        "rows": list(rows),
    }
