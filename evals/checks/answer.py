"""The answer guard: every answer check on one (question, answer, contexts) triple."""

from __future__ import annotations

from collections.abc import Sequence

from evals.checks.citations import check_citations
from evals.checks.grounding import check_grounding
from evals.checks.redundancy import check_redundancy
from evals.checks.relevance import check_relevance
from evals.checks.specificity import check_specificity
from evals.checks.text import Prepared, Preparer, VectorStore, split_answer
from evals.verdict import Assessment, CheckResult, Thresholds, combine, load_thresholds
from retrieval.embedding import Embedder


class AnswerChecker:
    """Runs grounding, specificity, redundancy, relevance and citation checks on answers.

    Build it once (it keeps recent context sentence vectors) and call :meth:`check` per
    answer: one embedder call per answer, for the texts not cached.

    Args:
        embedder: encoder for the dense signals (None: lexical signals only, weaker).
        thresholds: the checks' thresholds (default: ``evals/thresholds.yaml``).
        store: sentence vectors kept outside the process (read first, then fed).
    """

    def __init__(
        self,
        embedder: Embedder | None,
        thresholds: Thresholds | None = None,
        store: VectorStore | None = None,
    ) -> None:
        self.embedder = embedder
        self.thresholds = thresholds or load_thresholds()
        self._preparer = Preparer(embedder, store=store)

    def warm(self, partial_answer: str) -> None:
        """Encode the finished sentences of an answer still being written (all but its last:
        it may go on), so :meth:`check` at the end has only the last one left to encode."""
        finished = [text for text, _ in split_answer(partial_answer)][:-1]
        self._preparer.warm(finished)

    def prepare(self, question: str, answer: str, contexts: Sequence[str]) -> Prepared:
        """Analyse a triple once (benchmarks re-score it under other thresholds)."""
        return self._preparer.prepare(question, answer, contexts)

    def run(self, p: Prepared, thresholds: Thresholds | None = None) -> tuple[CheckResult, ...]:
        """Every check's result on a prepared triple."""
        t = thresholds or self.thresholds
        return (
            check_grounding(p, t.grounding),
            check_specificity(p, t.specificity),
            check_redundancy(p, t.redundancy),
            check_relevance(p, t.relevance),
            check_citations(p, t.citations, t.grounding.dense_weight),
        )

    def check(self, question: str, answer: str, contexts: Sequence[str]) -> Assessment:
        """Assess one answer: pass, revise or block, with each check's score and reasons."""
        checks = self.run(self.prepare(question, answer, contexts))
        return combine(checks, self.thresholds.combine.revises_to_block)
