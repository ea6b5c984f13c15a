"""Enrolments, attendance sign-off, session status and the admin assistant's actions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coach.storage.access import NotFound
from coach.storage.admin_models import AdminAction, Attendance, Enrolment, SessionStatus
from coach.storage.models import utcnow


def save_enrolments(
    session: Session, *, org_id: str, rows: Iterable[Mapping[str, Any]], source: str = "import"
) -> tuple[int, int]:
    """Add or update enrolments keyed by (user, item, session). Returns (added, updated)."""
    added = updated = 0
    for r in rows:
        key = (r["user_id"], r["item_id"], r.get("session_id") or "")
        row = session.scalar(
            select(Enrolment).where(
                Enrolment.org_id == org_id,
                Enrolment.user_id == key[0],
                Enrolment.item_id == key[1],
                Enrolment.session_id == key[2],
            )
        )
        if row is None:
            row = Enrolment(org_id=org_id, user_id=key[0], item_id=key[1], session_id=key[2])
            session.add(row)
            added += 1
        else:
            updated += 1
        row.status = r.get("status") or "enrolled"
        row.enrolled_on = r["enrolled_on"]
        row.due_on = r.get("due_on")
        row.source = source
        row.updated_at = utcnow()
    session.flush()
    return added, updated


def enrolments(
    session: Session,
    *,
    org_id: str,
    item_ids: Sequence[str] | None = None,
    session_ids: Sequence[str] | None = None,
    user_ids: Sequence[str] | None = None,
) -> list[Enrolment]:
    """The organisation's enrolments, optionally only of these items, sessions or users."""
    query = select(Enrolment).where(Enrolment.org_id == org_id)
    if item_ids is not None:
        query = query.where(Enrolment.item_id.in_(list(item_ids)))
    if session_ids is not None:
        query = query.where(Enrolment.session_id.in_(list(session_ids)))
    if user_ids is not None:
        query = query.where(Enrolment.user_id.in_(list(user_ids)))
    return list(session.scalars(query.order_by(Enrolment.id)))


def save_attendance(
    session: Session, *, org_id: str, rows: Iterable[Mapping[str, Any]], source: str = "import"
) -> int:
    """Add or replace sign-offs keyed by (session, user). Returns how many were written."""
    n = 0
    for r in rows:
        row = session.get(Attendance, (org_id, r["session_id"], r["user_id"]))
        if row is None:
            row = Attendance(org_id=org_id, session_id=r["session_id"], user_id=r["user_id"])
            session.add(row)
        row.signed = bool(r["signed"])
        row.signed_at = r.get("signed_at")
        row.source = source
        row.updated_at = utcnow()
        n += 1
    session.flush()
    return n


def attendance(
    session: Session, *, org_id: str, session_ids: Sequence[str] | None = None
) -> list[Attendance]:
    """Sign-offs of the organisation, optionally only of these sessions."""
    query = select(Attendance).where(Attendance.org_id == org_id)
    if session_ids is not None:
        query = query.where(Attendance.session_id.in_(list(session_ids)))
    return list(session.scalars(query))


def set_session_status(
    session: Session, *, org_id: str, session_id: str, status: str, reason: str = ""
) -> None:
    """Record a session's status (``cancelled``)."""
    row = session.get(SessionStatus, (org_id, session_id))
    if row is None:
        row = SessionStatus(org_id=org_id, session_id=session_id)
        session.add(row)
    row.status, row.reason, row.updated_at = status, reason, utcnow()
    session.flush()


def session_statuses(session: Session, *, org_id: str) -> dict[str, str]:
    """Session id → status, for the sessions that are not simply scheduled."""
    rows = session.scalars(select(SessionStatus).where(SessionStatus.org_id == org_id))
    return {r.session_id: r.status for r in rows}


def create_action(
    session: Session,
    *,
    org_id: str,
    kind: str,
    args: dict[str, Any],
    summary: str,
    proposed_by: str | None,
    question: str,
    expires_at: datetime,
) -> AdminAction:
    """Store a proposed action (nothing runs until it is confirmed)."""
    action = AdminAction(
        org_id=org_id,
        kind=kind,
        args=args,
        summary=summary,
        proposed_by=proposed_by,
        question=question,
        expires_at=expires_at,
        status="proposed",
    )
    session.add(action)
    session.flush()
    return action


def get_action(session: Session, *, org_id: str, action_id: str, lock: bool = False) -> AdminAction:
    """An action of this organisation (404 for another organisation's, as for a missing one)."""
    query = select(AdminAction).where(AdminAction.id == action_id, AdminAction.org_id == org_id)
    if lock:
        query = query.with_for_update()
    action = session.scalar(query)
    if action is None:
        raise NotFound("no such action")
    return action


def list_actions(session: Session, *, org_id: str, limit: int = 50) -> list[AdminAction]:
    """The organisation's latest actions, newest first (the audit)."""
    query = (
        select(AdminAction)
        .where(AdminAction.org_id == org_id)
        .order_by(AdminAction.created_at.desc())
        .limit(limit)
    )
    return list(session.scalars(query))
