"""Per-learner and per-(learner, skill) states: small, immutable, JSON-serialisable."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any


def _decayed(sums: tuple[float, ...], decays: tuple[float, ...], x: float) -> tuple[float, ...]:
    if not sums:
        sums = (0.0,) * len(decays)
    return tuple(d * s + x for d, s in zip(decays, sums, strict=True))


@dataclass(frozen=True)
class History:
    """Counts and exponentially decayed sums of right and wrong answers (one per decay)."""

    n: int = 0
    n_correct: int = 0
    recent_right: tuple[float, ...] = ()
    recent_wrong: tuple[float, ...] = ()
    streak: int = 0  # k > 0: the last k answers were right; k < 0: the last -k were wrong

    def after(self, correct: bool, decays: tuple[float, ...]) -> History:
        """The history once one more answer is graded: O(len(decays))."""
        ok = 1.0 if correct else 0.0
        return History(
            n=self.n + 1,
            n_correct=self.n_correct + int(correct),
            recent_right=_decayed(self.recent_right, decays, ok),
            recent_wrong=_decayed(self.recent_wrong, decays, 1.0 - ok),
            streak=(max(self.streak, 0) + 1) if correct else (min(self.streak, 0) - 1),
        )


@dataclass(frozen=True)
class LearnerState:
    """What the model keeps about a learner across all skills (one per learner)."""

    history: History = History()
    last_skill: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LearnerState:
        return cls(history=_history(data.get("history", {})), last_skill=data.get("last_skill"))


@dataclass(frozen=True)
class SkillState:
    """What the model keeps about one learner on one skill.

    ``p_known`` is BKT's P(skill known) before the next attempt; None until the first attempt
    (the skill's fitted prior applies).
    """

    skill: str
    history: History = History()
    p_known: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SkillState:
        p = data.get("p_known")
        return cls(
            skill=str(data["skill"]),
            history=_history(data.get("history", {})),
            p_known=None if p is None else float(p),
        )

    def with_history(self, history: History, p_known: float) -> SkillState:
        return replace(self, history=history, p_known=p_known)


@dataclass(frozen=True)
class MasteryEstimate:
    """P(mastered) of one skill with a credible interval and the evidence behind it."""

    skill: str
    p_mastery: float
    low: float
    high: float
    n_attempts: int


def _history(data: dict[str, Any]) -> History:
    return History(
        n=int(data.get("n", 0)),
        n_correct=int(data.get("n_correct", 0)),
        recent_right=tuple(float(x) for x in data.get("recent_right", ())),
        recent_wrong=tuple(float(x) for x in data.get("recent_wrong", ())),
        streak=int(data.get("streak", 0)),
    )
