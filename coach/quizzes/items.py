"""The quiz item model: four kinds, one cited passage each, a JSON round trip.

An item is immutable and self-contained: the lead stores ``item.model_dump_json()`` and
reads it back with :meth:`QuizItem.from_json`. Multiple-choice and true/false items keep a
correctness flag per option (so a model's or an author's "two correct answers" can be
represented and then rejected by validation with a reason); :attr:`QuizItem.correct_index`
gives the single correct option of a valid item.
"""

from __future__ import annotations

import hashlib
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from retrieval.types import Citation

ItemKind = Literal["mcq", "true_false", "cloze", "short_answer"]
Difficulty = Literal["easy", "medium", "hard"]
KINDS: tuple[ItemKind, ...] = ("mcq", "true_false", "cloze", "short_answer")
BLANK = "_____"


class Option(BaseModel):
    """One choice of a multiple-choice or true/false item."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str
    correct: bool = False
    feedback: str = ""


class Source(BaseModel):
    """The passage an item is drawn from: its chunk id and full citation."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    chunk_id: str
    course_id: str
    course_title: str = ""
    module_id: str = ""
    module_title: str = ""
    section_title: str = ""
    source_path: str = ""
    anchor: str = ""

    @classmethod
    def from_citation(cls, chunk_id: str, citation: Citation) -> Source:
        return cls(
            chunk_id=chunk_id,
            course_id=citation.course_id,
            course_title=citation.course_title,
            module_id=citation.module_id,
            module_title=citation.module_title,
            section_title=citation.section_title,
            source_path=citation.source_path,
            anchor=citation.anchor,
        )

    @property
    def citation(self) -> Citation:
        return Citation(
            course_id=self.course_id,
            course_title=self.course_title,
            module_id=self.module_id,
            module_title=self.module_title,
            section_title=self.section_title,
            source_path=self.source_path,
            anchor=self.anchor,
        )


class QuizItem(BaseModel):
    """One quiz question.

    Attributes:
        kind: ``mcq`` (3–4 options, one correct), ``true_false`` (two options),
            ``cloze`` (the stem holds ``_____``), ``short_answer`` (free text).
        stem: the question as shown.
        options: choices of ``mcq`` and ``true_false`` items (empty otherwise).
        answer: the correct option's text, the cloze's expected words, or a short
            answer's reference answer.
        accepted: other answers graded correct (cloze variants: plural, no article).
        key_terms: words a short answer should use (coverage part of its grade).
        explanation: why the answer is right, from the passage (shown after answering).
        source: the cited passage.
        skills: skill ids the item practises (the passage's skills, else its module id).
        generator: ``offline`` or ``llm:MODEL``.
        difficulty: a hint for sequencing, not a calibrated measure.
        language: language of the item (``en``, ``fr``).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: ItemKind
    stem: str
    options: tuple[Option, ...] = ()
    answer: str
    accepted: tuple[str, ...] = ()
    key_terms: tuple[str, ...] = ()
    explanation: str = ""
    source: Source
    skills: tuple[str, ...] = ()
    generator: str = "offline"
    difficulty: Difficulty = "medium"
    language: str = "en"
    id: str = Field(default="", description="stable id; derived from the content when empty")

    def model_post_init(self, context: object, /) -> None:
        if not self.id:
            basis = "\x1f".join(
                [self.kind, self.stem, self.answer, self.source.chunk_id]
                + [o.text for o in self.options]
            )
            digest = hashlib.blake2b(basis.encode(), digest_size=8).hexdigest()
            object.__setattr__(self, "id", f"q-{digest}")

    @property
    def correct_index(self) -> int | None:
        """Index of the single correct option (None without exactly one)."""
        flagged = [i for i, o in enumerate(self.options) if o.correct]
        return flagged[0] if len(flagged) == 1 else None

    @property
    def correct_text(self) -> str:
        """The text a learner must give or pick."""
        index = self.correct_index
        return self.options[index].text if index is not None else self.answer

    def to_json(self) -> str:
        return self.model_dump_json()

    @classmethod
    def from_json(cls, data: str | bytes) -> QuizItem:
        return cls.model_validate_json(data)
