"""What any part of the service hands the nudge engine: a nudge it would like sent.

The contract between the engine (``coach.nudges``) and the parts that need someone
reminded of something (surveys: an open survey; managers: a pending application
confirmation). A source yields candidates; the engine applies the guard rails (rate limit,
quiet hours, opt-outs, hold-out, cancelled sessions, duplicates), renders the template of
``kind`` in the recipient's language, and delivers it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy.orm import Session


@dataclass(frozen=True, slots=True)
class Candidate:
    """One nudge a rule or a source proposes for one recipient."""

    org_id: str
    user_id: str
    """The recipient (a learner, or a manager for their report's confirmation)."""
    kind: str
    """The template's name, e.g. ``session.d7``, ``survey.hot.open``."""
    key: str
    """Identifies this nudge across runs and retries: the same key is never sent twice."""
    not_before: datetime
    """The earliest moment to send it (UTC); quiet hours may push it later."""
    reason: str
    """Why this learner gets it now, in plain words for the audit (never shown as filler)."""
    link: str
    """The deep link (a path under the service's public URL) the nudge opens."""
    params: Mapping[str, Any] = field(default_factory=dict)
    """The template's variables (titles, dates, counts)."""
    priority: int = 50
    """Higher first when the weekly limit cannot take every candidate."""
    expires_at: datetime | None = None
    """Not worth sending after this moment (the session started, the survey closed)."""
    session_id: str | None = None
    """The catalog session it is about; nothing is sent once that session is cancelled."""
    about: str | None = None
    """The learner it is about when the recipient is someone else (their manager): a
    hold-out learner's manager is not told either."""


class Source(Protocol):
    """Anything that proposes nudges for one organisation and day."""

    def candidates(self, session: Session, *, org_id: str, day: date) -> Iterable[Candidate]:
        """The nudges this source proposes for ``day`` (may read the database)."""
        ...
