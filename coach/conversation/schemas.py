"""Chat API schemas, named by role."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from coach.schemas import CitationPublic


class ChatCreate(BaseModel):
    """A learner's message; a new conversation starts when ``conversation_id`` is null."""

    message: str = Field(description="The learner's message (1–4000 characters)")
    conversation_id: str | None = Field(None, max_length=64)
    course_id: str | None = Field(
        None, max_length=200, description="Answer from this course only (the LMS page's course)"
    )
    quiz_id: str | None = Field(
        None, max_length=64, description="A quiz in progress: the coach guides, never answers it"
    )
    item_id: str | None = Field(None, max_length=64, description="The open item of ``quiz_id``")

    @model_validator(mode="after")
    def _quiz_needs_item(self) -> ChatCreate:
        if (self.quiz_id is None) != (self.item_id is None):
            raise ValueError("quiz_id and item_id go together")
        return self


class AnswerCitation(CitationPublic):
    """A numbered citation: ``[n]`` in the answer text points to it."""

    n: int
    chunk_id: str
    quote: str = ""


class ChatPublic(BaseModel):
    """The coach's answer to one message."""

    conversation_id: str
    message_id: str
    user_message_id: str
    answer: str
    citations: list[AnswerCitation]
    covered: bool = Field(description="False when the courses do not cover the question")
    responder: str
    degraded: bool = Field(
        False,
        description="The LLM endpoint failed (down, timed out, circuit open): the answer is "
        "the offline responder's, or the model's cut short",
    )
    language: str
    suggestion: CitationPublic | None = Field(
        None, description="When not covered: the closest module worth a look"
    )


class FeedbackCreate(BaseModel):
    """Thumbs up (1) or down (-1), with an optional comment."""

    rating: Literal[1, -1]
    comment: str | None = Field(None, max_length=2000)


class FeedbackPublic(BaseModel):
    message_id: str
    rating: int
    comment: str | None
    updated_at: datetime


class MessagePublic(BaseModel):
    id: str
    role: Literal["user", "assistant"]
    content: str
    citations: list[AnswerCitation]
    language: str | None
    covered: bool | None
    responder: str | None
    created_at: datetime
    feedback: FeedbackPublic | None = None


class ConversationSummary(BaseModel):
    id: str
    title: str
    course_id: str | None
    user_id: str
    created_at: datetime
    updated_at: datetime


class ConversationList(BaseModel):
    conversations: list[ConversationSummary]


class ConversationPublic(ConversationSummary):
    messages: list[MessagePublic]


class ChunkPublic(BaseModel):
    """The passage behind a citation."""

    chunk_id: str
    text: str
    language: str
    citation: CitationPublic
