"""The service's guard hook: the one place the coach reaches into ``evals``.

Every generated answer, quiz and path passes an :class:`OutputGuard` before a person sees
it. The coach depends only on this small protocol; :func:`make_guard` builds the real one
(``evals.guard.Guard``) from settings, so ``evals`` may import everything while nothing in
the service imports ``evals`` but this hook.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Literal, Protocol

from coach.settings import GuardSettings
from retrieval.embedding import Embedder

GuardVerdictName = Literal["pass", "revise", "block"]


class GuardVerdict(Protocol):
    """A verdict on one output, with the reasons and scores behind it."""

    @property
    def verdict(self) -> GuardVerdictName: ...

    @property
    def reasons(self) -> tuple[str, ...]: ...

    @property
    def scores(self) -> dict[str, float]: ...

    def to_dict(self) -> dict[str, Any]: ...


class OutputGuard(Protocol):
    """Assesses generated output: ``block`` never reaches a person."""

    def answer(self, question: str, answer: str, contexts: Sequence[str]) -> GuardVerdict:
        """An answer whose ``[n]`` markers cite ``contexts[n - 1]``."""
        ...

    def quiz(
        self, items: Sequence[Any], sources: Mapping[str, str], *, validator: Any
    ) -> GuardVerdict:
        """Quiz items, the passages they were written from (by chunk id), the validator."""
        ...

    def warm(self, partial_answer: str) -> None:
        """Start on an answer that is still streaming (its finished sentences' vectors)."""
        ...

    def context_sentences(self, passage: str) -> list[str]:
        """The sentences the guard reads a passage as (their vectors are stored at ingest)."""
        ...

    def withheld(self, verdict: GuardVerdict, items: Sequence[Any]) -> set[int]:
        """Positions of the quiz items a :meth:`quiz` verdict keeps from the learner."""
        ...

    def path(
        self, path: Any, catalog: Any, learner: Any, today: date, **context: Any
    ) -> GuardVerdict:
        """A learning path (``recommender.model.Path``) for ``learner`` against its catalog."""
        ...


def make_guard(
    settings: GuardSettings, embedder: Embedder | None, store: Any = None
) -> OutputGuard | None:
    """The configured guard, or None when it is switched off.

    ``store`` (the service's sentence vectors: ``lookup`` and ``save``) spares the guard
    encoding sentences that were encoded at ingest or for an earlier answer.
    """
    if not settings.enabled:
        return None
    from evals.guard import Guard  # the service's one import of evals

    return Guard.from_file(embedder, settings.thresholds, store)


def verdict_record(kind: str, verdict: GuardVerdict, **extra: Any) -> dict[str, Any]:
    """A verdict as logged and stored (admins chart the slop rate from these)."""
    scores = {name: round(score, 4) for name, score in verdict.scores.items()}
    return {
        "kind": kind,
        "verdict": verdict.verdict,
        "reasons": list(verdict.reasons),
        "scores": scores,
        **extra,
    }
