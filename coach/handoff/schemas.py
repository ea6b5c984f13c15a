"""Hand-off API schemas, named by role."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class HandoffPublic(BaseModel):
    """A hand-off as its learner (or, once consented, its trainer) sees it."""

    id: str
    status: str = Field(description="offered, consented, declined or withdrawn")
    signal: str
    subtopic: str | None
    skill: str | None
    options: list[dict[str, Any]] = Field(description="trainer, coaching or contact options")
    recipient_id: str | None
    note: str
    share_conversation: bool
    summary: dict[str, Any] | None = Field(description="What the trainer receives (consented)")
    conversation_id: str | None
    message_id: str | None
    created_at: datetime
    answered_at: datetime | None
    withdrawn_at: datetime | None


class HandoffList(BaseModel):
    handoffs: list[HandoffPublic]


class ConsentCreate(BaseModel):
    """The learner's explicit consent to send a summary to one offered trainer."""

    recipient_id: str = Field(max_length=64, description="An offered trainer's user id")
    note: str = Field(
        "", max_length=2000, description="In the learner's words: what they struggle with"
    )
    share_conversation: bool = Field(
        False, description="Also send this conversation (off unless the learner ticks it)"
    )


class NoticePublic(BaseModel):
    id: int
    handoff_id: str
    kind: str = Field(description="new or withdrawn")
    created_at: datetime


class NoticeList(BaseModel):
    notices: list[NoticePublic]


class HandoffExport(BaseModel):
    """Every hand-off and consent of the learner, with the audit trail."""

    handoffs: list[HandoffPublic]
    audit: list[dict[str, Any]]
