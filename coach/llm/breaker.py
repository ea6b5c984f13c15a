"""A circuit breaker around the chat endpoint, shared by every feature that calls it.

After ``failures`` consecutive failed calls the circuit opens: calls fail at once with an
:class:`~coach.llm.base.LLMError` of kind ``circuit_open``, which every caller already
answers with its offline fallback (the offline responder, rewriter, quiz generator...),
so learners stop waiting out timeouts on an endpoint that is down. After ``cooldown_s``
the circuit is half-open: one trial call goes through while the others still fail fast;
its success closes the circuit, its failure opens it for another cool-down.

A failure is the endpoint's: timeouts, lost connections, HTTP 5xx/429/401/403, garbage.
A reply that is merely empty, or an HTTP 400/404/413/422 about one request, is not.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from coach.llm.base import ChatMessage, ChatModel, LLMError

State = Literal["closed", "open", "half_open"]
Clock = Callable[[], float]
REQUEST_ERRORS = frozenset({400, 404, 413, 422})
"""HTTP statuses that say something about one request, not about the endpoint."""


@dataclass(frozen=True, slots=True)
class LLMCall:
    """One call as observers see it.

    Attributes:
        operation: ``stream`` or ``complete``.
        seconds: wall time of the call (0 when it was short-circuited).
        error: the error kind (``circuit_open`` when the breaker refused it), None if fine.
        state: the circuit's state after the call.
    """

    operation: str
    seconds: float
    error: str | None
    state: State


Observer = Callable[[LLMCall], None]


def counts_as_failure(exc: LLMError) -> bool:
    """Whether an error says the endpoint is unwell (see the module docstring)."""
    if exc.kind in ("empty", "circuit_open"):
        return False
    return not (exc.kind == "http" and exc.status in REQUEST_ERRORS)


class CircuitBreaker:
    """Closed → open after ``failures`` consecutive failures → half-open after ``cooldown_s``.

    Args:
        failures: consecutive failures that open the circuit (0: it never opens).
        cooldown_s: how long it stays open before one trial call is let through.
        clock: monotonic seconds (tests pass a fake one).
    """

    def __init__(
        self, *, failures: int = 5, cooldown_s: float = 30.0, clock: Clock = time.monotonic
    ) -> None:
        self.failures = failures
        self.cooldown_s = cooldown_s
        self.clock = clock
        self.consecutive = 0
        self._opened_at: float | None = None
        self._trial = False
        self._lock = threading.Lock()
        self._observers: tuple[Observer, ...] = ()

    @property
    def state(self) -> State:
        """``closed``, ``open`` or ``half_open`` (a cool-down that has passed)."""
        if self._opened_at is None:
            return "closed"
        return "half_open" if self.clock() - self._opened_at >= self.cooldown_s else "open"

    def allow(self) -> bool:
        """Whether a call may go out now (in half-open, only one trial at a time)."""
        with self._lock:
            state = self.state
            if state == "closed":
                return True
            if state == "open" or self._trial:
                return False
            self._trial = True
            return True

    def record(self, error: LLMError | None) -> None:
        """The outcome of a call that :meth:`allow` let through."""
        with self._lock:
            self._trial = False
            if error is None or not counts_as_failure(error):
                self.consecutive = 0  # the endpoint answered: closed again
                self._opened_at = None
                return
            self.consecutive += 1
            if self._opened_at is not None or (self.failures and self.consecutive >= self.failures):
                self._opened_at = self.clock()  # a failed trial starts a new cool-down

    def release(self) -> None:
        """A call let through ended without an outcome (its reader stopped early)."""
        with self._lock:
            self._trial = False

    def watch(self, observer: Observer) -> Callable[[], None]:
        """Tell ``observer`` about every call; returns the function that stops it."""
        with self._lock:
            self._observers = (*self._observers, observer)

        def stop() -> None:
            with self._lock:
                self._observers = tuple(o for o in self._observers if o is not observer)

        return stop

    def notify(self, call: LLMCall) -> None:
        for observer in self._observers:
            observer(call)


class BreakerChatModel(ChatModel):
    """``inner`` behind ``breaker``: its own limits and retries, plus failing fast when open."""

    def __init__(self, inner: ChatModel, breaker: CircuitBreaker) -> None:
        self.inner = inner
        self.breaker = breaker
        self.name = inner.name

    def _stream(self, messages: Sequence[ChatMessage]) -> Iterator[str]:
        return self.inner.stream(messages)  # pragma: no cover - stream() is overridden

    def stream(self, messages: Sequence[ChatMessage]) -> Iterator[str]:
        """The inner model's deltas; :class:`LLMError` ``circuit_open`` when refused."""
        return self._call("stream", lambda: self.inner.stream(messages))

    def complete(self, messages: Sequence[ChatMessage]) -> str:
        """The inner model's whole reply (one request for the OpenAI model)."""
        return "".join(self._call("complete", lambda: iter((self.inner.complete(messages),))))

    def ping(self, timeout_s: float) -> None:
        """Fail at once while the circuit is open, else ask the inner model's endpoint."""
        if self.breaker.state == "open":
            raise LLMError(self._open_message(), kind="circuit_open")
        self.inner.ping(timeout_s)

    def close(self) -> None:
        self.inner.close()

    def _open_message(self) -> str:
        return f"circuit open after {self.breaker.consecutive} consecutive failures"

    def _call(self, operation: str, source: Callable[[], Iterator[str]]) -> Iterator[str]:
        # A generator, so nothing is decided before the caller starts reading, and an
        # abandoned reader (closed or collected) gives its half-open trial back.
        breaker = self.breaker
        if not breaker.allow():
            breaker.notify(LLMCall(operation, 0.0, "circuit_open", breaker.state))
            raise LLMError(self._open_message(), kind="circuit_open")
        started = time.perf_counter()
        outcome: LLMError | None = None
        finished = False
        try:
            yield from source()
            finished = True
        except LLMError as exc:
            outcome, finished = exc, True
            raise
        finally:
            if finished:
                breaker.record(outcome)
                seconds = time.perf_counter() - started
                kind = outcome.kind if outcome is not None else None
                breaker.notify(LLMCall(operation, seconds, kind, breaker.state))
            else:
                breaker.release()


_SHARED: dict[tuple[str, str, int, float], CircuitBreaker] = {}
_SHARED_LOCK = threading.Lock()


def shared_breaker(
    base_url: str, model: str, *, failures: int, cooldown_s: float, clock: Clock | None = None
) -> CircuitBreaker:
    """The process's one breaker for an endpoint and model, made on first use.

    Every feature builds its own client (chat, quizzes, surveys, insights, hand-off) but they
    share the endpoint's health. ``clock`` is used only by the call that creates it.
    """
    key = (base_url, model, failures, cooldown_s)
    with _SHARED_LOCK:
        breaker = _SHARED.get(key)
        if breaker is None:
            breaker = CircuitBreaker(
                failures=failures, cooldown_s=cooldown_s, clock=clock or time.monotonic
            )
            _SHARED[key] = breaker
        return breaker
