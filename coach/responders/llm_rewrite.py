"""Follow-up questions rewritten into standalone search queries by a chat model."""

from __future__ import annotations

import re
from collections.abc import Sequence

from coach.llm.base import ChatMessage, ChatModel, LLMError
from coach.prompts import load_prompt
from coach.responders.base import Turn
from coach.responders.blocks import escape, turns_block
from coach.responders.rewrite import OfflineRewriter, QueryRewriter

_LABEL = re.compile(r"^\s*(?:standalone\s+)?(?:query|question|requête)\s*:\s*", re.IGNORECASE)
_QUOTES = "\"'“”«»‘’`"


class LLMRewriter(QueryRewriter):
    """Rewrites follow-ups with a chat model; the rule-based rewriter when it fails.

    Args:
        chat_model: the model (one short non-streaming call per follow-up).
        fallback: used when the model fails or answers with something unusable.
        turns: earlier turns shown to the model.
        max_chars: a longer reply is an answer, not a query, and is discarded.
        follow_ups_only: ask the model only when the offline rewriter sees a follow-up,
            so standalone questions cost no extra round trip before search.
    """

    def __init__(
        self,
        chat_model: ChatModel,
        fallback: QueryRewriter | None = None,
        *,
        turns: int = 4,
        max_chars: int = 300,
        follow_ups_only: bool = True,
    ) -> None:
        self.chat_model = chat_model
        self.fallback = fallback or OfflineRewriter()
        self.turns = turns
        self.max_chars = max_chars
        self.follow_ups_only = follow_ups_only
        self.prompt = load_prompt("rewrite")

    def is_follow_up(self, question: str) -> bool:
        """The fallback's view when only follow-ups are sent to the model."""
        return not self.follow_ups_only or self.fallback.is_follow_up(question)

    def rewrite(self, question: str, history: Sequence[Turn]) -> str:
        """A standalone query for ``question`` (itself when there is nothing to resolve)."""
        text = question.strip()
        if not history or not text:
            return text
        if not self.is_follow_up(text):
            return text
        rendered = self.prompt.render(
            history=turns_block(history[-self.turns :]), question=escape(text)
        )
        messages = [ChatMessage("system", rendered.system), ChatMessage("user", rendered.user)]
        try:
            query = clean_query(self.chat_model.complete(messages))
        except LLMError:
            return self.fallback.rewrite(question, history)
        if not query or len(query) > self.max_chars:
            return self.fallback.rewrite(question, history)
        return query


def clean_query(reply: str) -> str:
    """The query in a model's reply: first line, without a label or quotes."""
    lines = [line for line in reply.strip().splitlines() if line.strip()]
    if not lines:
        return ""
    line = _LABEL.sub("", lines[0]).strip()
    if len(line) > 1 and line[0] in _QUOTES and line[-1] in _QUOTES:
        line = line[1:-1].strip()
    return line
