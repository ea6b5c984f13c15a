"""Redundancy: does the answer say the same thing twice, or a quiz ask the same thing twice?

Two sentences are near-duplicates when their content terms overlap by at least
``jaccard`` (Jaccard index, sentences with three terms or more) or their vectors reach
``cosine``. The score is the share of sentences that add something: a sentence repeating
an earlier one counts for nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from evals.checks.text import Prepared, terms
from evals.verdict import CheckResult, RedundancyThresholds, load_thresholds, verdict_of
from retrieval.embedding import Embedder
from retrieval.language import detect

NAME = "redundancy"


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if len(a) >= 3 and len(b) >= 3 else 0.0


def duplicates(
    items: Sequence[frozenset[str]], vecs: np.ndarray | None, t: RedundancyThresholds
) -> list[tuple[int, int, float]]:
    """Pairs (earlier, later, similarity) of near-duplicates, each later item once."""
    sim = vecs @ vecs.T if vecs is not None and len(vecs) else None
    out: list[tuple[int, int, float]] = []
    for j in range(1, len(items)):
        for i in range(j):
            jac = _jaccard(items[i], items[j])
            cos = float(sim[i, j]) if sim is not None else 0.0
            if jac >= t.jaccard or cos >= t.cosine:
                out.append((i, j, round(max(jac, cos), 3)))
                break
    return out


def _result(
    texts: Sequence[str], pairs: list[tuple[int, int, float]], t: RedundancyThresholds, what: str
) -> CheckResult:
    score = 1.0 - len(pairs) / len(texts) if texts else 1.0
    verdict = verdict_of(score, revise=t.revise, block=t.block)
    reasons = tuple(f"{what} repeats an earlier one ({s:.2f}): '{texts[j]}'" for _, j, s in pairs)
    details = {"pairs": [[i, j, s] for i, j, s in pairs]}
    return CheckResult(NAME, score, verdict, reasons if verdict != "pass" else (), details)


def check_redundancy(p: Prepared, t: RedundancyThresholds) -> CheckResult:
    """Score the share of the answer's sentences that are not repeats."""
    pairs = duplicates([s.terms for s in p.sentences], p.sentence_vecs, t)
    return _result([s.text for s in p.sentences], pairs, t, "sentence")


def quiz_redundancy(
    items: Sequence[str],
    embedder: Embedder | None = None,
    thresholds: RedundancyThresholds | None = None,
) -> CheckResult:
    """Score the share of a quiz's question stems that do not repeat an earlier one.

    Args:
        items: the stems, in quiz order.
        embedder: adds the cosine test (None: shared terms only).
        thresholds: defaults to the ``redundancy`` section of ``evals/thresholds.yaml``.
    """
    t = thresholds or load_thresholds().redundancy
    lang = detect(" ".join(items)) or "en"
    vecs = embedder.embed_documents(list(items)) if embedder is not None and items else None
    pairs = duplicates([terms(x, lang) for x in items], vecs, t)
    return _result(list(items), pairs, t, "question")
