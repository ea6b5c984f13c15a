"""Quiz, mastery and review API schemas, named by role.

A learner never receives an item's answer before answering it: :class:`ItemPublic` has the
stem and options only; :class:`AnswerResult` reveals the answer with the feedback.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from coach.schemas import CitationPublic

ItemKind = Literal["mcq", "true_false", "cloze", "short_answer"]


class QuizCreate(BaseModel):
    """What to quiz on: a course, a module, a skill, or a conversation's topic.

    With no scope the quiz is adaptive: it targets the learner's weakest skills among
    their goals and what is due for review.
    """

    course_id: str | None = Field(None, max_length=255)
    module_id: str | None = Field(None, max_length=255)
    skill: str | None = Field(None, max_length=255)
    conversation_id: str | None = Field(None, max_length=64)
    n: int = Field(5, ge=1, le=20, description="Items wanted (fewer when the content is short)")
    kinds: list[ItemKind] | None = Field(None, description="Only these kinds of item")

    @model_validator(mode="after")
    def _module_needs_course(self) -> QuizCreate:
        if self.module_id is not None and self.course_id is None:
            raise ValueError("module_id needs its course_id")
        return self


class ItemPublic(BaseModel):
    """An item as the learner sees it before answering."""

    id: str
    kind: ItemKind
    stem: str
    options: list[str] = Field(default_factory=list, description="For mcq and true_false")
    skills: list[str]
    citation: CitationPublic
    chunk_id: str
    answered: bool = False
    correct: bool | None = Field(None, description="Once answered: whether it was graded right")


class QuizPublic(BaseModel):
    id: str
    scope: dict[str, str | None]
    items: list[ItemPublic]
    created_at: datetime
    completed_at: datetime | None


class AnswerCreate(BaseModel):
    """An answer: ``choice`` (option index) for mcq/true_false, ``text`` for cloze/short."""

    item_id: str = Field(max_length=64)
    choice: int | None = Field(None, ge=0, le=9)
    text: str | None = Field(None, max_length=2000)
    time_taken_ms: int | None = Field(
        None, ge=0, le=86_400_000, description="Time spent, as the client measured it"
    )


class SkillMasteryPublic(BaseModel):
    """A learner's estimate for one skill: probability of mastery and its interval."""

    skill: str
    p_mastery: float
    low: float
    high: float
    n_attempts: int
    updated_at: datetime | None = None


class AnswerResult(BaseModel):
    """The graded answer, with the feedback, the right answer and where it comes from."""

    item_id: str
    correct: bool
    score: float
    confidence: float
    feedback: str
    correct_answer: str
    explanation: str
    citation: CitationPublic
    chunk_id: str
    hints_used: int
    mastery: list[SkillMasteryPublic]
    next_review: datetime
    quiz_completed: bool


class HintCreate(BaseModel):
    item_id: str = Field(max_length=64)


class HintPublic(BaseModel):
    """A hint or guiding question that does not give the answer away."""

    item_id: str
    level: int
    hint: str


class MasteryList(BaseModel):
    user_id: str
    skills: list[SkillMasteryPublic]


class ReviewDue(BaseModel):
    item: ItemPublic
    due: datetime
    reviews: int


class ReviewList(BaseModel):
    items: list[ReviewDue]
