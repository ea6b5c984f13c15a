"""Quiz items, quizzes and attempts.

Access: a learner takes and reads their own quizzes; an admin reads every quiz of the
organisation (read-only) and curates its items (edit, retire); a reviewer reads items
(what review needs) but not learners' quizzes. Items of another organisation do not exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coach.storage.access import AlreadyExists, Forbidden, NotFound, Viewer, check_read
from coach.storage.models import (
    ITEM_STATUSES,
    Quiz,
    QuizAttempt,
    QuizItem,
    QuizItemVersion,
    utcnow,
)


def save_item(
    session: Session,
    *,
    org_id: str,
    course_id: str,
    module_id: str | None,
    chunk_id: str,
    kind: str,
    skills: Sequence[str],
    payload: dict[str, Any],
    fingerprint: str,
    generator: str,
) -> tuple[QuizItem, bool]:
    """Store a validated item once per organisation: ``(item, created)``.

    The same question (same ``fingerprint``) comes back as the stored item, retired or not,
    so a retired item is never resurrected by generating it again.
    """
    found = session.scalars(
        select(QuizItem).where(QuizItem.org_id == org_id, QuizItem.fingerprint == fingerprint)
    ).first()
    if found is not None:
        return found, False
    item = QuizItem(
        org_id=org_id,
        course_id=course_id,
        module_id=module_id,
        chunk_id=chunk_id,
        kind=kind,
        skills=list(skills),
        payload=payload,
        fingerprint=fingerprint,
        generator=generator,
    )
    session.add(item)
    session.flush()
    return item, True


def _check_curator(viewer: Viewer, item: QuizItem | None, *, write: bool) -> QuizItem:
    if item is None or item.org_id != viewer.org_id:
        raise NotFound("quiz item not found")
    if viewer.role == "learner":
        raise Forbidden("only admins and reviewers can read quiz items with their answers")
    if write and not viewer.is_admin:
        raise Forbidden("only an admin can change quiz items")
    return item


def get_item(session: Session, *, item_id: str, viewer: Viewer) -> QuizItem:
    """An item with its answer, for admins and reviewers of its organisation."""
    return _check_curator(viewer, session.get(QuizItem, item_id), write=False)


def list_items(
    session: Session,
    *,
    viewer: Viewer,
    course_id: str | None = None,
    status: str | None = None,
    limit: int = 200,
    offset: int = 0,
) -> list[QuizItem]:
    """The organisation's items (admins and reviewers), newest first."""
    if viewer.role == "learner":
        raise Forbidden("only admins and reviewers can list quiz items")
    query = select(QuizItem).where(QuizItem.org_id == viewer.org_id)
    if course_id is not None:
        query = query.where(QuizItem.course_id == course_id)
    if status is not None:
        query = query.where(QuizItem.status == status)
    query = query.order_by(QuizItem.created_at.desc(), QuizItem.id).limit(limit).offset(offset)
    return list(session.scalars(query))


def active_items(
    session: Session, *, org_id: str, chunk_ids: Sequence[str] | None = None
) -> list[QuizItem]:
    """Active items of an organisation, optionally only those built from ``chunk_ids``."""
    query = select(QuizItem).where(QuizItem.org_id == org_id, QuizItem.status == "active")
    if chunk_ids is not None:
        query = query.where(QuizItem.chunk_id.in_(list(chunk_ids)))
    return list(session.scalars(query.order_by(QuizItem.created_at, QuizItem.id)))


def edit_item(
    session: Session,
    *,
    item_id: str,
    viewer: Viewer,
    payload: dict[str, Any],
    skills: Sequence[str] | None = None,
) -> QuizItem:
    """Replace an item's content (an admin; validated by the caller); the old one is kept."""
    item = _check_curator(viewer, session.get(QuizItem, item_id), write=True)
    session.add(
        QuizItemVersion(
            item_id=item.id, version=item.version, payload=item.payload, edited_by=item.updated_by
        )
    )
    item.payload = payload
    if skills is not None:
        item.skills = list(skills)
    item.version += 1
    item.updated_by = viewer.id
    item.updated_at = utcnow()
    session.flush()
    return item


def set_item_status(session: Session, *, item_id: str, viewer: Viewer, status: str) -> QuizItem:
    """Retire an item (no new quiz shows it) or bring it back (an admin)."""
    if status not in ITEM_STATUSES:
        raise ValueError(f"unknown status {status!r}: one of {', '.join(ITEM_STATUSES)}")
    item = _check_curator(viewer, session.get(QuizItem, item_id), write=True)
    item.status = status
    item.updated_by = viewer.id
    item.updated_at = utcnow()
    session.flush()
    return item


def item_payload(session: Session, *, item: QuizItem, version: int) -> dict[str, Any]:
    """The item as it was at ``version`` (what an attempt of that version saw)."""
    if version == item.version:
        return item.payload
    old = session.scalars(
        select(QuizItemVersion).where(
            QuizItemVersion.item_id == item.id, QuizItemVersion.version == version
        )
    ).first()
    if old is None:
        raise NotFound(f"version {version} of quiz item not found")
    return old.payload


def create_quiz(
    session: Session,
    *,
    viewer: Viewer,
    item_ids: Sequence[str],
    scope: dict[str, Any],
    conversation_id: str | None = None,
) -> Quiz:
    """A quiz for the viewer over ``item_ids`` (in order); each item is "shown" now."""
    if not item_ids:
        raise ValueError("a quiz needs at least one item")
    now = utcnow().isoformat()
    quiz = Quiz(
        org_id=viewer.org_id,
        user_id=viewer.id,
        scope=dict(scope),
        item_ids=list(item_ids),
        progress={i: {"shown_at": now, "hints": 0} for i in item_ids},
        conversation_id=conversation_id,
    )
    session.add(quiz)
    session.flush()
    return quiz


def get_quiz(session: Session, *, quiz_id: str, viewer: Viewer, write: bool = False) -> Quiz:
    """The quiz if the viewer may read it (``write``: only its learner may answer it)."""
    quiz = session.get(Quiz, quiz_id)
    if quiz is None:
        raise NotFound("quiz not found")
    check_read(viewer, org_id=quiz.org_id, owner_id=quiz.user_id, what="quiz")
    if write and quiz.user_id != viewer.id:
        raise Forbidden("only the learner who took this quiz can answer it")
    return quiz


def quiz_item(session: Session, *, quiz: Quiz, item_id: str) -> QuizItem:
    """An item of ``quiz`` (404 for an item id that is not in it)."""
    item = session.get(QuizItem, item_id) if item_id in quiz.item_ids else None
    if item is None:
        raise NotFound("this quiz has no such item")
    return item


def use_hint(session: Session, *, quiz: Quiz, item_id: str) -> int:
    """Count one more hint on an item of the quiz; the number used so far."""
    progress = dict(quiz.progress)
    entry = dict(progress.get(item_id) or {"hints": 0})
    entry["hints"] = int(entry.get("hints", 0)) + 1
    progress[item_id] = entry
    quiz.progress = progress  # a new dict: JSON columns track assignment, not mutation
    session.flush()
    return int(entry["hints"])


def shown_at(quiz: Quiz, *, item_id: str) -> datetime | None:
    """When the item was shown (the quiz's creation by default)."""
    raw = (quiz.progress.get(item_id) or {}).get("shown_at")
    return datetime.fromisoformat(raw) if raw else quiz.created_at


def is_answered(session: Session, *, quiz_id: str, item_id: str) -> bool:
    """Whether the item already has its (one) attempt in this quiz."""
    query = select(QuizAttempt.id).where(
        QuizAttempt.quiz_id == quiz_id, QuizAttempt.item_id == item_id
    )
    return session.scalar(query) is not None


def record_attempt(
    session: Session,
    *,
    quiz: Quiz,
    item: QuizItem,
    answer: dict[str, Any],
    correct: bool,
    score: float,
    confidence: float,
    feedback: str,
    time_taken_ms: int | None,
) -> QuizAttempt:
    """Store the graded answer; a second answer to the same item of a quiz is refused.

    Raises:
        AlreadyExists: the item was answered already in this quiz (nothing is counted twice).
    """
    hints = int((quiz.progress.get(item.id) or {}).get("hints", 0))
    attempt = QuizAttempt(
        quiz_id=quiz.id,
        item_id=item.id,
        item_version=item.version,
        user_id=quiz.user_id,
        answer=answer,
        correct=correct,
        score=score,
        confidence=confidence,
        feedback=feedback,
        time_taken_ms=time_taken_ms,
        hints_used=hints,
        skills=list(item.skills),
    )
    try:
        with session.begin_nested():
            session.add(attempt)
            session.flush()
    except IntegrityError as err:
        raise AlreadyExists("this item was already answered in this quiz") from err
    answered = session.scalar(
        select(func.count()).select_from(QuizAttempt).where(QuizAttempt.quiz_id == quiz.id)
    )
    if answered == len(quiz.item_ids) and quiz.completed_at is None:
        quiz.completed_at = utcnow()
        session.flush()
    return attempt


def list_attempts(
    session: Session, *, quiz_id: str | None = None, user_id: str | None = None
) -> list[QuizAttempt]:
    """Attempts of a quiz or of a user, oldest first (callers check access)."""
    query = select(QuizAttempt)
    if quiz_id is not None:
        query = query.where(QuizAttempt.quiz_id == quiz_id)
    if user_id is not None:
        query = query.where(QuizAttempt.user_id == user_id)
    return list(session.scalars(query.order_by(QuizAttempt.created_at, QuizAttempt.id)))
