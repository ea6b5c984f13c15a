"""The chat model seam: ``ChatModel`` with a real OpenAI-compatible model and a fake."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coach.llm.base import ChatMessage, ChatModel, LLMError
from coach.llm.fake import FakeChatModel

if TYPE_CHECKING:
    from coach.settings import LLMSettings

__all__ = ["ChatMessage", "ChatModel", "FakeChatModel", "LLMError", "make_chat_model"]


def make_chat_model(settings: LLMSettings) -> ChatModel | None:
    """The configured chat model, or ``None`` when no endpoint is set (offline only)."""
    if settings.base_url is None:
        return None
    from coach.llm.openai import OpenAIChatModel  # the client loads in ~1 s: only when used

    return OpenAIChatModel(
        base_url=settings.base_url,
        model=settings.model,
        api_key=settings.api_key.get_secret_value() if settings.api_key else None,
        timeout_s=settings.timeout_s,
        first_token_timeout_s=settings.first_token_timeout_s,
        max_retries=settings.max_retries,
        temperature=settings.temperature,
        max_tokens=settings.max_tokens,
    )
