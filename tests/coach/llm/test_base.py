"""The chat model seam without a network: the fake, the time limits, error normalising."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence

import pytest

from coach.llm import ChatMessage, ChatModel, FakeChatModel, LLMError

HI = [ChatMessage("user", "hi")]


class Slow(ChatModel):
    """Waits ``delay`` before each delta."""

    def __init__(self, delay: float, deltas: Sequence[str], **limits: float) -> None:
        self.delay, self.deltas = delay, deltas
        self.first_token_timeout_s = limits.get("first")
        self.timeout_s = limits.get("total")

    def _stream(self, messages: Sequence[ChatMessage]) -> Iterator[str]:
        for delta in self.deltas:
            time.sleep(self.delay)
            yield delta


def test_fake_replays_the_script_and_records_calls() -> None:
    fake = FakeChatModel(["Hello there.", ["a", "b"]], default="again")
    assert list(fake.stream(HI)) == ["Hello ", "there."]
    assert fake.complete(HI) == "ab"
    assert fake.complete([ChatMessage("user", "more")]) == "again"
    assert [c[0].content for c in fake.calls] == ["hi", "hi", "more"]


def test_fake_fails_before_or_during_the_stream() -> None:
    fake = FakeChatModel(
        [LLMError("down", kind="connection"), ["Par", LLMError("x", kind="timeout")]]
    )
    with pytest.raises(LLMError, match="connection"):
        list(fake.stream(HI))
    got: list[str] = []
    with pytest.raises(LLMError, match="timeout"):
        got.extend(fake.stream(HI))
    assert got == ["Par"]
    with pytest.raises(LLMError, match="no scripted reply"):
        fake.complete(HI)


def test_empty_or_blank_replies_are_errors() -> None:
    with pytest.raises(LLMError, match="empty"):
        list(FakeChatModel([["", ""]]).stream(HI))
    with pytest.raises(LLMError, match="empty"):
        FakeChatModel(["   "]).complete(HI)


def test_unexpected_exceptions_are_normalised() -> None:
    with pytest.raises(LLMError) as caught:
        list(FakeChatModel([KeyError("choices")]).stream(HI))
    assert caught.value.kind == "error" and "KeyError" in str(caught.value)


def test_first_token_limit() -> None:
    started = time.monotonic()
    with pytest.raises(LLMError, match="first token"):
        list(Slow(1.0, ["late"], first=0.2).stream(HI))
    assert time.monotonic() - started < 0.6


def test_total_limit_after_the_first_token() -> None:
    got: list[str] = []
    with pytest.raises(LLMError, match="complete reply"):
        got.extend(Slow(0.1, ["w "] * 50, first=0.5, total=0.45).stream(HI))
    assert 2 <= len(got) <= 5


def test_within_limits_everything_arrives() -> None:
    assert "".join(Slow(0.01, ["a", "b", "c"], first=1.0, total=2.0).stream(HI)) == "abc"
