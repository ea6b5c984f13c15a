"""The evidence mastery is replayed from, read for a mastery history.

``skill_mastery`` keeps only each learner's current estimate; what it was on a past day is
reconstructed by replaying the graded attempts (imported history and quiz attempts, the
rows :func:`coach.storage.mastery.evidence` gives the learner model) up to that day, as
``blendcoach mastery fit`` replays them (see :mod:`coach.learning.mastery_history`).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from coach.storage.models import HistoryAttempt, Quiz, QuizAttempt, SkillMastery, User

EvidenceRow = tuple[str, str, bool, datetime]
"""(user id, skill, correct, when)."""


def skill_evidence(
    session: Session, *, org_id: str, user_ids: Collection[str] | None = None
) -> list[EvidenceRow]:
    """The organisation's graded attempts, one row per skill practised, in time order per
    learner (imported history before quiz attempts at the same instant), as
    :func:`coach.storage.mastery.evidence` orders them; only ``user_ids``' when given."""
    if user_ids is not None and not user_ids:
        return []
    h = select(HistoryAttempt.user_id, HistoryAttempt.skill, HistoryAttempt.correct,
               HistoryAttempt.occurred_at).where(HistoryAttempt.org_id == org_id)  # fmt: skip
    a = (
        select(QuizAttempt.user_id, QuizAttempt.skills, QuizAttempt.correct, QuizAttempt.created_at)
        .join(Quiz, Quiz.id == QuizAttempt.quiz_id)
        .where(Quiz.org_id == org_id)
    )
    if user_ids is not None:
        h = h.where(HistoryAttempt.user_id.in_(list(user_ids)))
        a = a.where(QuizAttempt.user_id.in_(list(user_ids)))
    rows: list[EvidenceRow] = [(u, s, bool(c), t) for u, s, c, t in session.execute(h)]
    for u, skills, c, t in session.execute(a):
        rows += [(u, s, bool(c), t) for s in skills or ()]
    rows.sort(key=lambda r: (r[0], r[3]))
    return rows


def mastery_changed_since(
    session: Session, *, org_id: str, since: datetime
) -> list[tuple[str, str]]:
    """(user id, skill) of the organisation's mastery estimates updated at or after
    ``since`` (the learner-wide row ``*`` left out)."""
    query = (
        select(SkillMastery.user_id, SkillMastery.skill)
        .join(User, User.id == SkillMastery.user_id)
        .where(User.org_id == org_id, SkillMastery.updated_at >= since, SkillMastery.skill != "*")
    )
    return [(u, s) for u, s in session.execute(query)]
