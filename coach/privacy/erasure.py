"""Erasing a person: the learner asks, an admin of their organisation erases (or declines
with a reason); an admin or the command line may also erase without a request.

An erasure is one transaction (the caller's): every row of the person is deleted or
anonymised (:func:`coach.storage.personal_data.erase_rows`), index points keyed to them
are deleted before the commit, and the erasure register keeps one line without identity.
Why the learner's own request waits for an admin: docs/privacy.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from coach import storage
from coach.storage import erasure_requests, personal_data
from coach.storage.models import utcnow
from coach.storage.privacy_models import ErasureRequest
from retrieval.embedding import Embedder
from retrieval.index.base import IndexFilter, VectorIndex

PERSON_FIELD = "user_id"
"""The payload field that keys an index point to a person. The index holds course content
only today; anything per person stored there later must carry it, and erasure deletes it."""

RESPOND_WITHIN = timedelta(days=30)
"""GDPR art. 12(3): a request is answered within a month (shown as ``respond_by``)."""


@dataclass(frozen=True, slots=True)
class ErasureReport:
    """What one erasure did."""

    request_id: str
    erased_at: datetime
    rows: dict[str, dict[str, int]]
    index_points: int


def delete_person_points(index: VectorIndex, *, user_id: str) -> int:
    """Delete the index points keyed to the person; how many there were."""
    flt = IndexFilter(must={PERSON_FIELD: (user_id,)})
    found = index.count(flt)
    if found:
        index.delete(flt)
    return found


def erase_person(
    session: Session,
    *,
    org_id: str,
    user_id: str,
    actor: storage.Viewer | None,
    index: VectorIndex | None = None,
    embedder: Embedder | None = None,
    now: datetime | None = None,
) -> ErasureReport:
    """Erase ``user_id`` of ``org_id`` (``actor``: the admin; None: the command line).

    A pending request of theirs is closed as done. Nothing is committed here: the caller
    commits, after the index points are gone (a failure anywhere rolls it all back).

    Raises:
        NotFound: no such person in the organisation.
        Forbidden: an admin erasing themself (another admin, or the command line, must).
    """
    person = personal_data.find_person(session, org_id=org_id, user_id=user_id)
    if actor is not None and actor.id == person.id:
        raise storage.Forbidden("you cannot erase yourself: ask another admin")
    origin = "cli" if actor is None else "admin"
    request = erasure_requests.open_request(
        session, org_id=org_id, user_id=person.id, origin=origin
    )
    request_id = request.id
    rows = personal_data.erase_rows(session, person=person, keep_request=request_id)
    points = delete_person_points(index, user_id=person.id) if index is not None else 0
    if embedder is not None:  # its query cache holds the person's questions verbatim
        embedder.clear_query_cache()
    request = erasure_requests.get_request(session, org_id=org_id, request_id=request_id)
    erasure_requests.close_request(
        session,
        request=request,
        status="done",
        decided_by=None if actor is None else actor.id,
        counts={**rows.as_dict(), "index_points": points},
        at=now,
    )
    deleted = sum(rows.deleted.values())
    storage.log_event(
        session,
        org_id=org_id,
        type="privacy.erased",
        payload={"request_id": request_id, "origin": request.origin, "rows_deleted": deleted},
    )
    return ErasureReport(request_id, request.decided_at or utcnow(), rows.as_dict(), points)


def request_erasure(session: Session, *, viewer: storage.Viewer) -> ErasureRequest:
    """The viewer asks to be erased: a pending request their organisation's admins see
    (asking again returns the pending one)."""
    pending = erasure_requests.pending_request(session, user_id=viewer.id)
    if pending is not None:
        return pending
    row = erasure_requests.open_request(
        session, org_id=viewer.org_id, user_id=viewer.id, origin="learner"
    )
    storage.log_event(
        session,
        org_id=viewer.org_id,
        user_id=viewer.id,
        type="privacy.erasure_requested",
        payload={"request_id": row.id},
    )
    return row


def cancel_request(session: Session, *, viewer: storage.Viewer) -> ErasureRequest:
    """The viewer withdraws their pending request (:class:`NotFound` if there is none)."""
    row = erasure_requests.pending_request(session, user_id=viewer.id)
    if row is None:
        raise storage.NotFound("no pending erasure request")
    erasure_requests.close_request(session, request=row, status="cancelled", decided_by=None)
    storage.log_event(
        session,
        org_id=viewer.org_id,
        user_id=viewer.id,
        type="privacy.erasure_cancelled",
        payload={"request_id": row.id},
    )
    return row


def decline_request(
    session: Session, *, admin: storage.Viewer, request_id: str, reason: str
) -> ErasureRequest:
    """An admin declines a pending request, with the reason the learner will read (a legal
    obligation to keep training records, an open investigation, ...)."""
    row = erasure_requests.get_request(session, org_id=admin.org_id, request_id=request_id)
    reason = " ".join(reason.split())
    if not reason:
        raise ValueError("a declined request needs a reason")
    erasure_requests.close_request(
        session, request=row, status="declined", decided_by=admin.id, reason=reason
    )
    storage.log_event(
        session,
        org_id=admin.org_id,
        user_id=row.user_id,
        type="privacy.erasure_declined",
        payload={"request_id": row.id, "by": admin.id},
    )
    return row
