"""The chat engine's hand-off hook: read each learner message, and on a signal record the
offer and (for all but repeated failure) answer with the way to a person.

The engine calls :meth:`HandoffHook.detect` before its transaction (an LLM detector may
take a moment) and :meth:`HandoffHook.offer` inside it, once the learner's message is
stored; :meth:`HandoffHook.reply` replaces the responder's answer when it returns one.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from coach import storage
from coach.handoff.detect import Detector, default_detector
from coach.handoff.offer import build_options
from coach.handoff.quiz_signal import failing_skill
from coach.handoff.replies import handoff_answer
from coach.handoff.signals import Detection
from coach.org_settings import OrgSettings
from coach.responders.base import Answer
from coach.storage.handoff import create_handoff

if TYPE_CHECKING:
    from coach.settings import Settings


class HandoffHook:
    """Detection, offer and reply for the chat engine.

    Args:
        detector: reads one message (None: the shipped offline detector, trained on first
            use).
    """

    def __init__(self, detector: Detector | None = None) -> None:
        self._detector = detector

    @property
    def detector(self) -> Detector:
        if self._detector is None:
            self._detector = default_detector()
        return self._detector

    def detect(self, text: str, *, language: str) -> Detection:
        """The message's signal (no database access)."""
        return self.detector.detect(text, language=language)

    def offer(
        self,
        session: Session,
        *,
        viewer: storage.Viewer,
        found: Detection,
        language: str,
        conversation_id: str,
        message_id: str,
        course_id: str | None,
    ) -> dict[str, Any] | None:
        """Record and return the offer for this message, or None when no person is needed."""
        org = storage.get_organisation(session, org_id=viewer.org_id)
        settings = OrgSettings.model_validate(org.settings).handoff
        skill = None
        if not found.hand_off:
            skill = failing_skill(session, user_id=viewer.id, settings=settings)
            if skill is None:
                return None
            found = Detection("repeated_failure", None, 1.0, "quiz")
        options = build_options(
            session,
            org_id=viewer.org_id,
            signal=found.signal,
            settings=settings,
            language=language,
            skill=skill,
            course_id=course_id,
        )
        row = create_handoff(
            session,
            viewer=viewer,
            signal=found.signal,
            subtopic=found.subtopic,
            source=found.source,
            confidence=found.confidence,
            options=options,
            conversation_id=conversation_id,
            message_id=message_id,
            skill=skill,
        )
        return {
            "id": row.id,
            "signal": row.signal,
            "subtopic": row.subtopic,
            "skill": skill,
            "options": options,
        }

    def reply(self, offer: object, *, question: str, language: str) -> Answer | None:
        """The hand-off answer for a turn's offer (None: the responder answers)."""
        if not isinstance(offer, dict):
            return None
        return handoff_answer(offer, question=question, language=language)


def hook_for(settings: Settings) -> HandoffHook:
    """The hook the settings ask for: the LLM detector when a model is set, else offline."""
    from coach.llm import make_chat_model

    # Train the offline detector (about 5 s with scikit-learn's import) while the app
    # starts, not on a learner's first message; the detector's lock makes an early one wait.
    threading.Thread(target=default_detector, name="handoff-detector", daemon=True).start()
    model = make_chat_model(settings.llm)
    if model is None:
        return HandoffHook()
    from coach.handoff.llm import LLMDetector

    return HandoffHook(LLMDetector(model, default_detector()))
