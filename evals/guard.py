"""The runtime guard: the learning-value checks on every output before a person sees it.

The service reaches it through ``coach.guard.make_guard``. Answers go through
:class:`~evals.checks.answer.AnswerChecker`, quizzes through
:func:`~evals.checks.quiz.check_quiz` (the quiz validator's rules plus redundancy across
stems) and paths through :func:`~evals.checks.paths.check_path` (the review rules). What
a ``block`` leads to (a regenerated answer, the offline answer, a dropped item, a path
held back) is the caller's decision; the guard only judges.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from evals.checks.answer import AnswerChecker
from evals.checks.text import VectorStore
from evals.verdict import Assessment, Thresholds, load_thresholds
from retrieval.chunking import split_sentences
from retrieval.embedding import Embedder


class Guard:
    """Judges answers, quizzes and paths with the thresholds of one file.

    Args:
        embedder: the service's encoder (shared: the guard loads no model of its own).
        thresholds: the checks' thresholds (default: ``evals/thresholds.yaml``).
        store: the service's stored sentence vectors (read before encoding, then fed).
    """

    def __init__(
        self,
        embedder: Embedder | None,
        thresholds: Thresholds | None = None,
        store: VectorStore | None = None,
    ) -> None:
        self.embedder = embedder
        self.thresholds = thresholds or load_thresholds()
        self._answers = AnswerChecker(embedder, self.thresholds, store)
        self._warm_lock = threading.Lock()
        self._warming: Future[None] | None = None

    @classmethod
    def from_file(
        cls,
        embedder: Embedder | None,
        path: str | Path | None = None,
        store: VectorStore | None = None,
    ) -> Guard:
        """A guard with the thresholds of ``path`` (default file when None)."""
        return cls(embedder, load_thresholds(path), store)

    def answer(self, question: str, answer: str, contexts: Sequence[str]) -> Assessment:
        """Grounding, specificity, redundancy, relevance and citations of one answer."""
        with self._warm_lock:
            warming = self._warming
        if warming is not None:
            # its sentences are this answer's: let it finish rather than encode them twice
            with contextlib.suppress(Exception):
                warming.result(timeout=5)
        return self._answers.check(question, answer, contexts)

    def warm(self, partial_answer: str) -> None:
        """Start encoding the finished sentences of a streaming answer in the background."""
        with self._warm_lock:
            if self._warming is not None and not self._warming.done():
                return  # one at a time: the next call takes whatever finished meanwhile
            self._warming = _warmer().submit(self._answers.warm, partial_answer)

    def context_sentences(self, passage: str) -> list[str]:
        """The sentences the answer checks read a cited passage as."""
        return split_sentences(passage)

    def quiz(
        self, items: Sequence[Any], sources: Mapping[str, str], *, validator: Any
    ) -> Assessment:
        """The quiz validator's rules per item and redundancy across the quiz."""
        from evals.checks.quiz import check_quiz

        return check_quiz(items, sources, validator=validator, thresholds=self.thresholds)

    def withheld(self, assessment: Assessment, items: Sequence[Any]) -> set[int]:
        """Positions of the quiz items a :meth:`quiz` verdict keeps from the learner: items
        failing a validator rule, and each stem that repeats an earlier one."""
        from evals.checks.quiz import failed_items

        ids = failed_items(assessment)
        drop = {i for i, item in enumerate(items) if item.id in ids}
        for check in assessment.checks:
            if check.name == "redundancy" and check.verdict != "pass":
                drop |= {int(pair[1]) for pair in check.details.get("pairs", ())}
        return drop

    def path(
        self, path: Any, catalog: Any, learner: Any, today: date, **context: Any
    ) -> Assessment:
        """Prerequisites, goals, redundant items and deadlines of a learning path."""
        from evals.checks.paths import check_path

        return check_path(path, catalog, learner, today, **context)


@cache
def _warmer() -> ThreadPoolExecutor:
    """One background thread encoding streamed answers' sentences (made on first use)."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="guard-warm")
