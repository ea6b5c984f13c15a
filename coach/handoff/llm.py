"""The LLM detector: the model reads the message (orders to the coach removed), the
rules still decide first, and any failure falls back to the offline detector."""

from __future__ import annotations

import json
import re
from typing import cast

from coach.handoff.detect import OfflineDetector
from coach.handoff.rules import strip_injection
from coach.handoff.signals import NONE, SIGNALS, SUBTOPICS, Detection, Signal, Subtopic
from coach.llm.base import ChatMessage, ChatModel, LLMError
from coach.prompts import load_prompt

_JSON = re.compile(r"\{.*\}", re.DOTALL)


class LLMDetector:
    """Hand-off detection by a chat model, behind the same rules as offline.

    The offline detector reads the message first. When a rule decides (a sensitive topic,
    an explicit request, distress or failure said plainly), or the classifier finds the
    message clearly ordinary (P(none) ≥ ``ask_below``), the model is not asked: no extra
    call delays an ordinary turn. Otherwise the model decides.

    Args:
        model: the chat model.
        fallback: the offline detector; it also decides when the model fails, replies
            with something unreadable, or says "none" but is unsure (the offline detector
            suggests a person when unsure).
        ask_below: see above.
    """

    name = "llm"

    def __init__(self, model: ChatModel, fallback: OfflineDetector, *, ask_below: float = 0.5):
        self.model = model
        self.fallback = fallback
        self.ask_below = ask_below
        self.prompt = load_prompt("handoff_detect")

    def detect(self, text: str, *, language: str = "en") -> Detection:
        clean = strip_injection(text)
        if not clean:
            return NONE
        offline = self.fallback.detect(text, language=language)
        if offline.source != "classifier" or (
            offline.signal == "none" and offline.confidence >= self.ask_below
        ):
            return offline
        rendered = self.prompt.render(message=_escape(clean), language=language)
        try:
            reply = self.model.complete(
                [ChatMessage("system", rendered.system), ChatMessage("user", rendered.user)]
            )
            signal, subtopic, unsure = _parse(reply)
        except (LLMError, ValueError):
            return offline
        if signal == "none" and unsure:
            return offline
        if signal == "sensitive" and subtopic is None:
            subtopic = offline.subtopic or "health"
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
