"""The nudge API's shapes: notifications, preferences, the effect report."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

ChannelName = Literal["feed", "email", "webhook"]


class NotificationPublic(BaseModel):
    """One in-widget notification."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    kind: str
    subject: str
    body: str
    link: str
    reason: str
    sent_at: datetime | None
    read_at: datetime | None


class NotificationList(BaseModel):
    items: list[NotificationPublic]
    unread: int


class PreferencesPublic(BaseModel):
    """Which channels the user opted out of, and their own webhook URL."""

    opted_out: list[ChannelName] = Field(default_factory=list)
    webhook_url: str | None = None


class PreferencesUpdate(BaseModel):
    """A change of preferences: fields left out stay as they are (``webhook_url: null``
    removes the webhook)."""

    model_config = ConfigDict(extra="forbid")

    opted_out: list[ChannelName] | None = None
    webhook_url: str | None = Field(None, max_length=1000)
