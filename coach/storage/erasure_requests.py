"""The erasure register's rows: a learner's request, an admin's answer, the audit line.

The erasure itself is :func:`coach.storage.personal_data.erase_rows`; the flow (who may
do what) is :mod:`coach.privacy`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coach.storage.access import Forbidden, NotFound
from coach.storage.models import utcnow
from coach.storage.privacy_models import ERASURE_ORIGINS, ERASURE_STATUSES, ErasureRequest


def pending_request(session: Session, *, user_id: str) -> ErasureRequest | None:
    """The person's pending request, if any."""
    query = select(ErasureRequest).where(
        ErasureRequest.user_id == user_id, ErasureRequest.status == "pending"
    )
    return session.scalars(query.limit(1)).first()


def latest_request(session: Session, *, user_id: str) -> ErasureRequest | None:
    """The person's most recent request (pending or answered), if any."""
    query = select(ErasureRequest).where(ErasureRequest.user_id == user_id)
    order = (ErasureRequest.requested_at.desc(), ErasureRequest.id)
    return session.scalars(query.order_by(*order).limit(1)).first()


def open_request(session: Session, *, org_id: str, user_id: str, origin: str) -> ErasureRequest:
    """A pending request for the person (their pending one if they have one already)."""
    if origin not in ERASURE_ORIGINS:
        raise ValueError(f"unknown origin {origin!r}")
    found = pending_request(session, user_id=user_id)
    if found is not None:
        return found
    row = ErasureRequest(org_id=org_id, user_id=user_id, origin=origin, status="pending")
    session.add(row)
    session.flush()
    return row


def get_request(session: Session, *, org_id: str, request_id: str) -> ErasureRequest:
    """A request of this organisation (raises :class:`NotFound` for any other)."""
    row = session.get(ErasureRequest, request_id)
    if row is None or row.org_id != org_id:
        raise NotFound("erasure request not found")
    return row


def list_requests(
    session: Session, *, org_id: str, status: str | None = None
) -> list[ErasureRequest]:
    """The organisation's requests and erasures, oldest first (``status``: only those)."""
    if status is not None and status not in ERASURE_STATUSES:
        raise ValueError(f"unknown status {status!r}: one of {', '.join(ERASURE_STATUSES)}")
    query = select(ErasureRequest).where(ErasureRequest.org_id == org_id)
    if status is not None:
        query = query.where(ErasureRequest.status == status)
    return list(session.scalars(query.order_by(ErasureRequest.requested_at, ErasureRequest.id)))


def close_request(
    session: Session,
    *,
    request: ErasureRequest,
    status: str,
    decided_by: str | None,
    reason: str = "",
    counts: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> ErasureRequest:
    """Answer a pending request: ``cancelled`` (by the learner), ``declined`` (with a
    reason) or ``done`` (with the counts of what was erased).

    Raises:
        Forbidden: the request was answered already.
    """
    if request.status != "pending":
        raise Forbidden(f"this erasure request is {request.status} already")
    if status not in ("cancelled", "declined", "done"):
        raise ValueError(f"cannot close a request as {status!r}")
    request.status, request.decided_by, request.decided_at = status, decided_by, at or utcnow()
    request.reason, request.counts = reason, dict(counts or {})
    if status == "done":
        request.user_id = None  # the anonymous audit line
    session.flush()
    return request
