"""Older turns of a conversation folded into a short summary the responder can carry.

``ResponderInput.summary`` holds it: the LLM responder sends it with the recent turns.
:class:`TruncatingSummariser` needs no model (the learner's earlier questions, shortened);
:class:`LLMSummariser` asks the chat model and falls back to it on any failure.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

from coach.llm.base import ChatMessage, ChatModel, LLMError
from coach.prompts import load_prompt
from coach.responders.base import Turn
from coach.responders.blocks import turns_block


class Summariser(ABC):
    """Summarises earlier turns."""

    @abstractmethod
    def summarise(self, turns: Sequence[Turn]) -> str | None:
        """A short summary of ``turns`` (``None`` when there is nothing to summarise)."""


class TruncatingSummariser(Summariser):
    """The learner's earlier questions, each shortened, newest kept when space runs out.

    Args:
        max_chars: length of the summary at most.
        per_turn: length of one question at most.
    """

    def __init__(self, max_chars: int = 600, per_turn: int = 120) -> None:
        self.max_chars = max_chars
        self.per_turn = per_turn

    def summarise(self, turns: Sequence[Turn]) -> str | None:
        """``Earlier questions: q1 | q2 | ...`` (the oldest dropped first)."""
        asked = [_shorten(t.content, self.per_turn) for t in turns if t.role == "user"]
        asked = [a for a in asked if a]
        prefix = "Earlier questions: "
        kept: list[str] = []
        for question in reversed(asked):
            if len(prefix) + len(" | ".join([question, *kept])) > self.max_chars:
                break
            kept.insert(0, question)
        return prefix + " | ".join(kept) if kept else None


class LLMSummariser(Summariser):
    """A model-written summary; the truncating one when the model fails.

    Args:
        chat_model: the model (one non-streaming call).
        fallback: used on any model failure or an overlong reply.
        max_chars: a longer reply is cut at the last sentence that fits.
    """

    def __init__(
        self,
        chat_model: ChatModel,
        fallback: Summariser | None = None,
        *,
        max_chars: int = 1200,
    ) -> None:
        self.chat_model = chat_model
        self.fallback = fallback or TruncatingSummariser()
        self.max_chars = max_chars
        self.prompt = load_prompt("summarise")

    def summarise(self, turns: Sequence[Turn]) -> str | None:
        """Ask the model for a summary of ``turns``."""
        if not any(t.content.strip() for t in turns):
            return None
        rendered = self.prompt.render(turns=turns_block(turns))
        messages = [ChatMessage("system", rendered.system), ChatMessage("user", rendered.user)]
        try:
            summary = self.chat_model.complete(messages)
        except LLMError:
            return self.fallback.summarise(turns)
        return _shorten(summary, self.max_chars, at_sentence=True) or self.fallback.summarise(turns)


def _shorten(text: str, limit: int, *, at_sentence: bool = False) -> str:
    """``text`` on one line, cut to ``limit`` characters (at a sentence or word end)."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    if at_sentence and (end := max(cut.rfind(". "), cut.rfind("! "), cut.rfind("? "))) > 0:
        return cut[: end + 1]
    return cut.rsplit(" ", 1)[0] + "…"
