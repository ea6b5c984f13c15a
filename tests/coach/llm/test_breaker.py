"""The circuit breaker: opens after consecutive endpoint failures, fails fast while open,
lets one trial through after the cool-down, and closes again when it succeeds."""

from __future__ import annotations

import contextlib

import pytest

from coach.llm import BreakerChatModel, ChatMessage, CircuitBreaker, FakeChatModel, LLMCall
from coach.llm.base import LLMError

HELLO = [ChatMessage("user", "Hello")]


class Clock:
    """Seconds that move only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def down(status: int = 500) -> LLMError:
    return LLMError("scripted", kind="http", status=status)


def guarded(*replies: object, failures: int = 3, cooldown_s: float = 30.0):  # type: ignore[no-untyped-def]
    clock = Clock()
    fake = FakeChatModel(replies)  # type: ignore[arg-type]
    breaker = CircuitBreaker(failures=failures, cooldown_s=cooldown_s, clock=clock)
    return BreakerChatModel(fake, breaker), fake, breaker, clock


def test_opens_after_consecutive_failures_and_stops_calling_the_endpoint() -> None:
    model, fake, breaker, _ = guarded(down(), LLMError("t", kind="timeout"), down(503), "never")
    for _ in range(3):
        with pytest.raises(LLMError):
            model.complete(HELLO)
    assert breaker.state == "open" and len(fake.calls) == 3
    with pytest.raises(LLMError) as refused:
        list(model.stream(HELLO))
    assert refused.value.kind == "circuit_open" and "3 consecutive failures" in str(refused.value)
    assert len(fake.calls) == 3  # the endpoint was not asked


def test_a_success_resets_the_count() -> None:
    model, _, breaker, _ = guarded(down(), down(), "Fine.", down(), down(), "Fine again.")
    for _ in range(6):
        with contextlib.suppress(LLMError):
            model.complete(HELLO)
    assert breaker.state == "closed" and breaker.consecutive == 0


def test_request_errors_and_empty_replies_say_nothing_about_the_endpoint() -> None:
    model, _, breaker, _ = guarded(down(400), down(422), down(404), "", down(413), "   ")
    for _ in range(6):
        with pytest.raises(LLMError):
            model.complete(HELLO)
    assert breaker.state == "closed"


def test_half_opens_after_the_cool_down_and_a_good_trial_closes_it() -> None:
    model, fake, breaker, clock = guarded(down(), down(), down(), "Back.", "Still here.")
    for _ in range(3):
        with pytest.raises(LLMError):
            model.complete(HELLO)
    clock.now += 29.9
    assert breaker.state == "open" and not breaker.allow()
    clock.now += 0.1
    assert breaker.state == "half_open"
    assert "".join(model.stream(HELLO)) == "Back."
    assert breaker.state == "closed"
    assert model.complete(HELLO) == "Still here." and len(fake.calls) == 5


def test_a_failed_trial_opens_it_for_another_cool_down() -> None:
    model, fake, breaker, clock = guarded(down(), down(), down(), down(502), "Back.")
    for _ in range(3):
        with pytest.raises(LLMError):
            model.complete(HELLO)
    clock.now += 30
    with pytest.raises(LLMError) as trial:
        model.complete(HELLO)
    assert trial.value.status == 502 and breaker.state == "open"
    clock.now += 15
    with pytest.raises(LLMError, match="circuit open"):
        model.complete(HELLO)
    clock.now += 15
    assert model.complete(HELLO) == "Back." and breaker.state == "closed"
    assert len(fake.calls) == 5


def test_only_one_trial_at_a_time_and_an_abandoned_one_is_given_back() -> None:
    model, _, breaker, clock = guarded(down(), down(), down(), "One two three.", "Four.")
    for _ in range(3):
        with pytest.raises(LLMError):
            model.complete(HELLO)
    clock.now += 30
    trial = model.stream(HELLO)
    assert next(trial) == "One "  # the trial is in flight...
    with pytest.raises(LLMError, match="circuit open"):
        model.complete(HELLO)  # ...so another caller still gets the fallback at once
    trial.close()  # the reader stopped early: no verdict, the trial slot is free again
    assert breaker.state == "half_open"
    assert model.complete(HELLO) == "Four." and breaker.state == "closed"


def test_failing_mid_stream_counts() -> None:
    model, _, breaker, _ = guarded(["Half ", down()], failures=1)
    with pytest.raises(LLMError):
        list(model.stream(HELLO))
    assert breaker.state == "open"


def test_zero_failures_never_opens() -> None:
    model, _, breaker, _ = guarded(*[down()] * 10, failures=0)
    for _ in range(10):
        with pytest.raises(LLMError):
            model.complete(HELLO)
    assert breaker.state == "closed" and breaker.consecutive == 10


def test_observers_see_each_call_with_its_outcome_and_the_state() -> None:
    model, _, breaker, _ = guarded("Hi.", down(), failures=1)
    seen: list[LLMCall] = []
    stop = breaker.watch(seen.append)
    model.complete(HELLO)
    for _ in range(2):
        with pytest.raises(LLMError):
            model.complete(HELLO)
    stop()
    with pytest.raises(LLMError):
        model.complete(HELLO)
    assert [(c.operation, c.error, c.state) for c in seen] == [
        ("complete", None, "closed"),
        ("complete", "http", "open"),
        ("complete", "circuit_open", "open"),
    ]
    assert seen[2].seconds == 0.0


def test_ping_fails_fast_while_open() -> None:
    model, _, breaker, _ = guarded(down(), failures=1)
    model.ping(1.0)  # the fake endpoint is always there
    with pytest.raises(LLMError):
        model.complete(HELLO)
    with pytest.raises(LLMError) as refused:
        model.ping(1.0)
    assert refused.value.kind == "circuit_open" and breaker.state == "open"
