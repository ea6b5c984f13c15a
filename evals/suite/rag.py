"""RAG metrics from ragas: its non-LLM metrics always, its LLM-judged ones with an endpoint.

Non-LLM (``ragas.metrics``, scored per sample with ``single_turn_score``):
``non_llm_context_precision_with_reference`` and ``non_llm_context_recall`` (retrieved
versus reference contexts, by string similarity) whenever reference contexts exist;
``non_llm_string_similarity``, ``rouge_score`` and ``bleu_score`` (answer versus reference
answer) only when a reference answer exists (a book's worked solution; the demo has none).

LLM-judged (``ragas.metrics.collections``, ragas's current API): ``faithfulness``,
``answer_relevancy`` (the judge writes questions back from the answer, compared with our
own encoder through :class:`EmbedderForRagas`: nothing is downloaded) and
``context_precision_with_reference`` when a reference answer exists. The judge is ragas's
``llm_factory`` over the official ``openai`` async client on the configured
OpenAI-compatible endpoint (the collections metrics refuse langchain wrappers).
"""

from __future__ import annotations

import asyncio
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ragas import SingleTurnSample
from ragas.embeddings.base import BaseRagasEmbedding

from retrieval.embedding import Embedder

with warnings.catch_warnings():
    # The non-LLM context metrics have no ``collections`` version yet; this import path
    # is the one ragas 0.4 documents for them, and warns that it will move.
    warnings.filterwarnings("ignore", "Importing .* from 'ragas.metrics'", DeprecationWarning)
    from ragas.metrics import (
        BleuScore,
        NonLLMContextPrecisionWithReference,
        NonLLMContextRecall,
        NonLLMStringSimilarity,
        RougeScore,
    )

CONTEXT_METRICS = ("non_llm_context_precision_with_reference", "non_llm_context_recall")
REFERENCE_METRICS = ("non_llm_string_similarity", "rouge_score", "bleu_score")
LLM_METRICS = ("faithfulness", "answer_relevancy", "context_precision_with_reference")


@dataclass(frozen=True)
class RagSample:
    """One answered question: what ragas scores."""

    question: str
    answer: str
    retrieved: tuple[str, ...]
    reference_contexts: tuple[str, ...] = ()
    reference: str | None = None

    def ragas(self) -> SingleTurnSample:
        return SingleTurnSample(
            user_input=self.question,
            response=self.answer,
            retrieved_contexts=list(self.retrieved),
            reference_contexts=list(self.reference_contexts) or None,
            reference=self.reference,
        )


class NonLLMScorer:
    """ragas's non-LLM metrics, built once."""

    def __init__(self) -> None:
        self.context = (NonLLMContextPrecisionWithReference(), NonLLMContextRecall())
        self.reference = (NonLLMStringSimilarity(), RougeScore(), BleuScore())

    def score(self, sample: RagSample) -> dict[str, float]:
        """Every metric that applies to ``sample`` (see the module docstring)."""
        s = sample.ragas()
        out: dict[str, float] = {}
        if sample.reference_contexts and sample.retrieved:
            out |= {m.name: _num(m.single_turn_score(s)) for m in self.context}
        if sample.reference and sample.answer.strip():
            out |= {m.name: _num(m.single_turn_score(s)) for m in self.reference}
        return out


def _num(value: Any) -> float:
    x = float(value)
    return 0.0 if math.isnan(x) else x


class EmbedderForRagas(BaseRagasEmbedding):
    """blendcoach's encoder as a ragas embedding (answer relevancy compares with it)."""

    def __init__(self, embedder: Embedder) -> None:
        super().__init__()
        self.embedder = embedder

    def embed_text(self, text: str, **kwargs: Any) -> list[float]:
        return [float(x) for x in self.embedder.embed_documents([text])[0]]

    async def aembed_text(self, text: str, **kwargs: Any) -> list[float]:
        return self.embed_text(text)


@dataclass(frozen=True)
class JudgeConfig:
    """The OpenAI-compatible endpoint of the LLM judge."""

    base_url: str
    model: str
    api_key: str = "not-needed"
    timeout_s: float = 60.0


class LLMJudge:
    """ragas's LLM-judged metrics over one endpoint; :meth:`score_all` runs a batch."""

    def __init__(self, config: JudgeConfig, embedder: Embedder) -> None:
        self.config = config
        self.embedder = embedder

    def score_all(self, samples: Sequence[RagSample]) -> list[dict[str, float | None]]:
        """Each sample's LLM metrics (``None`` where the judge failed on it)."""
        return asyncio.run(self._score_all(samples))

    async def _score_all(self, samples: Sequence[RagSample]) -> list[dict[str, float | None]]:
        from openai import AsyncOpenAI
        from ragas.llms.base import llm_factory
        from ragas.metrics.collections import (
            AnswerRelevancy,
            ContextPrecisionWithReference,
            Faithfulness,
        )

        c = self.config
        client = AsyncOpenAI(
            base_url=c.base_url, api_key=c.api_key, timeout=c.timeout_s, max_retries=1
        )
        try:
            llm = llm_factory(c.model, client=client)
            faithfulness = Faithfulness(llm=llm)
            relevancy = AnswerRelevancy(
                llm=llm, embeddings=EmbedderForRagas(self.embedder), strictness=1
            )
            precision = ContextPrecisionWithReference(llm=llm)
            out: list[dict[str, float | None]] = []
            for s in samples:
                row: dict[str, float | None] = {}
                calls: list[tuple[str, Any, dict[str, Any]]] = [
                    (
                        "faithfulness",
                        faithfulness,
                        {
                            "user_input": s.question,
                            "response": s.answer,
                            "retrieved_contexts": list(s.retrieved),
                        },
                    ),
                    (
                        "answer_relevancy",
                        relevancy,
                        {"user_input": s.question, "response": s.answer},
                    ),
                ]
                if s.reference:
                    calls.append(
                        (
                            "context_precision_with_reference",
                            precision,
                            {
                                "user_input": s.question,
                                "reference": s.reference,
                                "retrieved_contexts": list(s.retrieved),
                            },
                        )
                    )
                for name, metric, kwargs in calls:
                    try:
                        row[name] = _num((await metric.ascore(**kwargs)).value)
                    except Exception:  # a judge's bad reply costs one figure, not the run
                        row[name] = None
                out.append(row)
            return out
        finally:
            await client.close()
