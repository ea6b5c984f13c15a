"""What each organisation decides for itself: manager visibility, surveys, nudges, privacy.

Stored as JSON on the organisation's row and validated here on every read and write, so a
bad value is refused with the field's name (HTTP 422 / a CLI message) and never stored.
Each section belongs to one area: ``managers`` (coach.managers), ``surveys``
(coach.surveys), ``nudges`` (coach.nudges), ``handoff``, ``insights`` and ``privacy``
(coach.privacy). Missing keys take the defaults below, so adding a setting needs no
migration.
"""

from __future__ import annotations

from datetime import time
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, field_validator, model_validator

# A wall-clock time without an offset ("20:00:00"): JSON Schema's "time" format needs one.
LocalTime = Annotated[
    time,
    WithJsonSchema({"type": "string", "pattern": r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$"}),
]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class ManagerSettings(_Section):
    """What a manager sees of their reports (works councils and DPOs decide this)."""

    visibility: Literal["individual", "aggregates"] = "individual"
    """``individual``: each report's path, progress and mastery; ``aggregates``: team
    figures only, and only over at least ``min_group_size`` people."""
    min_group_size: int = Field(5, ge=2, le=1000)
    include_indirect: bool = False
    """Whether a manager also sees their reports' reports (and further down)."""
    application_delay_days: int = Field(30, ge=1, le=365)
    """Days after a step that teaches a skill before the manager is asked whether the
    learner applies it on the job."""


class SurveySettings(_Section):
    """Hot and cold evaluation timing."""

    hot_close_days: int = Field(14, ge=1, le=120)
    """A hot survey (right after a session or module) closes after this many days."""
    cold_after_days: list[int] = Field(default_factory=lambda: [30, 60])
    """Cold surveys open this many days after the step (D+30 and D+60 by default)."""
    cold_close_days: int = Field(21, ge=1, le=180)
    reminder_days_before_close: list[int] = Field(default_factory=lambda: [3])
    """An unanswered survey is recalled this many days before it closes (nudge engine)."""

    @field_validator("reminder_days_before_close")
    @classmethod
    def _reminder_days(cls, days: list[int]) -> list[int]:
        if any(d < 0 or d > 180 for d in days):
            raise ValueError("reminder_days_before_close: whole days between 0 and 180")
        return sorted(set(days), reverse=True)

    @field_validator("cold_after_days")
    @classmethod
    def _sorted_positive(cls, days: list[int]) -> list[int]:
        if not days or any(d < 1 or d > 730 for d in days):
            raise ValueError("cold_after_days: one or more whole days between 1 and 730")
        return sorted(set(days))


class NudgeSettings(_Section):
    """The nudges' guard rails and the hold-out group that measures whether they work."""

    enabled: bool = True
    max_per_week: int = Field(3, ge=0, le=50)
    """At most this many nudges per learner per rolling 7 days, all channels together."""
    quiet_start: LocalTime = time(20, 0)
    quiet_end: LocalTime = time(8, 0)
    """Nothing is sent between ``quiet_start`` and ``quiet_end``, in the learner's time zone."""
    timezone: str = "Europe/Paris"
    """The organisation's time zone, for learners who have none of their own."""
    holdout_share: float = Field(0.1, ge=0.0, le=0.5)
    """Share of learners (drawn at random within each team) who receive no nudges."""
    holdout_seed: int = 0

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, name: str) -> str:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError) as err:
            raise ValueError(f"unknown time zone {name!r} (use an IANA name)") from err
        return name

    @model_validator(mode="after")
    def _quiet_window(self) -> NudgeSettings:
        if self.quiet_start == self.quiet_end and self.quiet_start != time(0, 0):
            raise ValueError("quiet_start and quiet_end are equal: no quiet hours is 00:00-00:00")
        return self


class InsightSettings(_Section):
    """Content gap insights (coach.insights): who may be counted, over what period."""

    min_learners: int = Field(3, ge=1, le=1000)
    """A topic of uncovered questions is shown only when this many distinct learners asked."""
    period_days: int = Field(90, ge=1, le=730)
    """Questions and content use of the last this many days are analysed."""


class HandoffContact(_Section):
    """The person or service learners are pointed to for sensitive topics (HR, listening)."""

    name: str = Field(min_length=1, max_length=200)
    email: str | None = Field(None, max_length=320)
    phone: str | None = Field(None, max_length=50)
    hours: str = Field("", max_length=200)
    """When they can be reached ("Mon-Fri 9:00-17:00")."""


class HandoffSettings(_Section):
    """Hand-off to a human (the ``handoff`` section, coach.handoff): who to point to for
    sensitive topics, and when quiz failures call a person."""

    contacts: dict[Literal["en", "fr"], HandoffContact] = Field(default_factory=dict)
    """The HR / listening contact per language; without one the coach names the role only."""
    failed_attempts: int = Field(3, ge=2, le=20)
    """Wrong quiz answers in a row on one skill, one of them after a hint, that call a person."""
    failure_window_days: int = Field(14, ge=1, le=90)
    reoffer_days: int = Field(7, ge=0, le=90)
    """Days before repeated quiz failure on the same skill is offered a person again."""


class PrivacySettings(_Section):
    """Data protection (the ``privacy`` section, coach.privacy): how long conversations are
    kept. See docs/privacy.md."""

    conversation_retention_days: int | None = Field(None, ge=1, le=3650)
    """Conversations not continued for this many days are deleted with their messages by
    the retention sweep (``blendcoach privacy sweep``); None keeps them until the learner
    or an admin erases them."""


class OrgSettings(_Section):
    """Every section; ``OrgSettings.model_validate(org.settings)`` reads a stored value."""

    managers: ManagerSettings = Field(default_factory=ManagerSettings)
    surveys: SurveySettings = Field(default_factory=SurveySettings)
    nudges: NudgeSettings = Field(default_factory=NudgeSettings)
    handoff: HandoffSettings = Field(default_factory=HandoffSettings)
    insights: InsightSettings = Field(default_factory=InsightSettings)
    privacy: PrivacySettings = Field(default_factory=PrivacySettings)

    def merged(self, patch: dict[str, Any]) -> OrgSettings:
        """These settings with ``patch`` (section → fields) applied, validated as a whole."""
        data = self.model_dump(mode="json")
        for section, fields in patch.items():
            if not isinstance(fields, dict) or section not in data:
                raise ValueError(f"unknown settings section {section!r}")
            data[section].update(fields)
        return OrgSettings.model_validate(data)
