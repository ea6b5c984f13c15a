"""The LLM detector: the model reads the message (orders to the coach removed), the
rules still decide first, and any failure falls back to the offline detector."""

from __future__ import annotations

import json
import re
from typing import cast

from coach.handoff.detect import OfflineDetector
from coach.handoff.rules import is_explicit_request, sensitive_topic, strip_injection
from coach.handoff.signals import NONE, SIGNALS, SUBTOPICS, Detection, Signal, Subtopic
from coach.llm.base import ChatMessage, ChatModel, LLMError
from coach.prompts import load_prompt

_JSON = re.compile(r"\{.*\}", re.DOTALL)


class LLMDetector:
    """Hand-off detection by a chat model, behind the same rules as offline.

    Args:
        model: the chat model.
        fallback: used when the model fails or replies with something unreadable, and
            when it says "none" but is unsure (then the offline detector decides, which
            suggests a person when unsure).
    """

    name = "llm"

    def __init__(self, model: ChatModel, fallback: OfflineDetector) -> None:
        self.model = model
        self.fallback = fallback
        self.prompt = load_prompt("handoff_detect")

    def detect(self, text: str, *, language: str = "en") -> Detection:
        clean = strip_injection(text)
        if not clean:
            return NONE
        if (topic := sensitive_topic(clean)) is not None:
            return Detection("sensitive", topic, 1.0, "rule")
        if is_explicit_request(clean):
            return Detection("explicit_request", None, 1.0, "rule")
        rendered = self.prompt.render(message=_escape(clean), language=language)
        try:
            reply = self.model.complete(
                [ChatMessage("system", rendered.system), ChatMessage("user", rendered.user)]
            )
            signal, subtopic, unsure = _parse(reply)
        except (LLMError, ValueError):
            return self.fallback.detect(text, language=language)
        if signal == "none" and unsure:
            return self.fallback.detect(text, language=language)
        if signal == "sensitive" and subtopic is None:
            subtopic = self.fallback.detect(text, language=language).subtopic or "health"
        return Detection(signal, subtopic, 0.5 if unsure else 0.9, "llm")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _parse(reply: str) -> tuple[Signal, Subtopic | None, bool]:
    """``(signal, subtopic, unsure)`` from the model's JSON (``ValueError`` if unreadable)."""
    found = _JSON.search(reply)
    if found is None:
        raise ValueError("no JSON object in the reply")
    data = json.loads(found.group(0))
    signal = data.get("signal")
    if signal not in SIGNALS:
        raise ValueError(f"unknown signal {signal!r}")
    subtopic = data.get("subtopic")
    if signal != "sensitive" or subtopic not in SUBTOPICS:
        subtopic = None
    return cast(Signal, signal), cast(Subtopic | None, subtopic), bool(data.get("unsure"))
