"""Spaced review of answered items with FSRS (PyPI ``fsrs``).

Every graded attempt is a review of its item: a wrong answer is ``Again``, a right one
with hints or only part of the credit ``Hard``, a right one ``Good``. The card (FSRS's
stability and difficulty) is stored per learner and item; ``due`` says when to review.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from fsrs import Card, Rating, Scheduler

FULL_CREDIT = 0.999


@dataclass(frozen=True, slots=True)
class ReviewConfig:
    """How reviews are scheduled.

    Attributes:
        desired_retention: the recall probability a review aims to keep (FSRS).
        learning_steps: intervals while an item is being learned (a wrong first answer is
            asked again after the first step, the same day).
        fuzz: spread due dates a little so reviews do not pile up on one day.
    """

    desired_retention: float = 0.9
    learning_steps: tuple[timedelta, ...] = (timedelta(minutes=10), timedelta(hours=4))
    relearning_steps: tuple[timedelta, ...] = (timedelta(minutes=10),)
    fuzz: bool = True


def rating(*, correct: bool, score: float, hints_used: int) -> Rating:
    """The FSRS rating of a graded attempt."""
    if not correct:
        return Rating.Again
    if hints_used > 0 or score < FULL_CREDIT:
        return Rating.Hard
    return Rating.Good


class ReviewScheduler:
    """Turns graded attempts into the next review of each item."""

    def __init__(self, config: ReviewConfig | None = None) -> None:
        self.config = config or ReviewConfig()
        self._fsrs = Scheduler(
            desired_retention=self.config.desired_retention,
            learning_steps=self.config.learning_steps,
            relearning_steps=self.config.relearning_steps,
            enable_fuzzing=self.config.fuzz,
        )

    def review(
        self,
        card: dict[str, Any] | None,
        *,
        correct: bool,
        score: float,
        hints_used: int,
        at: datetime,
    ) -> tuple[dict[str, Any], datetime]:
        """The card after this attempt (a new card when ``None``) and its next due time."""
        current = Card.from_dict(card) if card else Card(due=at)  # type: ignore[arg-type]
        grade = rating(correct=correct, score=score, hints_used=hints_used)
        updated, _ = self._fsrs.review_card(current, grade, review_datetime=at)
        return dict(updated.to_dict()), updated.due

    def retrievability(self, card: dict[str, Any], at: datetime) -> float:
        """Probability the learner still recalls the item at ``at`` (0–1)."""
        return float(self._fsrs.get_card_retrievability(Card.from_dict(card), at))  # type: ignore[arg-type]
