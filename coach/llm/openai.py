"""Any OpenAI-compatible chat endpoint (OpenAI, vLLM, Ollama, LiteLLM) through ``ChatOpenAI``.

langchain-openai keeps the client standard (retries with back-off, ``Retry-After``,
proxies); the per-call limits that matter to a learner (first token, whole reply) are
wall-clock limits enforced by :class:`~coach.llm.base.ChatModel`, because httpx's read
timeout restarts with every byte and the client's retries multiply it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

import httpx2
import openai
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI
from pydantic import SecretStr

from coach.llm.base import ChatMessage, ChatModel, LLMError

_LC_MESSAGE: dict[str, type[BaseMessage]] = {
    "system": SystemMessage,
    "user": HumanMessage,
    "assistant": AIMessage,
}


class OpenAIChatModel(ChatModel):
    """A chat model behind an OpenAI-compatible ``/v1/chat/completions`` endpoint."""

    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        api_key: str | None = None,
        timeout_s: float = 30.0,
        first_token_timeout_s: float = 10.0,
        max_retries: int = 2,
        temperature: float = 0.2,
        max_tokens: int = 600,
    ) -> None:
        self.name = model
        self.base_url = base_url
        self.timeout_s = timeout_s
        self.first_token_timeout_s = first_token_timeout_s
        self.max_retries = max_retries
        # Local servers want no key, but the client insists on one; never read the env.
        self._chat = ChatOpenAI(
            model=model,
            base_url=base_url,
            api_key=SecretStr(api_key or "not-needed"),
            # A streaming attempt may wait this long between bytes (headers, first token,
            # any gap); the base class bounds the whole call, retries included.
            timeout=httpx2.Timeout(first_token_timeout_s, connect=min(5.0, timeout_s)),
            max_retries=max_retries,
            temperature=temperature,
            max_completion_tokens=max_tokens,
        )

    def _stream(self, messages: Sequence[ChatMessage]) -> Iterator[str]:
        finished = False
        for chunk in self._chat.stream(_to_langchain(messages)):
            finished = finished or bool(chunk.response_metadata.get("finish_reason"))
            yield chunk.text
        if not finished:
            # A proxy that drops the connection can end the body cleanly without [DONE].
            raise LLMError("the stream ended without a finish reason", kind="connection")

    def complete(self, messages: Sequence[ChatMessage]) -> str:
        """The whole reply from one non-streaming request, within ``timeout_s``."""

        def once() -> Iterator[str]:
            # Per-call read timeout: the whole reply comes at once, after the model is done.
            yield self._chat.invoke(_to_langchain(messages), timeout=self.timeout_s).text

        text = "".join(self._guarded(once, None)).strip()
        if not text:
            raise LLMError("the model returned no text", kind="empty")
        return text

    def _error(self, exc: Exception) -> LLMError:
        return to_llm_error(exc)


def to_llm_error(exc: Exception) -> LLMError:
    """Classify an exception raised by the OpenAI client, httpx or langchain."""
    if isinstance(exc, LLMError):
        return exc
    if isinstance(exc, openai.APITimeoutError | httpx2.TimeoutException):
        return LLMError(str(exc) or "request timed out", kind="timeout")
    if isinstance(exc, openai.APIStatusError):
        return LLMError(_status_message(exc), kind="http", status=exc.status_code)
    if isinstance(exc, openai.APIConnectionError | httpx2.TransportError):
        return LLMError(f"{type(exc).__name__}: {exc}", kind="connection")
    if isinstance(exc, json.JSONDecodeError | openai.APIResponseValidationError | ValueError):
        return LLMError(f"unreadable response: {exc}", kind="garbage")
    return LLMError(f"{type(exc).__name__}: {exc}", kind="error")


def _status_message(exc: openai.APIStatusError) -> str:
    body: Any = exc.body
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return str(body["message"])[:200]
    return str(exc)[:200]


def _to_langchain(messages: Sequence[ChatMessage]) -> list[BaseMessage]:
    return [_LC_MESSAGE[m.role](content=m.content) for m in messages]
