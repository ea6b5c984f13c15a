"""The path builder's data model: skills framework, catalog items, sessions, learners.

Plain frozen dataclasses; the loaders in ``records.py`` build them from parsed CSV/YAML rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class Modality(StrEnum):
    """How an item is delivered."""

    E_LEARNING = "e-learning"
    IN_PERSON = "in-person"
    VIRTUAL = "virtual"
    COACHING = "coaching"
    ON_THE_JOB = "on-the-job"

    @property
    def scheduled(self) -> bool:
        """Whether the item only runs in dated sessions with seats."""
        return self in (Modality.IN_PERSON, Modality.VIRTUAL)

    @property
    def practice(self) -> bool:
        """Whether the item is practice with people (everything but e-learning)."""
        return self is not Modality.E_LEARNING


@dataclass(frozen=True, slots=True)
class SkillLevel:
    """A skill at a level (0 = none; the skill's ``levels`` is the top)."""

    skill: str
    level: int = 1


@dataclass(frozen=True, slots=True)
class SkillDef:
    """A skill of the framework: levels 0..``levels``, prerequisites, and an optional parent."""

    id: str
    label: str
    levels: int = 3
    requires: tuple[SkillLevel, ...] = ()
    part_of: str | None = None


@dataclass(frozen=True, slots=True)
class RoleProfile:
    """The skills and levels a job role needs."""

    id: str
    label: str
    skills: tuple[SkillLevel, ...] = ()


@dataclass(frozen=True, slots=True)
class MandatoryRule:
    """An item mandatory for a role: first due ``within_days`` after planning starts, then
    again every ``renewal_days`` after each completion (None: once is enough)."""

    role: str
    renewal_days: int | None = None
    within_days: int = 30


@dataclass(frozen=True, slots=True)
class CatalogItem:
    """Something a learner can take: an e-learning, a session-based class, coaching, a task."""

    id: str
    title: str
    modality: Modality
    hours: float
    language: str = "en"
    level: int = 1  # entry level: 1 beginner, 2 intermediate, 3 advanced
    skills: tuple[SkillLevel, ...] = ()  # skills taught, each up to a target level
    prereq_skills: tuple[SkillLevel, ...] = ()
    prereq_items: tuple[str, ...] = ()
    cost: float = 0.0
    mandatory_for: tuple[MandatoryRule, ...] = ()
    monthly_capacity: int | None = None  # coaching: bookable slots per calendar month
    _taught: dict[str, int] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        taught: dict[str, int] = {}
        for s in self.skills:
            taught[s.skill] = max(taught.get(s.skill, 0), s.level)
        object.__setattr__(self, "_taught", taught)

    def teaches(self, skill: str) -> int:
        """The level this item brings ``skill`` to (0 if it does not teach it)."""
        return self._taught.get(skill, 0)


@dataclass(frozen=True, slots=True)
class Session:
    """One dated run of an in-person or virtual item."""

    id: str
    item_id: str
    start: datetime
    seats: int
    seats_taken: int = 0
    place: str = ""
    trainer: str = ""
    enrol_by: date | None = None

    @property
    def free_seats(self) -> int:
        return max(self.seats - self.seats_taken, 0)


@dataclass(frozen=True, slots=True)
class Goal:
    """A target role or skills with levels, by an optional deadline, with a weight."""

    label: str = ""
    role: str | None = None
    skills: tuple[SkillLevel, ...] = ()
    deadline: date | None = None
    weight: float = 1.0


class RecordKind(StrEnum):
    COMPLETION = "completion"
    QUIZ = "quiz"
    ATTENDANCE = "attendance"


@dataclass(frozen=True, slots=True)
class HistoryRecord:
    """A completion of an item, a quiz score on a skill, or (non-)attendance of a session."""

    kind: RecordKind
    on: date
    item_id: str | None = None
    skill: str | None = None
    score: float | None = None  # 0..1
    attended: bool | None = None
    phase: str | None = None  # "pre" / "post": a course's pre-test or post-test (quiz)
    minutes: float | None = None  # time spent, when the LMS reports it


@dataclass(frozen=True, slots=True)
class Learner:
    """A learner: who they are, how much time they have, what they want, what they did."""

    id: str
    role: str | None = None
    name: str = ""
    team: str = ""
    manager: str = ""
    language: str = "en"
    other_languages: tuple[str, ...] = ()
    hours_per_week: float = 3.0
    preferences: tuple[Modality, ...] = ()
    goals: tuple[Goal, ...] = ()
    history: tuple[HistoryRecord, ...] = field(default=())

    @property
    def languages(self) -> tuple[str, ...]:
        return (self.language, *self.other_languages)
