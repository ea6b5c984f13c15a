"""What the path builder returns: gaps, notes, dated steps and the path, JSON round-trippable.

Store a path with ``path_to_json(path)`` (a plain dict) and restore it with
``path_from_json(data)`` before ``diff_paths`` or ``validate_path``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import TypeAdapter

from recommender.model import Modality


@dataclass(frozen=True, slots=True)
class GapSource:
    """Why a skill (or a mandatory item) is wanted: role, goal, mandatory, prerequisite, part,
    remediation; ``ref`` names the role, goal, item or skill, ``label`` is for people."""

    kind: str
    ref: str
    label: str


@dataclass(frozen=True, slots=True)
class Weakness:
    """A weak result on a skill: the last quiz score, or low mastery after several answers."""

    skill: str
    score: float
    source: str  # "quiz" or "mastery"
    on: date | None = None
    n_attempts: int = 0


@dataclass(frozen=True, slots=True)
class Gap:
    """A skill to bring from ``current`` to ``target`` (or a mandatory ``item`` that is due)."""

    skill: str | None
    current: int
    target: int
    priority: float
    label: str
    deadline: date | None = None
    sources: tuple[GapSource, ...] = ()
    item: str | None = None
    weak: Weakness | None = None

    @property
    def mandatory(self) -> bool:
        return self.item is not None


@dataclass(frozen=True, slots=True)
class Note:
    """A warning or an explained fallback attached to a path."""

    kind: str
    message: str
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Step:
    """One item of the path, dated, with its reason and the evidence behind it."""

    item_id: str
    title: str
    modality: Modality
    start: date
    end: date
    hours: float
    reason: str
    evidence: dict[str, Any] = field(default_factory=dict)
    session_id: str | None = None
    deadline: date | None = None
    allocation: tuple[tuple[date, float], ...] = ()  # (Monday of the week, hours that week)


@dataclass(frozen=True, slots=True)
class Path:
    """A learner's dated path with the gaps it closes and the warnings a reviewer must see."""

    learner_id: str
    built_on: date
    hours_per_week: float
    steps: tuple[Step, ...] = ()
    gaps: tuple[Gap, ...] = ()
    warnings: tuple[Note, ...] = ()
    language: str = "en"

    @property
    def item_ids(self) -> list[str]:
        return [s.item_id for s in self.steps]


_PATH = TypeAdapter(Path)


def path_to_json(path: Path) -> dict[str, Any]:
    """The path as JSON-ready data (dates as ISO strings)."""
    data: dict[str, Any] = _PATH.dump_python(path, mode="json")
    return data


def path_from_json(data: dict[str, Any] | str | bytes) -> Path:
    """A path back from ``path_to_json``'s data or its JSON text."""
    if isinstance(data, str | bytes):
        return _PATH.validate_json(data)
    return _PATH.validate_python(data)
