"""Per-skill mastery, spaced-review cards and the fitted learner-model parameters.

A learner reads their own mastery and reviews; admins and reviewers of the organisation
read any of its learners' mastery (what review and the dashboards need).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from coach.storage.access import Forbidden, NotFound, Viewer
from coach.storage.models import (
    HistoryAttempt,
    MasteryModel,
    Quiz,
    QuizAttempt,
    QuizItem,
    ReviewCard,
    SkillMastery,
    User,
    utcnow,
)


def check_mastery_reader(session: Session, *, viewer: Viewer, user_id: str) -> User:
    """The learner whose mastery ``viewer`` asks for, if they may read it.

    Raises:
        Forbidden: a learner asking for someone else's (decided on the role alone).
        NotFound: no such user in the viewer's organisation.
    """
    if user_id != viewer.id and viewer.role == "learner":
        raise Forbidden("only admins and reviewers can read another learner's mastery")
    user = session.get(User, user_id)
    if user is None or user.org_id != viewer.org_id:
        raise NotFound("learner not found")
    return user


def list_mastery(session: Session, *, user_id: str) -> list[SkillMastery]:
    """A learner's skills, weakest first."""
    query = select(SkillMastery).where(SkillMastery.user_id == user_id)
    return list(session.scalars(query.order_by(SkillMastery.p_mastery, SkillMastery.skill)))


def mastery_rows(
    session: Session, *, user_id: str, skills: Sequence[str]
) -> dict[str, SkillMastery]:
    """The stored rows of these skills (missing skills are absent)."""
    if not skills:
        return {}
    query = select(SkillMastery).where(
        SkillMastery.user_id == user_id, SkillMastery.skill.in_(list(skills))
    )
    return {row.skill: row for row in session.scalars(query)}


def save_mastery(
    session: Session,
    *,
    user_id: str,
    skill: str,
    state: dict[str, Any],
    p_mastery: float,
    low: float,
    high: float,
    n_attempts: int,
) -> SkillMastery:
    """Insert or replace a learner's estimate of one skill."""
    row = session.get(SkillMastery, (user_id, skill))
    if row is None:
        row = SkillMastery(user_id=user_id, skill=skill)
        session.add(row)
    row.state, row.p_mastery, row.low, row.high = state, p_mastery, low, high
    row.n_attempts = n_attempts
    row.updated_at = utcnow()
    session.flush()
    return row


def get_card(session: Session, *, user_id: str, item_id: str) -> ReviewCard | None:
    """The learner's review card of an item, if they answered it before."""
    return session.get(ReviewCard, (user_id, item_id))


def save_card(
    session: Session,
    *,
    user_id: str,
    item_id: str,
    card: dict[str, Any],
    due: datetime,
    reviewed_at: datetime,
) -> ReviewCard:
    """Insert or update a learner's review card of an item after a review."""
    row = session.get(ReviewCard, (user_id, item_id))
    if row is None:
        row = ReviewCard(user_id=user_id, item_id=item_id, reviews=0)
        session.add(row)
    row.card, row.due, row.last_review = card, due, reviewed_at
    row.reviews = (row.reviews or 0) + 1
    session.flush()
    return row


def due_cards(
    session: Session, *, user_id: str, until: datetime, limit: int = 50
) -> list[ReviewCard]:
    """Cards due by ``until``, most overdue first."""
    query = (
        select(ReviewCard)
        .where(ReviewCard.user_id == user_id, ReviewCard.due <= until)
        .order_by(ReviewCard.due, ReviewCard.item_id)
        .limit(limit)
    )
    return list(session.scalars(query))


def model_fitted_at(session: Session, *, org_id: str) -> datetime | None:
    """When the organisation's parameters were last fitted (without loading them)."""
    return session.scalar(select(MasteryModel.fitted_at).where(MasteryModel.org_id == org_id))


def due_items(
    session: Session, *, user_id: str, until: datetime, limit: int = 50
) -> list[tuple[ReviewCard, QuizItem]]:
    """Active items due for review by ``until`` with their cards, most overdue first."""
    query = (
        select(ReviewCard, QuizItem)
        .join(QuizItem, QuizItem.id == ReviewCard.item_id)
        .where(ReviewCard.user_id == user_id, ReviewCard.due <= until)
        .where(QuizItem.status == "active")
        .order_by(ReviewCard.due, ReviewCard.item_id)
        .limit(limit)
    )
    return [(card, item) for card, item in session.execute(query)]


def get_model_params(session: Session, *, org_id: str) -> MasteryModel | None:
    """The parameters last fitted on the organisation's attempts, if any."""
    return session.get(MasteryModel, org_id)


def save_model_params(
    session: Session, *, org_id: str, params: dict[str, Any], n_attempts: int
) -> MasteryModel:
    """Keep the parameters fitted on an organisation's attempts (replacing older ones)."""
    row = session.get(MasteryModel, org_id)
    if row is None:
        row = MasteryModel(org_id=org_id)
        session.add(row)
    row.params, row.n_attempts, row.fitted_at = params, n_attempts, utcnow()
    session.flush()
    return row


def add_history(
    session: Session,
    *,
    org_id: str,
    user_id: str,
    skill: str,
    correct: bool,
    occurred_at: datetime,
    source: str = "import",
) -> HistoryAttempt:
    """Record one imported graded attempt of a learner on a skill."""
    if not skill.strip():
        raise ValueError("skill is empty")
    row = HistoryAttempt(
        org_id=org_id,
        user_id=user_id,
        skill=skill.strip(),
        correct=correct,
        occurred_at=occurred_at,
        source=source,
    )
    session.add(row)
    session.flush()
    return row


def evidence(session: Session, *, org_id: str) -> list[tuple[str, str, bool, datetime]]:
    """Every graded attempt of an organisation's learners, one row per skill practised,
    as ``(user_id, skill, correct, when)`` in time order per learner (imported history and
    quiz attempts together): what the learner model is fitted and replayed on."""
    rows: list[tuple[str, str, bool, datetime]] = []
    imported = select(HistoryAttempt).where(HistoryAttempt.org_id == org_id)
    for h in session.scalars(imported):
        rows.append((h.user_id, h.skill, h.correct, h.occurred_at))
    answered = (
        select(QuizAttempt).join(Quiz, Quiz.id == QuizAttempt.quiz_id).where(Quiz.org_id == org_id)
    )
    for a in session.scalars(answered):
        rows += [(a.user_id, skill, a.correct, a.created_at) for skill in a.skills]
    rows.sort(key=lambda r: (r[0], r[3]))
    return rows


def clear_mastery(session: Session, *, user_ids: Sequence[str]) -> None:
    """Forget the stored estimates of these learners (before a replay recomputes them)."""
    if user_ids:
        session.execute(delete(SkillMastery).where(SkillMastery.user_id.in_(list(user_ids))))
