"""Citation validity: every ``[n]`` points to a context, and that context supports its sentence.

A marker is invalid when it points past the contexts, when its context supports the
sentence less than ``min_support``, or when another context supports it better by more
than ``margin`` (the sentence came from elsewhere). A named source or an author-year
reference that no context mentions is a fabricated citation. The score is the share of
valid citations; an answer without citations scores 1 (nothing to check: whether an
answer must cite is the responder's rule, not this check's).
"""

from __future__ import annotations

import numpy as np

from evals.checks.grounding import support_matrix
from evals.checks.lexicon import FABRICATED_SOURCE
from evals.checks.text import Prepared
from evals.verdict import CheckResult, CitationThresholds, verdict_of

NAME = "citations"


def fabricated_sources(p: Prepared) -> list[str]:
    """References in the answer to sources the contexts never name."""
    contexts = " ".join(p.contexts).lower()
    out: list[str] = []
    for m in FABRICATED_SOURCE.finditer(p.answer):
        source = m.group("source")
        if source is None or source.lower() not in contexts:
            out.append(m.group(0))
    return out


def check_citations(p: Prepared, t: CitationThresholds, dense_weight: float) -> CheckResult:
    """Score the share of the answer's citations that are valid.

    Args:
        p: the prepared answer.
        t: this check's thresholds.
        dense_weight: the grounding check's mix of cosine and term recall for support.
    """
    support = support_matrix(p, dense_weight)
    k = len(p.contexts)
    reasons: list[str] = []
    n = bad = 0
    for i, s in enumerate(p.sentences):
        for m in s.markers:
            n += 1
            if not 1 <= m <= k:
                bad += 1
                reasons.append(f"[{m}] points to no context (there are {k}): '{s.text}'")
                continue
            if not s.terms:
                continue
            mine = float(support[i, m - 1])
            best = float(np.max(support[i])) if k else 0.0
            if mine < t.min_support:
                bad += 1
                reasons.append(f"[{m}] does not support '{s.text}' (support {mine:.2f})")
            elif best - mine > t.margin:
                bad += 1
                reasons.append(
                    f"[{m}] cited, but another context supports '{s.text}' ({best:.2f} vs {mine:.2f})"
                )
    invented = fabricated_sources(p)
    reasons += [f"a source no context names: '{x}'" for x in invented]
    n += len(invented)
    bad += len(invented)
    score = 1.0 - bad / n if n else 1.0
    verdict = verdict_of(score, revise=t.revise, block=t.block)
    details = {"citations": n, "invalid": bad, "fabricated": invented}
    return CheckResult(NAME, score, verdict, tuple(reasons) if verdict != "pass" else (), details)
