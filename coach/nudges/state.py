"""What the built-in rules read of one learner: plain frozen dataclasses, no database.

:mod:`coach.nudges.gather` fills them from storage in a few bulk queries per organisation;
the benchmark builds them directly, so the rules run over 10,000 learners without a query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time


@dataclass(frozen=True, slots=True)
class UpcomingSession:
    """A live session the learner is enrolled in (or booked on their approved path)."""

    session_id: str
    item_id: str
    title: str
    start: datetime
    """Timezone-aware."""
    place: str = ""


@dataclass(frozen=True, slots=True)
class PathStep:
    """A step of the learner's approved path and whether it is done."""

    item_id: str
    title: str
    due: date
    done: bool = False
    deadline: date | None = None
    """A hard deadline (a mandatory item's due date, a goal's deadline)."""


@dataclass(frozen=True, slots=True)
class QuizOutcome:
    """A finished quiz and its score (0..1)."""

    quiz_id: str
    topic: str
    score: float
    n_items: int
    finished_at: datetime


@dataclass(frozen=True, slots=True)
class LevelReached:
    """A skill level the learner reached (a completion, an attended session, mastery)."""

    skill: str
    label: str
    level: int
    on: date


@dataclass(frozen=True, slots=True)
class LearnerState:
    """Everything the rules know about one learner on the planning day."""

    org_id: str
    user_id: str
    name: str = ""
    manager_id: str | None = None
    """The manager's user id (told when a skill level is reached)."""
    timezone: str | None = None
    """Their own IANA zone (None: the organisation's)."""
    sessions: tuple[UpcomingSession, ...] = ()
    steps: tuple[PathStep, ...] = ()
    reviews_due: int = 0
    quizzes: tuple[QuizOutcome, ...] = ()
    reached: tuple[LevelReached, ...] = ()


@dataclass(frozen=True, slots=True)
class RuleConfig:
    """The rules' windows and thresholds (defaults documented in docs/nudges.md)."""

    send_time: time = time(9, 0)
    """Local time of day a day's nudges are due (quiet hours may push them later)."""
    session_days: tuple[int, int] = (7, 1)
    """Preparation and logistics this many days before a session, then a reminder."""
    step_due_within: int = 2
    deadline_within: int = 7
    reviews_min: int = 3
    quiz_below: float = 0.5
    quiz_min_items: int = 3
    quiz_window_days: int = 2
    recognition_days: int = 3
