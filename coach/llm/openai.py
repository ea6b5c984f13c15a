"""Any OpenAI-compatible chat endpoint (OpenAI, vLLM, Ollama, LiteLLM) through ``openai``.

The official client keeps the calls standard (retries with back-off, ``Retry-After``,
proxies) at a few milliseconds less per streamed reply than langchain's wrapper around
it (callbacks and message merging on every chunk, measured in ``bench.chat``); the
per-call limits that matter to a learner (first token, whole reply) are
wall-clock limits enforced by :class:`~coach.llm.base.ChatModel`, because httpx's read
timeout restarts with every byte and the client's retries multiply it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

import httpx2
import openai

from coach.llm.base import ChatMessage, ChatModel, LLMError, call_abandoned


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
        self.temperature = temperature
        self.max_tokens = max_tokens
        # Local servers want no key, but the client insists on one; never read the env.
        self._client = _Client(
            base_url=base_url,
            api_key=api_key or "not-needed",
            # A streaming attempt may wait this long between bytes (headers, first token,
            # any gap); the base class bounds the whole call, retries included.
            timeout=httpx2.Timeout(first_token_timeout_s, connect=min(5.0, timeout_s)),
            max_retries=max_retries,
        )
        # The client imports its resource modules on first use: do it now, at start-up, not
        # within the first learner's first-token limit.
        self._completions = self._client.chat.completions

    def _create(self, messages: Sequence[ChatMessage], **options: Any) -> Any:
        return self._completions.create(
            model=self.name,
            messages=[{"role": m.role, "content": m.content} for m in messages],  # type: ignore[misc]
            temperature=self.temperature,
            max_completion_tokens=self.max_tokens,
            **options,
        )

    def _stream(self, messages: Sequence[ChatMessage]) -> Iterator[str]:
        finished = False
        events = 0
        with self._create(messages, stream=True) as chunks:
            for chunk in chunks:
                events += 1
                for choice in chunk.choices or ():  # a usage-only chunk has none
                    finished = finished or bool(choice.finish_reason)
                    yield (choice.delta.content or "") if choice.delta else ""
        if not events:
            # A 200 whose body is no event stream (an HTML error page from a proxy).
            raise LLMError("the response held no stream events", kind="garbage")
        if not finished:
            # A proxy that drops the connection can end the body cleanly without [DONE].
            raise LLMError("the stream ended without a finish reason", kind="connection")

    def complete(self, messages: Sequence[ChatMessage]) -> str:
        """The whole reply from one non-streaming request, within ``timeout_s``."""

        def once() -> Iterator[str]:
            # Per-call read timeout: the whole reply comes at once, after the model is done.
            reply = self._create(messages, timeout=self.timeout_s)
            if not reply.choices:
                raise LLMError("the reply has no choices", kind="garbage")
            yield reply.choices[0].message.content or ""

        text = "".join(self._guarded(once, None)).strip()
        if not text:
            raise LLMError("the model returned no text", kind="empty")
        return text

    def ping(self, timeout_s: float) -> None:
        """``GET /models`` once, without retries (readiness checks call it).

        A server without that route (404, 405) still answered: only other errors count.
        """
        try:
            self._client.with_options(max_retries=0).models.list(timeout=timeout_s)
        except Exception as exc:
            err = to_llm_error(exc)
            if err.kind == "http" and err.status in (404, 405):
                return
            raise err from exc

    def close(self) -> None:
        """Close the client's pooled connections."""
        self._client.close()

    def _error(self, exc: Exception) -> LLMError:
        return to_llm_error(exc)


class _Client(openai.OpenAI):
    """The client, sending no retry for a call its caller gave up on.

    A read timeout is retried after the caller's limit, equal to it, has passed: the retry
    would only load an endpoint that is failing, for an answer nobody waits for.
    """

    def _prepare_request(self, request: httpx2.Request) -> None:
        # The client's hook for each attempt, called before the request is sent; what it
        # raises leaves the client at once.
        if call_abandoned():
            raise openai.OpenAIError(f"{request.method} {request.url.path}: the caller gave up")


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
