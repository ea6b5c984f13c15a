"""The summary a consented hand-off sends: what the learner works on, not what they said.

Skills with their mastery, the recent quiz results and the learner's own words about what
they struggle with (``note``, written or approved by them at consent). The conversation is
included only when the learner ticks "share this conversation".
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from coach import storage
from coach.storage.handoff_models import Handoff
from coach.storage.quizzes import list_attempts

RECENT_ATTEMPTS = 10
MAX_SKILLS = 10


def build_summary(
    session: Session, *, handoff: Handoff, note: str, share_conversation: bool
) -> dict[str, Any]:
    """The summary for ``handoff``'s learner, as sent to the chosen trainer."""
    user = storage.get_user(session, user_id=handoff.user_id)
    attempts = list_attempts(session, user_id=handoff.user_id)[-RECENT_ATTEMPTS:]
    mastery = [m for m in storage.list_mastery(session, user_id=handoff.user_id) if m.skill != "*"]
    mastery.sort(key=lambda m: m.updated_at, reverse=True)
    summary: dict[str, Any] = {
        "learner": user.display_name,
        "reason": handoff.signal,
        "skill": handoff.skill,
        "skills": [
            {
                "skill": m.skill,
                "mastery": round(m.p_mastery, 2),
                "low": round(m.low, 2),
                "high": round(m.high, 2),
                "attempts": m.n_attempts,
            }
            for m in mastery[:MAX_SKILLS]
        ],
        "recent_quiz_results": [
            {
                "at": a.created_at.isoformat(),
                "skills": list(a.skills),
                "correct": a.correct,
                "score": a.score,
                "hints_used": a.hints_used,
            }
            for a in reversed(attempts)
        ],
        "struggle": note,
    }
    if share_conversation and handoff.conversation_id is not None:
        summary["conversation"] = [
            {"role": m.role, "content": m.content}
            for m in storage.list_messages(session, conversation_id=handoff.conversation_id)
        ]
    return summary
