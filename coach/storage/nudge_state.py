"""What the nudge rules read, in one query per kind of fact for a whole organisation
(the daily planning job reads 10,000 learners without a query per learner)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, func, or_, select
from sqlalchemy.orm import Session

from coach.storage.admin_models import Enrolment
from coach.storage.models import Quiz, QuizAttempt, ReviewCard, User
from coach.storage.path_models import LearnerProfile, LearningPath, LearningRecord, PathVersion


def approved_path_steps(
    session: Session, *, org_id: str
) -> dict[str, tuple[date, list[dict[str, Any]]]]:
    """User id → (the day their approved path version was built, its steps as stored); a
    version stored without its day (made by hand, not by the planner) counts from ever."""
    query = (
        select(LearningPath.user_id, PathVersion.content)
        .join(
            PathVersion,
            (PathVersion.path_id == LearningPath.id)
            & (PathVersion.version == LearningPath.approved_version),
        )
        .where(LearningPath.org_id == org_id, LearningPath.approved_version.is_not(None))
    )
    return {
        user: (
            date.fromisoformat(content["built_on"]) if content.get("built_on") else date.min,
            list(content.get("steps", ())),
        )
        for user, content in session.execute(query)
    }


def done_items(session: Session, *, org_id: str) -> dict[tuple[str, str], date]:
    """(user id, item or session id) → the last day the organisation's learner completed the
    item or attended the session."""
    query = (
        select(LearningRecord.user_id, LearningRecord.item_id, func.max(LearningRecord.on))
        .where(
            LearningRecord.org_id == org_id,
            LearningRecord.item_id.is_not(None),
            or_(LearningRecord.kind == "completion", LearningRecord.attended.is_(True)),
        )
        .group_by(LearningRecord.user_id, LearningRecord.item_id)
    )
    return {(u, i): d for u, i, d in session.execute(query)}


def recent_completions(
    session: Session, *, org_id: str, since: date, until: date
) -> list[tuple[str, str, date]]:
    """(user, item, day) of completions and attended sessions between two days."""
    query = select(LearningRecord.user_id, LearningRecord.item_id, LearningRecord.on).where(
        LearningRecord.org_id == org_id,
        LearningRecord.item_id.is_not(None),
        LearningRecord.on >= since,
        LearningRecord.on <= until,
        or_(LearningRecord.kind == "completion", LearningRecord.attended.is_(True)),
    )
    return [(u, i, d) for u, i, d in session.execute(query)]


def enrolled_sessions(session: Session, *, org_id: str) -> dict[str, set[str]]:
    """User id → the live sessions they are enrolled in (not waitlisted, not cancelled)."""
    query = select(Enrolment.user_id, Enrolment.session_id).where(
        Enrolment.org_id == org_id, Enrolment.session_id != "", Enrolment.status == "enrolled"
    )
    out: dict[str, set[str]] = defaultdict(set)
    for user, sid in session.execute(query):
        out[user].add(sid)
    return out


def due_review_counts(session: Session, *, org_id: str, until: datetime) -> dict[str, int]:
    """User id → how many review cards are due by ``until``."""
    query = (
        select(ReviewCard.user_id, func.count())
        .join(User, User.id == ReviewCard.user_id)
        .where(User.org_id == org_id, ReviewCard.due <= until)
        .group_by(ReviewCard.user_id)
    )
    return {u: int(n) for u, n in session.execute(query)}


def finished_quizzes(
    session: Session, *, org_id: str, since: datetime, until: datetime
) -> list[dict[str, Any]]:
    """Quizzes finished between two moments: id, user, scope, when, mean score, items
    answered and the skills of their items."""
    quizzes = {
        q.id: q
        for q in session.scalars(
            select(Quiz).where(
                Quiz.org_id == org_id, Quiz.completed_at >= since, Quiz.completed_at <= until
            )
        )
    }
    if not quizzes:
        return []
    out: dict[str, dict[str, Any]] = {}
    attempts = select(QuizAttempt.quiz_id, QuizAttempt.score, QuizAttempt.skills).where(
        QuizAttempt.quiz_id.in_(list(quizzes))
    )
    for quiz_id, score, skills in session.execute(attempts):
        q = quizzes[quiz_id]
        row = out.setdefault(
            quiz_id,
            {"id": quiz_id, "user_id": q.user_id, "scope": q.scope, "finished_at": q.completed_at,
             "scores": [], "skills": []},
        )  # fmt: skip
        row["scores"].append(score)
        row["skills"].extend(skills or ())
    return list(out.values())


def completion_days(session: Session, *, org_id: str) -> dict[tuple[str, str], list[date]]:
    """(user id, item or session id) → every day the item was completed or the session
    attended, in order."""
    query = (
        select(LearningRecord.user_id, LearningRecord.item_id, LearningRecord.on)
        .where(
            LearningRecord.org_id == org_id,
            LearningRecord.item_id.is_not(None),
            or_(LearningRecord.kind == "completion", LearningRecord.attended.is_(True)),
        )
        .order_by(LearningRecord.on)
    )
    out: dict[tuple[str, str], list[date]] = defaultdict(list)
    for u, i, d in session.execute(query):
        out[(u, i)].append(d)
    return out


def review_card_dates(
    session: Session, *, org_id: str
) -> list[tuple[str, datetime, datetime | None]]:
    """(user id, due, last review) of every review card of the organisation's learners."""
    query = (
        select(ReviewCard.user_id, ReviewCard.due, ReviewCard.last_review)
        .join(User, User.id == ReviewCard.user_id)
        .where(User.org_id == org_id)
    )
    return [(u, d, r) for u, d, r in session.execute(query)]


def nudge_people(
    session: Session, *, org_id: str
) -> list[Row[tuple[str, str, str, str | None, str, str, bool, str | None, str | None, Any]]]:
    """Every user of the organisation with their profile's team, manager and data (None
    without a profile): id, external_id, display_name, email, locale, role, disabled, team,
    manager, data. Plain rows, not objects: the planner reads 10,000 of them a day."""
    query = (
        select(
            User.id, User.external_id, User.display_name, User.email, User.locale, User.role,
            User.disabled, LearnerProfile.team, LearnerProfile.manager, LearnerProfile.data,
        )
        .outerjoin(LearnerProfile, LearnerProfile.user_id == User.id)
        .where(User.org_id == org_id)
        .order_by(User.external_id)
    )  # fmt: skip
    return list(session.execute(query))
