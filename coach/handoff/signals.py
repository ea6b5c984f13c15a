"""The hand-off signals and what a detection says about one learner message."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Signal = Literal["none", "explicit_request", "repeated_failure", "distress", "sensitive"]
Subtopic = Literal[
    "harassment", "discrimination", "health", "conflict_with_manager", "pay_or_contract"
]

SIGNALS: tuple[Signal, ...] = (
    "none",
    "explicit_request",
    "repeated_failure",
    "distress",
    "sensitive",
)
SUBTOPICS: tuple[Subtopic, ...] = (
    "harassment",
    "discrimination",
    "health",
    "conflict_with_manager",
    "pay_or_contract",
)
PRIORITY: dict[Signal, int] = {
    "sensitive": 4,
    "explicit_request": 3,
    "distress": 2,
    "repeated_failure": 1,
    "none": 0,
}
"""When two signals apply, the higher one decides: sensitive topics always win, and
distress goes before a skill that does not click (a person for the person first)."""


@dataclass(frozen=True, slots=True)
class Detection:
    """What a detector found in one message.

    Attributes:
        signal: the winning signal (``none``: keep coaching).
        subtopic: for ``sensitive``, which topic.
        confidence: the deciding part's confidence (a rule is 1.0).
        source: ``rule``, ``classifier``, ``llm``, ``quiz`` (attempts) or ``empty``.
        scores: the classifier's probabilities per signal, when it ran.
    """

    signal: Signal
    subtopic: Subtopic | None = None
    confidence: float = 1.0
    source: str = "rule"
    scores: dict[str, float] = field(default_factory=dict)

    @property
    def hand_off(self) -> bool:
        """Whether a person should be suggested."""
        return self.signal != "none"

    def as_dict(self) -> dict[str, object]:
        return {
            "signal": self.signal,
            "subtopic": self.subtopic,
            "confidence": round(self.confidence, 3),
            "source": self.source,
        }


NONE = Detection("none", confidence=1.0, source="empty")
