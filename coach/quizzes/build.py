"""The generate → validate loop: a quiz of ``n`` validated items, or as many as the scope allows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from coach.quizzes.generate import Passage, QuizGenerator
from coach.quizzes.items import QuizItem
from coach.quizzes.validate import Rejection, Validator, sources_of


@dataclass(frozen=True, slots=True)
class QuizBuild:
    """A validated quiz and what was dropped on the way (for the logs)."""

    items: list[QuizItem]
    rejected: list[Rejection]
    rounds: int


def build_quiz(
    generator: QuizGenerator,
    validator: Validator,
    passages: Sequence[Passage],
    n: int,
    *,
    seed: int = 0,
    pool: Sequence[Passage] = (),
    max_rounds: int = 3,
) -> QuizBuild:
    """Generate, validate, and regenerate for the rejected items (new seeds), at most
    ``max_rounds`` times; items that never pass are dropped, so a quiz may come out short."""
    sources = sources_of([*passages, *pool])
    items: list[QuizItem] = []
    rejected: list[Rejection] = []
    seen: set[str] = set()
    rounds = 0
    while len(items) < n and rounds < max_rounds:
        # Ask for more than missing: some will be rejected or already seen.
        wanted = n + 2 * (n - len(items)) if rounds else n
        fresh = [
            item
            for item in generator.generate(passages, wanted, seed=seed + rounds, pool=pool)
            if item.id not in seen
        ]
        rounds += 1
        seen.update(item.id for item in fresh)
        if not fresh:
            break
        report = validator.validate(fresh, sources, accepted=items)
        items.extend(report.accepted[: n - len(items)])
        rejected.extend(report.rejected)
    return QuizBuild(items, rejected, rounds)
