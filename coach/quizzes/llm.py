"""LLM question generation: the ``quiz`` prompt, strict JSON parsing, bounded retries.

Passages go to the model as escaped, numbered data blocks (a passage saying "ignore your
instructions" stays course text). The reply must be one JSON object matching
:class:`QuizReply`; an invalid reply is sent back with the parse error, at most
``max_attempts`` times in all. When the model fails (an :class:`~coach.llm.LLMError`) or
never produces valid output, the offline generator writes the quiz instead and the outcome
says why.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from coach.llm.base import ChatMessage, ChatModel, LLMError
from coach.prompts import Prompt, load_prompt
from coach.quizzes.generate import Passage, QuizGenerator
from coach.quizzes.items import KINDS, Difficulty, ItemKind, Option, QuizItem, Source
from coach.responders.blocks import attribute, escape, language_name

_FENCE = re.compile(r"^```(?:json)?\s*\n(?P<body>.*)\n```$", re.DOTALL)


class OptionReply(BaseModel):
    """An option as the model writes it."""

    model_config = ConfigDict(extra="forbid", strict=True)

    text: str = Field(min_length=1)
    correct: bool


class ItemReply(BaseModel):
    """An item as the model writes it."""

    model_config = ConfigDict(extra="forbid", strict=True)

    kind: ItemKind
    passage: int = Field(ge=1)
    stem: str = Field(min_length=1)
    options: list[OptionReply] = []
    answer: str = ""
    accepted: list[str] = []
    key_terms: list[str] = []
    explanation: str = ""
    difficulty: Difficulty = "medium"


class QuizReply(BaseModel):
    """The whole reply: ``{"items": [...]}``."""

    model_config = ConfigDict(extra="forbid", strict=True)

    items: list[ItemReply] = Field(min_length=1)


@dataclass(frozen=True, slots=True)
class LLMGeneration:
    """What an LLM generation did: items, model calls made, and why it fell back (if it did)."""

    items: list[QuizItem]
    attempts: int
    fallback_reason: str | None = None
    errors: tuple[str, ...] = ()


class LLMQuizGenerator(QuizGenerator):
    """Quiz items written by a chat model, with an offline fallback.

    Args:
        chat_model: the model (its time limits bound each call).
        fallback: writes the quiz when the model cannot (usually :class:`OfflineGenerator`).
        max_attempts: model calls per quiz at most (the first one and the retries).
        max_passages: passages shown to the model at most (a seeded sample of the scope).
        max_passage_words: each passage is cut to this many words.
        prompt: the prompt file's name.
    """

    def __init__(
        self,
        chat_model: ChatModel,
        fallback: QuizGenerator,
        *,
        max_attempts: int = 3,
        max_passages: int = 8,
        max_passage_words: int = 350,
        prompt: str = "quiz",
    ) -> None:
        self.chat_model = chat_model
        self.fallback = fallback
        self.max_attempts = max_attempts
        self.max_passages = max_passages
        self.max_passage_words = max_passage_words
        self.prompt: Prompt = load_prompt(prompt)
        self.name = f"llm:{chat_model.name}"

    def generate(
        self, passages: Sequence[Passage], n: int, *, seed: int = 0, pool: Sequence[Passage] = ()
    ) -> list[QuizItem]:
        return self.run(passages, n, seed=seed, pool=pool).items

    def run(
        self,
        passages: Sequence[Passage],
        n: int,
        *,
        seed: int = 0,
        pool: Sequence[Passage] = (),
        kinds: Sequence[ItemKind] = KINDS,
    ) -> LLMGeneration:
        """Generate with the model; the outcome records attempts, errors and any fallback."""
        shown = list(passages)
        if len(shown) > self.max_passages:
            keep = sorted(random.Random(seed).sample(range(len(shown)), self.max_passages))
            shown = [passages[i] for i in keep]
        messages = self.messages(shown, n, kinds)
        errors: list[str] = []
        attempts = 0
        while attempts < self.max_attempts:
            attempts += 1
            try:
                # Streamed: the first-token limit applies, and no idle connection is left.
                reply = "".join(self.chat_model.stream(messages)).strip()
            except LLMError as exc:
                errors.append(str(exc))
                return self._fallback(
                    passages, n, seed, pool, attempts, f"llm_error: {exc}", errors
                )
            try:
                items = self.parse(reply, shown)
            except ValueError as exc:
                error = _short(exc)
                errors.append(error)
                messages = [
                    *messages,
                    ChatMessage("assistant", reply),
                    ChatMessage(
                        "user",
                        f"That reply was not valid: {escape(error)}. Reply again with only "
                        'the JSON object {"items": [...]} described above, nothing else.',
                    ),
                ]
                continue
            return LLMGeneration(items[:n], attempts, None, tuple(errors))
        return self._fallback(passages, n, seed, pool, attempts, "invalid_output", errors)

    def messages(
        self, passages: Sequence[Passage], n: int, kinds: Sequence[ItemKind] = KINDS
    ) -> list[ChatMessage]:
        """System prompt, then the passages in escaped data blocks."""
        language = passages[0].language if passages else "en"
        rendered = self.prompt.render(
            language=language_name(language),
            n_items=str(n),
            kinds=", ".join(f'"{k}"' for k in kinds),
            passages=self._block(passages),
        )
        return [ChatMessage("system", rendered.system), ChatMessage("user", rendered.user)]

    def _block(self, passages: Sequence[Passage]) -> str:
        parts = []
        for n, p in enumerate(passages, 1):
            text = " ".join(p.text.split()[: self.max_passage_words])
            parts.append(
                f'<passage n="{n}" source="{attribute(p.citation.breadcrumb)}">\n'
                f"{escape(text)}\n</passage>"
            )
        return "\n".join(parts)

    def parse(self, reply: str, passages: Sequence[Passage]) -> list[QuizItem]:
        """Items from the model's reply; ``ValueError`` when it does not match the schema."""
        text = reply.strip()
        if fenced := _FENCE.match(text):
            text = fenced["body"]
        try:
            parsed = QuizReply.model_validate_json(text)
        except ValidationError as exc:
            raise ValueError(str(exc)) from exc
        items = []
        for out in parsed.items:
            if out.passage > len(passages):
                raise ValueError(f"item cites passage {out.passage}; there are {len(passages)}")
            items.append(self._item(out, passages[out.passage - 1]))
        return items

    def _item(self, out: ItemReply, passage: Passage) -> QuizItem:
        options = tuple(Option(text=o.text.strip(), correct=o.correct) for o in out.options)
        flagged = [o.text for o in options if o.correct]
        answer = flagged[0] if len(flagged) == 1 else out.answer.strip()
        return QuizItem(
            kind=out.kind,
            stem=out.stem.strip(),
            options=options,
            answer=answer,
            accepted=tuple(a.strip() for a in out.accepted if a.strip()),
            key_terms=tuple(t.strip() for t in out.key_terms if t.strip()),
            explanation=out.explanation.strip(),
            source=Source.from_citation(passage.chunk_id, passage.citation),
            skills=tuple(passage.skills) or (passage.citation.module_id,),
            generator=self.name,
            difficulty=out.difficulty,
            language=passage.language,
        )

    def _fallback(
        self,
        passages: Sequence[Passage],
        n: int,
        seed: int,
        pool: Sequence[Passage],
        attempts: int,
        reason: str,
        errors: list[str],
    ) -> LLMGeneration:
        items = self.fallback.generate(passages, n, seed=seed, pool=pool)
        return LLMGeneration(items, attempts, reason, tuple(errors))


def _short(exc: Exception) -> str:
    return " ".join(str(exc).split())[:300]
