"""On-the-job application confirmations: the requests managers answer, and their answers.

A request is unique per report, item and skill, so the sweep that opens them can run any
number of times. An answer is final (a second one is :class:`~coach.storage.Conflict`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from coach.storage.access import NotFound
from coach.storage.manager_models import ApplicationRequest
from coach.storage.models import utcnow
from coach.storage.paths import Conflict


def request_keys(session: Session, *, org_id: str) -> set[tuple[str, str, str]]:
    """``(report_id, item_id, skill)`` of every request the organisation has opened."""
    query = select(
        ApplicationRequest.report_id, ApplicationRequest.item_id, ApplicationRequest.skill
    ).where(ApplicationRequest.org_id == org_id)
    return {(r, i, s) for r, i, s in session.execute(query)}


def open_request(
    session: Session,
    *,
    org_id: str,
    report_id: str,
    manager_id: str,
    item_id: str,
    skill: str,
    step_kind: str,
    learned_on: date,
    due_on: date,
) -> ApplicationRequest:
    """Open a pending request (the caller checked it is not open already)."""
    row = ApplicationRequest(
        org_id=org_id,
        report_id=report_id,
        manager_id=manager_id,
        item_id=item_id,
        skill=skill,
        step_kind=step_kind,
        learned_on=learned_on,
        due_on=due_on,
        status="pending",
        comment="",
    )
    session.add(row)
    session.flush()
    return row


def get_request(session: Session, *, org_id: str, request_id: str) -> ApplicationRequest:
    """A request of the organisation (raises :class:`NotFound`)."""
    row = session.get(ApplicationRequest, request_id)
    if row is None or row.org_id != org_id:
        raise NotFound("no such confirmation request")
    return row


def pending_requests(
    session: Session, *, org_id: str, manager_id: str | None = None, due_by: date | None = None
) -> list[ApplicationRequest]:
    """Pending requests of the organisation (of one manager), oldest due first."""
    query = select(ApplicationRequest).where(
        ApplicationRequest.org_id == org_id, ApplicationRequest.status == "pending"
    )
    if manager_id is not None:
        query = query.where(ApplicationRequest.manager_id == manager_id)
    if due_by is not None:
        query = query.where(ApplicationRequest.due_on <= due_by)
    order = (ApplicationRequest.due_on, ApplicationRequest.created_at, ApplicationRequest.id)
    return list(session.scalars(query.order_by(*order)))


def requests_about(
    session: Session, *, report_ids: Sequence[str], answered_only: bool = False
) -> list[ApplicationRequest]:
    """Requests about these people, newest step first."""
    if not report_ids:
        return []
    query = select(ApplicationRequest).where(ApplicationRequest.report_id.in_(list(report_ids)))
    if answered_only:
        query = query.where(ApplicationRequest.status != "pending")
    order = (ApplicationRequest.learned_on.desc(), ApplicationRequest.skill)
    return list(session.scalars(query.order_by(*order)))


def answer_request(
    session: Session,
    *,
    request: ApplicationRequest,
    answered_by: str,
    level: int | None,
    comment: str,
    statement: dict[str, Any],
    at: datetime | None = None,
) -> ApplicationRequest:
    """Record the answer (``level`` None: no opportunity yet); a second answer is refused,
    also when two arrive at once (the UPDATE only matches a request still pending)."""
    if level is not None and not 1 <= level <= 4:
        raise ValueError("level must be 1, 2, 3 or 4")
    done = session.execute(
        update(ApplicationRequest)
        .where(ApplicationRequest.id == request.id, ApplicationRequest.status == "pending")
        .values(
            status="no_opportunity" if level is None else "answered",
            level=level,
            comment=comment,
            answered_by=answered_by,
            answered_at=at or utcnow(),
            statement=statement,
        )
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict("this confirmation was answered already: answers are final")
    session.refresh(request)
    return request


def application_answers(
    session: Session, *, org_id: str, since: datetime, until: datetime
) -> list[ApplicationRequest]:
    """Requests answered (or marked "no opportunity yet") in ``[since, until)``, in order."""
    query = select(ApplicationRequest).where(
        ApplicationRequest.org_id == org_id,
        ApplicationRequest.status != "pending",
        ApplicationRequest.answered_at >= since,
        ApplicationRequest.answered_at < until,
    )
    return list(session.scalars(query.order_by(ApplicationRequest.answered_at)))
