"""The LLM responder: a short coached answer written from the numbered passages.

Coverage is decided first, exactly as offline (not covered: the same plain message, no
model call). Otherwise the model gets the ``answer`` prompt with the passages and the
learner's words inside escaped data blocks, and its tokens stream out with their ``[n]``
markers renumbered on the fly (see :mod:`coach.responders.citations`).

When the endpoint fails before any text was shown (connection refused, HTTP error,
first-token timeout, garbage), the fallback responder answers instead. When it fails
after text was shown, that text cannot be taken back: if it holds at least one finished
sentence it stands as the answer (``meta["truncated"]``); otherwise the fallback's answer
follows it after :data:`MIDSTREAM_SEPARATOR`, its citations merged into one numbering.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace

from coach.llm.base import ChatMessage, ChatModel, LLMError
from coach.prompts import Prompt, load_prompt
from coach.responders.base import Answer, CitationRef, Delta, Responder, ResponderInput
from coach.responders.blocks import (
    escape,
    language_name,
    learner_message,
    lines_block,
    passages_block,
    strip_markers,
    text_block,
)
from coach.responders.citations import CitationTracker, has_sentence, remap_markers
from coach.responders.grounding import (
    DEFAULT_COVERAGE,
    CoverageConfig,
    assess_coverage,
    not_covered_message,
    number_citations,
)
from retrieval.embedding import Embedder

MIDSTREAM_SEPARATOR = " …\n\n"


class LLMResponder(Responder):
    """Grounded answers written by a chat model, with an offline fallback.

    Args:
        chat_model: the model (its time limits bound every call).
        fallback: answers when the model cannot (usually the offline responder).
        embedder: for coverage when hits lack dense scores.
        prompt: name of the prompt file (``prompts/NAME.yaml``).
        coverage: when to answer at all (the offline responder's default).
        max_passages: passages given to the model at most.
        max_history: recent turns sent as chat messages at most.
    """

    def __init__(
        self,
        chat_model: ChatModel,
        fallback: Responder,
        *,
        embedder: Embedder | None = None,
        prompt: str = "answer",
        coverage: CoverageConfig = DEFAULT_COVERAGE,
        max_passages: int = 5,
        max_history: int = 6,
    ) -> None:
        self.chat_model = chat_model
        self.fallback = fallback
        self.embedder = embedder
        self.prompt: Prompt = load_prompt(prompt)
        self.coverage = coverage
        self.max_passages = max_passages
        self.max_history = max_history
        self.name = f"llm:{chat_model.name}"

    def respond(self, inp: ResponderInput) -> Iterator[Delta | Answer]:
        """Stream the model's answer (or the fallback's), then the final :class:`Answer`."""
        started = time.perf_counter()
        cov = assess_coverage(
            inp.hits,
            query=inp.query or inp.question,
            language=inp.language,
            embedder=self.embedder,
            config=self.coverage,
            stats=inp.term_stats,
        )
        meta: dict[str, object] = {"coverage": cov.reason, "confidence": round(cov.confidence, 3)}
        if not cov.covered:
            closest = cov.closest.citation if cov.closest is not None else None
            text = not_covered_message(inp.language, closest)
            yield text
            meta["ms"] = _ms(started)
            yield Answer(text, (), False, self.name, inp.language, suggestion=closest, meta=meta)
            return
        refs = number_citations(cov.evidence[: self.max_passages])
        tracker = CitationTracker(len(refs))
        try:
            for delta in self.chat_model.stream(self.messages(inp, refs)):
                if shown := tracker.feed(delta):
                    meta.setdefault("first_token_ms", _ms(started))
                    yield shown
            if tail := tracker.flush():
                yield tail
        except LLMError as exc:
            meta["llm_error"] = str(exc)
            if not tracker.text.strip():
                yield from self._fallback(inp, reason=str(exc))
                return
            if tail := tracker.flush():
                yield tail
            if not has_sentence(tracker.text):
                yield from self._complete(inp, tracker, refs, meta, reason=str(exc))
                return
            meta["truncated"] = True
        meta["ms"] = _ms(started)
        yield self._answer(inp, tracker, refs, meta)

    def messages(self, inp: ResponderInput, refs: tuple[CitationRef, ...]) -> list[ChatMessage]:
        """System prompt, recent turns, then passages and question in data blocks."""
        rendered = self.prompt.render(
            language=language_name(inp.language),
            summary=text_block(inp.summary),
            facts=lines_block(inp.learner_facts),
            passages=passages_block(refs),
            question=escape(inp.question.strip()),
            feedback=lines_block(inp.feedback),
        )
        out = [ChatMessage("system", rendered.system)]
        for turn in inp.history[-self.max_history :] if self.max_history else ():
            if turn.role == "user":
                out.append(ChatMessage("user", learner_message(turn.content)))
            else:
                out.append(ChatMessage("assistant", strip_markers(turn.content).strip()))
        out.append(ChatMessage("user", rendered.user))
        return out

    def _answer(
        self,
        inp: ResponderInput,
        tracker: CitationTracker,
        refs: tuple[CitationRef, ...],
        meta: dict[str, object],
    ) -> Answer:
        cited = tuple(replace(refs[n - 1], n=i) for i, n in enumerate(tracker.used, 1))
        if not cited:
            # The prompt asks for an answer without any [n] exactly when the passages do not
            # cover the question: it is a "not covered", whose closest passage is a pointer.
            meta["model_not_covered"] = True
            text = tracker.text.strip()
            return Answer(
                text, (), False, self.name, inp.language, suggestion=refs[0].citation, meta=meta
            )
        return Answer(tracker.text.strip(), cited, True, self.name, inp.language, meta=meta)

    def _fallback(self, inp: ResponderInput, *, reason: str) -> Iterator[Delta | Answer]:
        """The fallback's whole answer, labelled as a fallback."""
        for event in self.fallback.respond(inp):
            if isinstance(event, Answer):
                meta = {**event.meta, "fallback_reason": reason}
                yield replace(event, responder=f"{self.fallback.name} (fallback)", meta=meta)
            else:
                yield event

    def _complete(
        self,
        inp: ResponderInput,
        tracker: CitationTracker,
        refs: tuple[CitationRef, ...],
        meta: dict[str, object],
        *,
        reason: str,
    ) -> Iterator[Delta | Answer]:
        """Less than a sentence was shown: the fallback's answer follows it."""
        offline = self.fallback.answer(inp)
        cited = [replace(refs[n - 1], n=i) for i, n in enumerate(tracker.used, 1)]
        numbers = {c.chunk_id: c.n for c in cited}
        mapping: dict[int, int] = {}
        for ref in offline.citations:
            if ref.chunk_id not in numbers:
                numbers[ref.chunk_id] = len(cited) + 1
                cited.append(replace(ref, n=len(cited) + 1))
            mapping[ref.n] = numbers[ref.chunk_id]
        addition = MIDSTREAM_SEPARATOR + remap_markers(offline.text, mapping)
        yield addition
        meta = {**offline.meta, **meta, "fallback_reason": reason, "partial_llm": True}
        yield replace(
            offline,
            text=(tracker.text + addition).strip(),
            citations=tuple(cited),
            responder=f"{self.fallback.name} (fallback)",
            meta=meta,
        )


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)
