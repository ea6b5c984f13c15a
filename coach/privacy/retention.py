"""The retention sweep: each organisation's conversations older than its
``privacy.conversation_retention_days`` are deleted with their messages, and the counts are
logged (``privacy.retention`` on the organisation's event log).

Run by ``blendcoach privacy sweep`` (daily, from cron or any scheduler). :class:`RetentionSweep`
is the same sweep as a nudge source, for the daily nudge planning run to do it first (as
the surveys' sweep does): see docs/privacy.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from coach import storage
from coach.storage import retention
from coach.storage.models import utcnow

if TYPE_CHECKING:
    from coach.nudges.candidate import Candidate


@dataclass(frozen=True, slots=True)
class RetentionResult:
    """One organisation's sweep (``days`` None: it keeps conversations, nothing swept)."""

    org_id: str
    days: int | None
    before: datetime | None
    conversations: int = 0
    messages: int = 0


def sweep_org(session: Session, *, org_id: str, now: datetime | None = None) -> RetentionResult:
    """Delete the organisation's conversations not continued within its retention period."""
    days = storage.org_settings(session, org_id=org_id).privacy.conversation_retention_days
    if days is None:
        return RetentionResult(org_id, None, None)
    before = (now or utcnow()) - timedelta(days=days)
    conversations, messages = retention.delete_conversations_before(
        session, org_id=org_id, before=before
    )
    storage.log_event(
        session,
        org_id=org_id,
        type="privacy.retention",
        payload={
            "days": days,
            "before": before.isoformat(),
            "conversations": conversations,
            "messages": messages,
        },
    )
    return RetentionResult(org_id, days, before, conversations, messages)


def sweep_all(session: Session, *, now: datetime | None = None) -> list[RetentionResult]:
    """Sweep every organisation (those keeping conversations come back with ``days`` None)."""
    now = now or utcnow()
    return [sweep_org(session, org_id=o.id, now=now) for o in storage.list_organisations(session)]


class RetentionSweep:
    """A nudge :class:`~coach.nudges.candidate.Source` that proposes nothing and sweeps the
    organisation's expired conversations first (the planned day's midnight UTC is "now")."""

    def candidates(self, session: Session, *, org_id: str, day: date) -> Iterator[Candidate]:
        """No nudges: the sweep is the point."""
        sweep_org(session, org_id=org_id, now=datetime.combine(day, time(0), UTC))
        return iter(())
