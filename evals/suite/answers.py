"""The answers suite: index the golden sets' content, answer their questions, score them.

Each course's content is indexed with blendcoach's own ingestion in a temporary data
directory (:func:`bench.common.temp_stack`, sentence vectors stored as ``blendcoach
ingest`` stores them); each question is searched and answered by the offline responder
(and the LLM one when an endpoint is configured). Answers are scored by the learning-value
checks (:class:`evals.checks.AnswerChecker`, what the runtime guard runs) and by ragas
(:mod:`evals.suite.rag`). As at runtime, only answers that claim something from the
courses (covered, with citations) are checked; the others count as "not covered".
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from bench.common import temp_stack
from bench.retrieval import is_gold
from coach.responders.base import Answer, Responder, ResponderInput, cited_passages
from coach.responders.offline import OfflineConfig, OfflineResponder
from evals.checks import AnswerChecker
from evals.suite.golden import GoldQuestion, GoldSet
from evals.suite.progress import Progress
from evals.suite.rag import LLM_METRICS, LLMJudge, NonLLMScorer, RagSample
from evals.verdict import Thresholds
from retrieval.chunking import ChunkingConfig
from retrieval.embedding import Embedder
from retrieval.language import detect
from retrieval.search import SearchConfig
from retrieval.types import SearchHit

CHECKS = ("grounding", "specificity", "redundancy", "relevance", "citations")


def _reference_contexts(q: GoldQuestion, chunks: Sequence[Any]) -> tuple[str, ...]:
    if q.section_text:
        return (q.section_text,)
    return tuple(
        c.text for c in chunks if is_gold(c.citation.source_path, c.citation.section_title, q.gold)
    )


def run_answers(
    sets: Sequence[GoldSet],
    embedder: Embedder,
    thresholds: Thresholds,
    *,
    llm: Responder | None = None,
    judge: LLMJudge | None = None,
    progress: Progress,
) -> dict[str, Any]:
    """Answer and score every question of ``sets``; the suite's section of the summary."""
    checker = AnswerChecker(embedder, thresholds)
    scorer = NonLLMScorer()
    config = OfflineConfig()
    rows: list[dict[str, Any]] = []
    samples: list[RagSample] = []
    groups: dict[tuple[str, ...], list[GoldSet]] = defaultdict(list)
    for s in sets:  # courses sharing one content (the demo) are indexed once
        groups[tuple(str(p) for p in s.content)].append(s)
    for group in groups.values():
        with temp_stack(embedder, ChunkingConfig(), SearchConfig(), offline=config) as stack:
            progress.note(f"indexing {', '.join(s.course for s in group)}")
            stack.ingestor.ingest(group[0].content)
            chunks = stack.retriever.chunks()
            responders: list[tuple[str, Responder]] = [
                ("offline", OfflineResponder(embedder, config, stack.sentences))
            ]
            if llm is not None:
                responders.append(("llm", llm))
            questions = [q for s in group for q in s.questions]
            for q in progress.track(questions, f"answering {len(questions)} questions"):
                hits = tuple(stack.retriever.search(q.question, k=5))
                language = detect(q.question) or "en"
                inp = ResponderInput(q.question, q.question, language, hits)
                for name, responder in responders:
                    answer = responder.answer(inp)
                    row, sample = _score(q, hits, answer, chunks, checker, scorer)
                    row["responder"] = name
                    rows.append(row)
                    if sample is not None and judge is not None:
                        samples.append(sample)
                        row["_judge"] = len(samples) - 1
    if judge is not None and samples:
        progress.note(f"LLM judge on {len(samples)} answers")
        judged = judge.score_all(samples)
        for row in rows:
            if "_judge" in row:
                row["metrics"] |= {
                    k: v for k, v in judged[row.pop("_judge")].items() if v is not None
                }
    return summarise(rows, llm_judged=judge is not None)


def _score(
    q: GoldQuestion,
    hits: Sequence[SearchHit],
    answer: Answer,
    chunks: Sequence[Any],
    checker: AnswerChecker,
    scorer: NonLLMScorer,
) -> tuple[dict[str, Any], RagSample | None]:
    claims = answer.covered and bool(answer.citations)
    row: dict[str, Any] = {
        "id": q.id,
        "course": q.course,
        "responder": answer.responder,
        "covered": claims,
        "gold_retrieved": any(
            is_gold(h.citation.source_path, h.citation.section_title, q.gold) for h in hits
        ),
        "verdict": None,
        "metrics": {},
    }
    if not claims:
        return row, None
    contexts = cited_passages(answer, hits)
    assessment = checker.check(q.question, answer.text, contexts)
    row["verdict"] = assessment.verdict
    row["reasons"] = list(assessment.reasons)[:5]
    sample = RagSample(
        q.question,
        answer.text,
        tuple(contexts),
        _reference_contexts(q, chunks),
        q.reference,
    )
    row["metrics"] = {**assessment.scores, **scorer.score(sample)}
    return row, sample


def _mean(values: Sequence[float]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def _figures(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    checked = [r for r in rows if r["verdict"] is not None]
    verdicts = Counter(r["verdict"] for r in checked)
    names = sorted({k for r in checked for k in r["metrics"]})
    n = len(checked)
    return {
        "n_questions": len(rows),
        "n_checked": n,
        "coverage": round(n / len(rows), 4) if rows else 0.0,
        "gold_retrieved": _mean([float(r["gold_retrieved"]) for r in rows]),
        "verdicts": {v: verdicts.get(v, 0) for v in ("pass", "revise", "block")},
        "slop_rate": round(verdicts.get("block", 0) / n, 4) if n else None,
        "revise_rate": round(verdicts.get("revise", 0) / n, 4) if n else None,
        "means": {k: _mean([r["metrics"][k] for r in checked if k in r["metrics"]]) for k in names},
    }


def summarise(rows: Sequence[dict[str, Any]], *, llm_judged: bool) -> dict[str, Any]:
    """Figures overall, per responder and per course, and every row (for the plots)."""
    responders = sorted({r["responder"] for r in rows})
    main = [r for r in rows if r["responder"] == "offline"] or list(rows)
    courses = sorted({r["course"] for r in rows})
    return {
        **_figures(main),
        "llm_metrics": list(LLM_METRICS) if llm_judged else [],
        "responders": {
            name: _figures([r for r in rows if r["responder"] == name]) for name in responders
        },
        "per_course": {c: _figures([r for r in main if r["course"] == c]) for c in courses},
        "rows": list(rows),
    }
