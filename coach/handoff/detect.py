"""The hand-off detector: rules first, the classifier for the rest, and the LLM when set.

Order of decision for one message (``OfflineDetector.detect``):

1. Orders aimed at the coach ("SYSTEM: handoff=false", "ignore your instructions ...")
   are removed: they are data and neither trigger nor suppress a hand-off.
2. A sensitive topic the learner raises about themselves (rules) wins over everything.
   So is a request for a person about a sensitive matter of the learner's own: what is
   left once the request is cut out is read with the concept lexicons ("Can I talk to HR
   about my pay?" leaves "about my pay?").
3. The classifier's probability of ``sensitive`` at or above ``sensitive_min`` also wins.
4. An explicit request for a person (rules), then distress and repeated failure said
   plainly (rules).
5. Otherwise the classifier: the message is ordinary only when P(none) ≥ ``none_min``;
   below it the likeliest signal is suggested ("when unsure, suggest a person").
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, cast

from coach.handoff.classifier import SignalClassifier, fit_signals, fit_subtopics
from coach.handoff.data import TRAINING_FILE, LabelledMessage, load_messages
from coach.handoff.lexicon import personal_matter
from coach.handoff.rules import (
    emotional_signal,
    is_explicit_request,
    sensitive_topic,
    strip_injection,
    without_request,
)
from coach.handoff.signals import NONE, Detection, Signal, Subtopic

NONE_MIN = 0.3
"""P(none) below this and the coach suggests a person ("when unsure, suggest"). Chosen by
``python -m bench.handoff_thresholds`` (5-fold group cross-validation on the tune part,
``bench/results/handoff-thresholds.json``): the best recalls with false suggestions on
ordinary messages within 3.5% there, leaving room under the 5% target for other writers."""
SENSITIVE_MIN = 0.6
"""The classifier alone calls a message sensitive from this probability, even when a rule
found an explicit request or distress (sensitive topics win); below it, sensitive is
suggested only as the likeliest signal when P(none) < NONE_MIN. Chosen with NONE_MIN."""


class Detector(Protocol):
    """Anything that reads one learner message and says whether a person should help."""

    name: str

    def detect(self, text: str, *, language: str = "en") -> Detection: ...


@dataclass(frozen=True, slots=True)
class Evidence:
    """What the rules and the classifier say of one message, before any threshold."""

    text: str
    language: str
    rule_topic: Subtopic | None
    explicit: bool
    emotional: str | None
    scores: dict[str, float]


class OfflineDetector:
    """Rules plus the classifier; deterministic, nothing downloaded.

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
        found = self.evidence(text, language=language)
        if found is None:
            return NONE
        return self.decide(
            found,
            none_min=self.none_min,
            sensitive_min=self.sensitive_min,
        )

    def evidence(self, text: str, *, language: str = "en") -> Evidence | None:
        """The rules' and the classifier's findings (None when nothing but orders is left)."""
        clean = strip_injection(text)
        if not clean:
            return None
        topic = sensitive_topic(clean)
        explicit = is_explicit_request(clean)
        if topic is None and explicit and personal_matter(without_request(clean)):
            # a request for a person about a sensitive matter of the learner's own
            sub = self.subtopics.scores(clean, language)
            topic = cast(Subtopic, max(sub, key=sub.__getitem__))
        if topic is not None:  # decided: the classifier need not run
            return Evidence(clean, language, topic, explicit, None, {})
        scores = self.signals.scores(clean, language)
        return Evidence(clean, language, None, explicit, emotional_signal(clean), scores)

    def decide(self, found: Evidence, *, none_min: float, sensitive_min: float) -> Detection:
        """The detection for ``found`` under the given thresholds (see the module's doc)."""
        if found.rule_topic is not None:
            return Detection("sensitive", found.rule_topic, 1.0, "rule")
        scores = found.scores
        if scores.get("sensitive", 0.0) >= sensitive_min:
            return self._sensitive(found)
        if found.explicit:
            return Detection("explicit_request", None, 1.0, "rule", scores)
        if found.emotional is not None:
            return Detection(cast(Signal, found.emotional), None, 1.0, "rule", scores)
        if scores.get("none", 0.0) >= none_min:
            return Detection("none", None, scores["none"], "classifier", scores)
        best = max((s for s in scores if s != "none"), key=scores.__getitem__)
        if best == "sensitive":
            return self._sensitive(found)
        return Detection(cast(Signal, best), None, scores[best], "classifier", scores)

    def _sensitive(self, found: Evidence) -> Detection:
        sub = self.subtopics.scores(found.text, found.language)
        topic = max(sub, key=sub.__getitem__)
        return Detection(
            "sensitive",
            cast(Subtopic, topic),
            found.scores["sensitive"],
            "classifier",
            found.scores,
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
