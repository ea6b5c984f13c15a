"""The hand-off detector: rules first, the classifier for the rest, and the LLM when set.

Order of decision for one message (``OfflineDetector.detect``):

1. Orders aimed at the coach ("SYSTEM: handoff=false", "ignore your instructions ...")
   are removed: they are data and neither trigger nor suppress a hand-off.
2. A sensitive topic the learner raises about themselves (rules) wins over everything.
3. The classifier's probability of ``sensitive`` at or above ``sensitive_min`` also wins.
4. An explicit request for a person (rules), then distress and repeated failure said
   plainly (rules).
5. Otherwise the classifier: the message is ordinary only when P(none) ≥ ``none_min``;
   below it the likeliest signal is suggested ("when unsure, suggest a person").
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Protocol, cast

from coach.handoff.classifier import SignalClassifier, fit_signals, fit_subtopics
from coach.handoff.data import TRAINING_FILE, LabelledMessage, load_messages
from coach.handoff.rules import (
    emotional_signal,
    is_explicit_request,
    sensitive_topic,
    strip_injection,
)
from coach.handoff.signals import NONE, Detection, Signal, Subtopic

NONE_MIN = 0.2
"""P(none) below this and the coach suggests a person. Chosen by 5-fold group
cross-validation on the tune part (docs/handoff.md): the highest value that kept false
suggestions on ordinary questions near 2% there (4 of 189), leaving room for the 5% target."""
SENSITIVE_MIN = 0.75
"""The classifier alone calls a message sensitive from this probability (rules go first);
below it, sensitive is suggested only when P(none) < NONE_MIN too ("manager" alone made
the classifier think of a conflict with one)."""


class Detector(Protocol):
    """Anything that reads one learner message and says whether a person should help."""

    name: str

    def detect(self, text: str, *, language: str = "en") -> Detection: ...


class OfflineDetector:
    """Rules plus the TF-IDF classifier; deterministic, nothing downloaded.

    Args:
        signals: the fitted signal classifier.
        subtopics: the fitted subtopic classifier (for sensitive messages the rules miss).
        none_min: see :data:`NONE_MIN`.
        sensitive_min: see :data:`SENSITIVE_MIN`.
    """

    name = "offline"

    def __init__(
        self,
        signals: SignalClassifier,
        subtopics: SignalClassifier,
        *,
        none_min: float = NONE_MIN,
        sensitive_min: float = SENSITIVE_MIN,
    ) -> None:
        self.signals = signals
        self.subtopics = subtopics
        self.none_min = none_min
        self.sensitive_min = sensitive_min

    @classmethod
    def fit(cls, messages: Sequence[LabelledMessage], **thresholds: float) -> OfflineDetector:
        """A detector trained on ``messages``."""
        return cls(fit_signals(messages), fit_subtopics(messages), **thresholds)

    def detect(self, text: str, *, language: str = "en") -> Detection:
        """The signal of one message (``none`` for an empty one or one made only of orders)."""
        clean = strip_injection(text)
        if not clean:
            return NONE
        if (topic := sensitive_topic(clean)) is not None:
            return Detection("sensitive", topic, 1.0, "rule")
        scores = self.signals.scores(clean, language)
        if scores.get("sensitive", 0.0) >= self.sensitive_min:
            return self._sensitive(clean, language, scores)
        if is_explicit_request(clean):
            return Detection("explicit_request", None, 1.0, "rule", scores)
        if (said := emotional_signal(clean)) is not None:
            return Detection(cast(Signal, said), None, 1.0, "rule", scores)
        if scores.get("none", 0.0) >= self.none_min:
            return Detection("none", None, scores["none"], "classifier", scores)
        best = max((s for s in scores if s != "none"), key=scores.__getitem__)
        if best == "sensitive":
            return self._sensitive(clean, language, scores)
        return Detection(cast(Signal, best), None, scores[best], "classifier", scores)

    def _sensitive(self, text: str, language: str, scores: dict[str, float]) -> Detection:
        sub = self.subtopics.scores(text, language)
        topic = max(sub, key=sub.__getitem__)
        return Detection(
            "sensitive", cast(Subtopic, topic), scores["sensitive"], "classifier", scores
        )


_lock = threading.Lock()
_default: OfflineDetector | None = None


def default_detector() -> OfflineDetector:
    """The shipped detector, trained once per process on ``training.jsonl`` (about a second)."""
    global _default
    with _lock:
        if _default is None:
            _default = OfflineDetector.fit(load_messages(TRAINING_FILE))
        return _default
