"""Relevance: does the answer address the question that was asked?

Questions about a learner's code or numbers share few words with a good answer, so the
answer is also judged by where it comes from. Two views, the better one counts:

- the answer itself: its best cosine with the question (whole answer or one sentence)
  and the share of the question's content terms it uses;
- its source, the context that supports it most: the question's best cosine with one of
  that context's sentences and the share of the question's terms the context holds.

Either view is ``dense_weight`` × cosine + the rest × term share. A penalty is taken when
another context is closer to the question than the source (by the question's best
sentence cosine, beyond ``gap_margin``): the answer left the relevant passage aside,
which is what an answer built from the wrong section does.

    score = max(answer view, source view) − gap_weight × max(0, gap − gap_margin)
"""

from __future__ import annotations

import numpy as np

from evals.checks.grounding import support_matrix
from evals.checks.text import Prepared
from evals.verdict import CheckResult, RelevanceThresholds, verdict_of

NAME = "relevance"


def _share(wanted: frozenset[str], have: frozenset[str]) -> float | None:
    return len(wanted & have) / len(wanted) if wanted else None


def relevance_signals(p: Prepared, dense_weight: float = 0.5) -> dict[str, float | None]:
    """Cosines and term shares of the answer and of its source context, and the gap."""
    sig: dict[str, float | None] = {
        "answer_dense": None,
        "answer_terms": _share(p.question_terms, p.answer_terms),
        "source_dense": None,
        "source_terms": None,
        "gap": None,
    }
    support = support_matrix(p, dense_weight)
    if not support.size:
        return sig
    source = int(support.sum(axis=0).argmax())
    sig["source_terms"] = _share(p.question_terms, p.context_terms[source])
    q = p.question_vec
    if q is None or p.answer_vec is None or p.sentence_vecs is None or p.context_vecs is None:
        return sig
    sig["answer_dense"] = max(float(p.answer_vec @ q), float((p.sentence_vecs @ q).max()))
    owner = np.array([c.context for c in p.context_sentences])
    to_q = p.context_vecs @ q
    best = [
        float(to_q[owner == c].max()) if (owner == c).any() else -1.0
        for c in range(len(p.contexts))
    ]
    sig["source_dense"] = best[source]
    sig["gap"] = max(best) - best[source]
    return sig


def _view(dense: float | None, terms: float | None, w: float) -> float | None:
    if dense is None:
        return terms
    if terms is None:
        return max(dense, 0.0)
    return w * max(dense, 0.0) + (1 - w) * terms


def check_relevance(p: Prepared, t: RelevanceThresholds) -> CheckResult:
    """Score how directly the answer addresses the question."""
    if not p.sentences:
        return CheckResult(NAME, 0.0, "block", ("the answer is empty",))
    sig = relevance_signals(p, t.dense_weight)
    views = [
        v
        for v in (
            _view(sig["answer_dense"], sig["answer_terms"], t.dense_weight),
            _view(sig["source_dense"], sig["source_terms"], t.dense_weight),
        )
        if v is not None
    ]
    if not views:
        return CheckResult(NAME, 1.0, "pass", (), {"note": "nothing to compare"})
    gap = sig["gap"] or 0.0
    penalty = t.gap_weight * max(0.0, gap - t.gap_margin)
    score = min(1.0, max(0.0, max(views) - penalty))
    verdict = verdict_of(score, revise=t.revise, block=t.block)
    reasons: list[str] = []
    if verdict != "pass":
        reasons.append(f"addresses the question weakly (relevance {max(views):.2f})")
        if penalty > 0:
            reasons.append(
                f"another context is closer to the question than its source (gap {gap:.2f})"
            )
    details = {k: (round(v, 3) if v is not None else None) for k, v in sig.items()}
    return CheckResult(NAME, score, verdict, tuple(reasons), details)
