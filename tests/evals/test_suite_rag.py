"""ragas in the suite: its non-LLM metrics, and its LLM-judged ones through the real OpenAI
client against the scripted local server (replies in the JSON shapes ragas's prompts ask for)."""

from __future__ import annotations

import json

import pytest

from evals.suite.rag import JudgeConfig, LLMJudge, NonLLMScorer, RagSample
from retrieval.embedding import FakeEmbedder
from tests.utils.fake_openai import FakeOpenAI, Reply

LIST = "A list is an ordered collection of items; its items can be changed."
TUPLE = "A tuple is an ordered collection that cannot be changed."
FORKLIFTS = "Forklift trucks are inspected by their driver at the start of every shift."
QUESTION = "Can the items of a list be changed?"
ANSWER = "A list is ordered. Its items can be changed."


def test_non_llm_metrics_score_contexts_and_the_reference() -> None:
    scorer = NonLLMScorer()
    sample = RagSample(
        QUESTION, ANSWER, (LIST, TUPLE), (LIST,), "Yes, a list's items can be changed."
    )
    scores = scorer.score(sample)
    assert scores["non_llm_context_recall"] == 1.0  # the gold text was retrieved
    assert 0.99 < scores["non_llm_context_precision_with_reference"] <= 1.0  # and ranked first
    assert 0.0 < scores["rouge_score"] < 1.0 and 0.0 <= scores["bleu_score"] < 1.0
    assert 0.0 < scores["non_llm_string_similarity"] < 1.0

    missed = scorer.score(RagSample(QUESTION, ANSWER, (FORKLIFTS,), (LIST,)))
    assert missed["non_llm_context_recall"] == 0.0
    assert "rouge_score" not in missed  # no reference answer: no string metrics


def _json(data: object) -> Reply:
    return Reply.text(json.dumps(data))


def test_llm_metrics_follow_the_judges_verdicts() -> None:
    script = [
        # faithfulness: two statements, the context supports one
        _json({"statements": ["A list is ordered.", "A list is immutable."]}),
        _json(
            {
                "statements": [
                    {"statement": "A list is ordered.", "reason": "stated", "verdict": 1},
                    {"statement": "A list is immutable.", "reason": "contradicted", "verdict": 0},
                ]
            }
        ),
        # answer relevancy: the question written back from the answer is the question asked
        _json({"question": QUESTION, "noncommittal": 0}),
        # context precision: the first retrieved context is not useful, the second is
        _json({"reason": "about tuples", "verdict": 0}),
        _json({"reason": "answers it", "verdict": 1}),
    ]
    sample = RagSample(QUESTION, ANSWER, (TUPLE, LIST), (LIST,), "Yes, they can.")
    with FakeOpenAI(script) as server:
        judge = LLMJudge(JudgeConfig(server.base_url, "judge-model", "k"), FakeEmbedder(dim=64))
        [scores] = judge.score_all([sample])
    assert scores["faithfulness"] == 0.5
    assert scores["answer_relevancy"] == pytest.approx(1.0)
    assert scores["context_precision_with_reference"] == pytest.approx(0.5)  # relevant at rank 2
    assert len(server.requests) == 5 and {r.model for r in server.requests} == {"judge-model"}
    assert server.requests[0].body["response_format"] == {"type": "json_object"}


def test_a_failing_judge_costs_the_figure_not_the_run() -> None:
    sample = RagSample(QUESTION, ANSWER, (LIST,))
    with FakeOpenAI(default=Reply.error(400, "bad request")) as server:
        judge = LLMJudge(JudgeConfig(server.base_url, "m", "k"), FakeEmbedder(dim=64))
        [scores] = judge.score_all([sample])
    assert scores == {"faithfulness": None, "answer_relevancy": None}
