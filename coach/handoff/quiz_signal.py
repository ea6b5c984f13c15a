"""Repeated failure read from quiz attempts: the same skill wrong several times in a row,
at least once after a hint, within a recent window."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from coach.org_settings import HandoffSettings
from coach.storage.handoff import last_offer
from coach.storage.models import QuizAttempt, utcnow
from coach.storage.quizzes import list_attempts


def failing_skill(
    session: Session, *, user_id: str, settings: HandoffSettings, now: datetime | None = None
) -> str | None:
    """A skill the learner keeps failing and was not offered a person for lately, or None."""
    now = now or utcnow()
    since = now - timedelta(days=settings.failure_window_days)
    runs: dict[str, list[QuizAttempt]] = defaultdict(list)
    for attempt in list_attempts(session, user_id=user_id):
        if attempt.created_at < since:
            continue
        for skill in attempt.skills:
            # a correct answer ends the run of failures on that skill
            runs[skill] = [] if attempt.correct else [*runs[skill], attempt]
    recent = now - timedelta(days=settings.reoffer_days)
    for skill, run in sorted(runs.items()):
        if len(run) >= settings.failed_attempts and any(a.hints_used > 0 for a in run):
            if last_offer(
                session, user_id=user_id, signal="repeated_failure", skill=skill, since=recent
            ):
                continue
            return skill
    return None
