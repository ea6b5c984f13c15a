"""The retriever and the runtime guard, measured: each keeps its interface and adds a count
or a timing to :class:`~coach.observability.metrics.Metrics`."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from coach.guard import GuardVerdict, OutputGuard
from coach.observability.metrics import Metrics
from retrieval.search import Candidates, Mode, Retriever
from retrieval.types import SearchFilter, SearchHit


class MeteredRetriever(Retriever):
    """A :class:`Retriever` that times its two stages (``candidates`` and ``rank``);
    ``search`` is the two in turn, so every search is counted once per stage."""

    def __init__(self, *, metrics: Metrics, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._candidates_s = metrics.retrieval_seconds.labels("candidates")
        self._rank_s = metrics.retrieval_seconds.labels("rank")

    def candidates(
        self,
        query: str,
        *,
        flt: SearchFilter | None = None,
        modes: Sequence[str] = ("dense", "bm25"),
    ) -> Candidates:
        started = time.perf_counter()
        try:
            return super().candidates(query, flt=flt, modes=modes)
        finally:
            self._candidates_s.observe(time.perf_counter() - started)

    def rank(self, raw: Candidates, *, k: int = 5, mode: Mode = "hybrid") -> list[SearchHit]:
        started = time.perf_counter()
        try:
            return super().rank(raw, k=k, mode=mode)
        finally:
            self._rank_s.observe(time.perf_counter() - started)


class MeteredGuard:
    """An :class:`~coach.guard.OutputGuard` that counts its verdicts by kind."""

    def __init__(self, inner: OutputGuard, metrics: Metrics) -> None:
        self.inner = inner
        self._verdicts = metrics.guard_verdicts

    def _count(self, kind: str, verdict: GuardVerdict) -> GuardVerdict:
        self._verdicts.labels(kind, verdict.verdict).inc()
        return verdict

    def answer(self, question: str, answer: str, contexts: Sequence[str]) -> GuardVerdict:
        return self._count("answer", self.inner.answer(question, answer, contexts))

    def quiz(
        self, items: Sequence[Any], sources: Mapping[str, str], *, validator: Any
    ) -> GuardVerdict:
        return self._count("quiz", self.inner.quiz(items, sources, validator=validator))

    def path(
        self, path: Any, catalog: Any, learner: Any, today: date, **context: Any
    ) -> GuardVerdict:
        return self._count("path", self.inner.path(path, catalog, learner, today, **context))

    def warm(self, partial_answer: str) -> None:
        self.inner.warm(partial_answer)

    def context_sentences(self, passage: str) -> list[str]:
        return self.inner.context_sentences(passage)

    def withheld(self, verdict: GuardVerdict, items: Sequence[Any]) -> set[int]:
        return self.inner.withheld(verdict, items)
