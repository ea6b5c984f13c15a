"""The chat model seam: ``ChatModel`` with a real OpenAI-compatible model and a fake."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coach.llm.base import ChatMessage, ChatModel, LLMError
from coach.llm.breaker import BreakerChatModel, CircuitBreaker, Clock, LLMCall, shared_breaker
from coach.llm.fake import FakeChatModel

if TYPE_CHECKING:
    from coach.settings import LLMSettings

__all__ = [
    "BreakerChatModel",
    "ChatMessage",
    "ChatModel",
    "CircuitBreaker",
    "FakeChatModel",
    "LLMCall",
    "LLMError",
    "breaker_for",
    "make_chat_model",
]


def breaker_for(settings: LLMSettings, *, clock: Clock | None = None) -> CircuitBreaker | None:
    """The process's circuit breaker for the configured endpoint (None when offline);
    ``clock`` is used only if this call creates it."""
    if settings.base_url is None:
        return None
    return shared_breaker(
        settings.base_url,
        settings.model,
        failures=settings.breaker_failures,
        cooldown_s=settings.breaker_cooldown_s,
        clock=clock,
    )


def make_chat_model(settings: LLMSettings) -> ChatModel | None:
    """The configured chat model behind the endpoint's circuit breaker, or ``None`` when no
    endpoint is set (offline only)."""
    breaker = breaker_for(settings)
    if settings.base_url is None or breaker is None:
        return None
    from coach.llm.openai import OpenAIChatModel  # the client loads in ~1 s: only when used

    model = OpenAIChatModel(
        base_url=settings.base_url,
        model=settings.model,
        api_key=settings.api_key.get_secret_value() if settings.api_key else None,
        timeout_s=settings.timeout_s,
        first_token_timeout_s=settings.first_token_timeout_s,
        max_retries=settings.max_retries,
        temperature=settings.temperature,
        max_tokens=settings.max_tokens,
    )
    return BreakerChatModel(model, breaker)
