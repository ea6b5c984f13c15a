"""The LLM rewriter and summariser, and their offline fallbacks."""

from __future__ import annotations

import pytest

from coach.llm import FakeChatModel, LLMError
from coach.llm.openai import OpenAIChatModel
from coach.responders.base import Turn
from coach.responders.llm_rewrite import LLMRewriter, clean_query
from coach.responders.rewrite import OfflineRewriter
from coach.responders.summarise import LLMSummariser, TruncatingSummariser
from tests.utils.fake_openai import FakeOpenAI, Reply

HISTORY = (
    Turn("user", "When must a data breach be reported to the regulator?"),
    Turn("assistant", "Within 72 hours [1]."),
)
FOLLOW_UP = "and what about its exceptions?"


def test_rewriter_asks_the_model_about_follow_ups(fake_openai: FakeOpenAI) -> None:
    fake_openai.add(Reply.text('Query: "Exceptions to reporting a data breach to the regulator"'))
    chat = OpenAIChatModel(base_url=fake_openai.base_url, model="m", max_retries=0)
    query = LLMRewriter(chat).rewrite(FOLLOW_UP, HISTORY)
    assert query == "Exceptions to reporting a data breach to the regulator"
    (request,) = fake_openai.requests
    assert not request.stream
    user = request.messages[-1]["content"]
    assert '<turn role="learner">\nWhen must a data breach' in user
    assert '<turn role="coach">\nWithin 72 hours.\n</turn>' in user
    assert "<learner_message>\nand what about its exceptions?\n</learner_message>" in user


def test_rewriter_skips_the_model_when_nothing_needs_resolving() -> None:
    chat = FakeChatModel()
    rewriter = LLMRewriter(chat)
    assert rewriter.rewrite("What is a data breach?", ()) == "What is a data breach?"
    standalone = "Which fines apply to a late data breach report under GDPR?"
    assert rewriter.rewrite(standalone, HISTORY) == standalone
    assert chat.calls == []


@pytest.mark.parametrize("reply", [LLMError("down", kind="connection"), "   ", "x" * 400, "\n\n"])
def test_rewriter_falls_back_to_the_rules(reply: object) -> None:
    rewriter = LLMRewriter(FakeChatModel([reply]))  # type: ignore[list-item]
    expected = OfflineRewriter().rewrite(FOLLOW_UP, HISTORY)
    assert rewriter.rewrite(FOLLOW_UP, HISTORY) == expected != FOLLOW_UP


def test_clean_query() -> None:
    assert clean_query("«Sanctions RGPD»\nExplanation: ...") == "Sanctions RGPD"
    assert clean_query("Standalone query: breach exceptions") == "breach exceptions"


def test_truncating_summary_keeps_the_newest_questions() -> None:
    turns = [Turn("user", f"question number {i} " + "word " * 30) for i in range(10)]
    summary = TruncatingSummariser(max_chars=300, per_turn=60).summarise(turns)
    assert summary is not None and len(summary) <= 300
    assert summary.startswith("Earlier questions: ") and "question number 9" in summary
    assert "question number 0" not in summary
    assert TruncatingSummariser().summarise([Turn("assistant", "Hello")]) is None


def test_llm_summary_and_its_fallback(fake_openai: FakeOpenAI) -> None:
    fake_openai.add(Reply.text("The learner asked about breach reporting."), Reply.error(500))
    chat = OpenAIChatModel(base_url=fake_openai.base_url, model="m", max_retries=0)
    summariser = LLMSummariser(chat)
    assert summariser.summarise(HISTORY) == "The learner asked about breach reporting."
    assert "<conversation>" in fake_openai.requests[0].messages[-1]["content"]
    fallback = summariser.summarise(HISTORY)
    assert fallback == "Earlier questions: " + HISTORY[0].content
    assert summariser.summarise(()) is None and len(fake_openai.requests) == 2


def test_llm_summary_is_cut_at_a_sentence() -> None:
    long = "First point made. " * 100
    summary = LLMSummariser(FakeChatModel([long]), max_chars=100).summarise(HISTORY)
    assert summary is not None and len(summary) <= 100 and summary.endswith("made.")
