"""The chat model seam: one ``ChatModel`` interface, one ``LLMError``, shared time limits.

Implementations only write ``_stream`` (raw text deltas); the base adds what every
caller needs: a wall-clock limit on the first token and on the whole reply (enforced from
a worker thread, so a server that hangs mid-read or between retries cannot hold a learner
past the limit), and every failure turned into :class:`LLMError`.
"""

from __future__ import annotations

import queue
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

Role = Literal["system", "user", "assistant"]
ErrorKind = Literal["timeout", "connection", "http", "garbage", "empty", "error", "circuit_open"]
SourceFactory = Callable[[], Iterator[str]]


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """One message sent to a chat model."""

    role: Role
    content: str


class LLMError(Exception):
    """Any failure of a chat model: timeout, connection, HTTP status, garbage, empty reply."""

    def __init__(self, message: str, *, kind: ErrorKind, status: int | None = None) -> None:
        super().__init__(message)
        self.kind: ErrorKind = kind
        self.status = status

    def __str__(self) -> str:
        status = f" {self.status}" if self.status is not None else ""
        return f"{self.kind}{status}: {self.args[0]}"


_DONE = object()
_worker = threading.local()


def call_abandoned() -> bool:
    """Whether the caller gave up on the call this thread runs (its time limit passed).

    A call runs in a worker thread that may outlive the caller's patience (a hung read ends
    only at the client's own timeout); an implementation checks this before it sends a
    retry, so a learner who already has the fallback answer costs the endpoint nothing more.
    Retries come before the first delta, so the first-token limit (or the whole reply's,
    if sooner) is the one that counts.
    """
    stop: threading.Event | None = getattr(_worker, "stop", None)
    if stop is None:
        return False  # not a worker: the caller itself is waiting
    return stop.is_set() or time.monotonic() >= _worker.first_deadline


class ChatModel(ABC):
    """A chat completion endpoint that streams text.

    Attributes:
        name: the model name, shown as ``llm:<name>`` on answers.
        first_token_timeout_s: longest wait for the first non-empty delta (None: no limit).
        timeout_s: longest wait for the whole reply, retries included (None: no limit).
    """

    name: str = "chat"
    first_token_timeout_s: float | None = None
    timeout_s: float | None = None

    @abstractmethod
    def _stream(self, messages: Sequence[ChatMessage]) -> Iterator[str]:
        """Yield the reply's text deltas (the raw call; errors may be anything)."""

    def ping(self, timeout_s: float) -> None:  # noqa: B027 - optional, like close()
        """Check within ``timeout_s`` that the endpoint answers; raise :class:`LLMError`.

        The default has nothing to ask (a local or fake model is always there).
        """

    def close(self) -> None:  # noqa: B027 - most models hold nothing to release
        """Release the model's connections."""

    def _error(self, exc: Exception) -> LLMError:
        """Turn an implementation's exception into an :class:`LLMError`."""
        if isinstance(exc, LLMError):
            return exc
        return LLMError(f"{type(exc).__name__}: {exc}", kind="error")

    def stream(self, messages: Sequence[ChatMessage]) -> Iterator[str]:
        """Yield non-empty text deltas within the time limits; raise :class:`LLMError`."""
        deltas = self._guarded(lambda: self._stream(messages), self.first_token_timeout_s)
        empty = True
        for delta in deltas:
            empty = False
            yield delta
        if empty:
            raise LLMError("the model returned no text", kind="empty")

    def complete(self, messages: Sequence[ChatMessage]) -> str:
        """The whole reply as one string (stripped); raise :class:`LLMError`."""
        text = "".join(self.stream(messages)).strip()
        if not text:
            raise LLMError("the model returned only whitespace", kind="empty")
        return text

    def _guarded(self, source: SourceFactory, first_token_s: float | None) -> Iterator[str]:
        """Iterate ``source()`` with normalised errors and the two wall-clock limits."""
        if first_token_s is None and self.timeout_s is None:
            yield from self._unguarded(source)
            return
        events: queue.SimpleQueue[object] = queue.SimpleQueue()
        stop = threading.Event()
        start = time.monotonic()
        # Past this, before a first delta, the caller has given up (what call_abandoned says
        # to a retry: the timer below may wake a moment after the client's read timeout).
        limits = [s for s in (first_token_s, self.timeout_s) if s is not None]
        worker = threading.Thread(
            target=self._pump,
            args=(source, events, stop, start + min(limits)),
            name="llm-stream",
            daemon=True,
        )
        worker.start()
        first = True
        try:
            while True:
                wait, what = self._budget(start, first, first_token_s)
                try:
                    event = events.get(timeout=wait)
                except queue.Empty:
                    waited = time.monotonic() - start
                    raise LLMError(f"no {what} within {waited:.1f}s", kind="timeout") from None
                if event is _DONE:
                    return
                if isinstance(event, LLMError):
                    raise event
                first = False
                yield str(event)
        finally:
            stop.set()  # the worker drops the connection at its next delta or read timeout

    def _budget(
        self, start: float, first: bool, first_token_s: float | None
    ) -> tuple[float | None, str]:
        limits = []
        if first and first_token_s is not None:
            limits.append((start + first_token_s, "first token"))
        if self.timeout_s is not None:
            limits.append((start + self.timeout_s, "complete reply"))
        if not limits:
            return None, ""
        deadline, what = min(limits)
        return max(deadline - time.monotonic(), 0.0), what

    def _pump(
        self,
        source: SourceFactory,
        events: queue.SimpleQueue[object],
        stop: threading.Event,
        first_deadline: float,
    ) -> None:
        # This thread serves one call: see call_abandoned().
        _worker.stop, _worker.first_deadline = stop, first_deadline
        deltas = self._unguarded(source)
        try:
            for delta in deltas:
                if stop.is_set():
                    return
                events.put(delta)
            events.put(_DONE)
        except LLMError as exc:
            events.put(exc)
        finally:
            deltas.close()

    def _unguarded(self, source: SourceFactory) -> Generator[str, None, None]:
        try:
            deltas = source()
            try:
                for delta in deltas:
                    if delta:
                        yield delta
            finally:
                close = getattr(deltas, "close", None)
                if close is not None:
                    close()
        except Exception as exc:
            raise self._error(exc) from exc
