"""The answering seam: one ``Responder`` interface, offline and LLM implementations.

A responder turns a learner's question plus the passages retrieved for it (already
restricted to courses the learner can see) into a grounded answer. It streams: ``respond``
yields text deltas (``str``) and ends with exactly one :class:`Answer`. Everything a
responder may say comes from ``ResponderInput``; the passages and the learner's words are
data, never instructions.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

from retrieval.termstats import TermStats
from retrieval.types import Citation, SearchHit


@dataclass(frozen=True, slots=True)
class Turn:
    """One earlier message of the conversation."""

    role: Literal["user", "assistant"]
    content: str


@dataclass(frozen=True, slots=True)
class ResponderInput:
    """What a responder may use: the question, its retrieved passages and the context."""

    question: str
    """The learner's message as typed."""
    query: str
    """The standalone question used for retrieval (follow-ups rewritten with context)."""
    language: str
    """Language of the question (``en``, ``fr``); the answer is written in it when possible."""
    hits: tuple[SearchHit, ...]
    """Retrieved passages, best first, from courses the learner can see only."""
    history: tuple[Turn, ...] = ()
    """Recent turns, oldest first (the current question is not included)."""
    summary: str | None = None
    """Older turns, summarised (LLM) or ``None`` (offline keeps only recent turns)."""
    learner_facts: tuple[str, ...] = ()
    """Goals and facts the learner told the coach (their visible memory)."""
    feedback: tuple[str, ...] = ()
    """Why the guard blocked a first draft (an LLM responder rewrites it once with these)."""
    term_stats: TermStats | None = None
    """How rare each term is in the courses (``Retriever.term_stats``): the coverage gate
    weighs the question's words by it; without it every word weighs the same."""


@dataclass(frozen=True, slots=True)
class CitationRef:
    """A numbered citation shown with the answer; ``n`` matches ``[n]`` in the text."""

    n: int
    chunk_id: str
    citation: Citation
    quote: str = ""
    """The passage text (or the sentences used) the answer rests on."""


@dataclass(frozen=True, slots=True)
class Answer:
    """The final answer of one turn."""

    text: str
    citations: tuple[CitationRef, ...]
    covered: bool
    """False when the courses do not cover the question (the text says so)."""
    responder: str
    """Which implementation answered: ``offline``, ``llm:<model>``, ``offline (fallback)``."""
    language: str
    suggestion: Citation | None = None
    """When not covered: the closest module worth a look, if any."""
    meta: dict[str, object] = field(default_factory=dict)
    """Diagnostics (scores, timings, fallback reason); stored, not shown to learners."""

    @property
    def degraded(self) -> bool:
        """The model failed this turn: the answer is the fallback's, or the model's cut short."""
        return "fallback_reason" in self.meta or self.meta.get("truncated") is True


def cited_passages(answer: Answer, hits: Sequence[SearchHit]) -> list[str]:
    """The passage each ``[n]`` of the answer cites, in marker order: the whole retrieved
    chunk (what the guard judges a sentence against), else the citation's quote."""
    texts = {hit.chunk_id: hit.text for hit in hits}
    return [texts.get(c.chunk_id) or c.quote for c in sorted(answer.citations, key=lambda c: c.n)]


Delta = str


class Responder(ABC):
    """Answers one question from retrieved passages."""

    name: str = "responder"

    @abstractmethod
    def respond(self, inp: ResponderInput) -> Iterator[Delta | Answer]:
        """Yield text deltas, then exactly one final :class:`Answer`."""

    def answer(self, inp: ResponderInput) -> Answer:
        """Run :meth:`respond` to the end and return the final answer."""
        final: Answer | None = None
        for event in self.respond(inp):
            if isinstance(event, Answer):
                final = event
        if final is None:
            raise RuntimeError(f"{self.name} ended without an answer")
        return final
