"""Hand-offs: the offer on a learner's message, the learner's answer, trainers' reads.

Access (on top of :mod:`coach.storage.access`): the learner owns their hand-offs and is the
only one who answers them; the chosen trainer reads a hand-off once consented (and sees
that it was withdrawn, without the summary); nobody else, admins included, reads them
(a hand-off may concern a sensitive matter). Unreadable is :class:`NotFound`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coach.storage.access import Forbidden, NotFound, Viewer
from coach.storage.events import log_event
from coach.storage.handoff_models import Handoff, HandoffNotice
from coach.storage.models import Event, User, utcnow


def create_handoff(
    session: Session,
    *,
    viewer: Viewer,
    signal: str,
    subtopic: str | None,
    source: str,
    confidence: float,
    options: list[dict[str, Any]],
    conversation_id: str | None = None,
    message_id: str | None = None,
    skill: str | None = None,
) -> Handoff:
    """Record an offer made to ``viewer`` (audited as ``handoff.offered``)."""
    row = Handoff(
        org_id=viewer.org_id,
        user_id=viewer.id,
        conversation_id=conversation_id,
        message_id=message_id,
        signal=signal,
        subtopic=subtopic,
        source=source,
        confidence=confidence,
        skill=skill,
        options=options,
        status="offered",
        note="",
        share_conversation=False,
    )
    session.add(row)
    session.flush()
    _audit(session, row, "handoff.offered", options=[o.get("kind") for o in options])
    return row


def get_handoff(session: Session, *, handoff_id: str, viewer: Viewer) -> Handoff:
    """A hand-off its learner, or its consented trainer, may read (else :class:`NotFound`)."""
    row = session.get(Handoff, handoff_id)
    if row is None or row.org_id != viewer.org_id:
        raise NotFound("hand-off not found")
    if row.user_id == viewer.id:
        return row
    if row.recipient_id == viewer.id and row.status in ("consented", "withdrawn"):
        return row
    raise NotFound("hand-off not found")


def _own(session: Session, *, handoff_id: str, viewer: Viewer) -> Handoff:
    row = get_handoff(session, handoff_id=handoff_id, viewer=viewer)
    if row.user_id != viewer.id:
        raise Forbidden("only the learner answers their hand-off")
    return row


def learner_handoffs(
    session: Session, *, viewer: Viewer, message_id: str | None = None
) -> list[Handoff]:
    """The viewer's own hand-offs, newest first (optionally those of one message)."""
    query = select(Handoff).where(Handoff.user_id == viewer.id)
    if message_id is not None:
        query = query.where(Handoff.message_id == message_id)
    return list(session.scalars(query.order_by(Handoff.created_at.desc(), Handoff.id)))


def consent_handoff(
    session: Session,
    *,
    handoff_id: str,
    viewer: Viewer,
    recipient_id: str,
    note: str,
    share_conversation: bool,
    summary: dict[str, Any],
) -> Handoff:
    """The learner consents: ``summary`` goes to ``recipient_id`` (a trainer offered to them)."""
    row = _own(session, handoff_id=handoff_id, viewer=viewer)
    if row.status not in ("offered", "declined"):
        raise Forbidden(f"this hand-off is {row.status}")
    offered = {o.get("user_id") for o in row.options if o.get("kind") == "trainer"}
    if recipient_id not in offered:
        raise NotFound("that person was not offered for this hand-off")
    row.status, row.recipient_id, row.note = "consented", recipient_id, note
    row.share_conversation, row.summary, row.answered_at = share_conversation, summary, utcnow()
    session.add(HandoffNotice(handoff_id=row.id, recipient_id=recipient_id, kind="new"))
    session.flush()
    _audit(
        session,
        row,
        "handoff.consented",
        recipient_id=recipient_id,
        share_conversation=share_conversation,
        shared=sorted(summary),
    )
    return row


def decline_handoff(session: Session, *, handoff_id: str, viewer: Viewer) -> Handoff:
    """The learner says no thanks (they may still consent later)."""
    row = _own(session, handoff_id=handoff_id, viewer=viewer)
    if row.status != "offered":
        raise Forbidden(f"this hand-off is {row.status}")
    row.status, row.answered_at = "declined", utcnow()
    session.flush()
    _audit(session, row, "handoff.declined")
    return row


def withdraw_handoff(session: Session, *, handoff_id: str, viewer: Viewer) -> Handoff:
    """The learner withdraws consent: the summary is erased and the trainer told."""
    row = _own(session, handoff_id=handoff_id, viewer=viewer)
    if row.status != "consented" or row.recipient_id is None:
        raise Forbidden(f"this hand-off is {row.status}, not consented")
    row.status, row.summary, row.withdrawn_at = "withdrawn", None, utcnow()
    row.note, row.share_conversation = "", False
    session.add(HandoffNotice(handoff_id=row.id, recipient_id=row.recipient_id, kind="withdrawn"))
    session.flush()
    _audit(session, row, "handoff.withdrawn", recipient_id=row.recipient_id)
    return row


def trainer_handoffs(session: Session, *, viewer: Viewer) -> list[Handoff]:
    """Hand-offs consented to the viewer (and those withdrawn since), newest first."""
    query = select(Handoff).where(
        Handoff.org_id == viewer.org_id,
        Handoff.recipient_id == viewer.id,
        Handoff.status.in_(("consented", "withdrawn")),
    )
    return list(session.scalars(query.order_by(Handoff.answered_at.desc(), Handoff.id)))


def trainer_notices(session: Session, *, viewer: Viewer) -> list[HandoffNotice]:
    """The viewer's notices, newest first."""
    query = select(HandoffNotice).where(HandoffNotice.recipient_id == viewer.id)
    return list(session.scalars(query.order_by(HandoffNotice.id.desc())))


def trainers(session: Session, *, org_id: str) -> list[User]:
    """The organisation's active trainers, by name."""
    query = select(User).where(
        User.org_id == org_id, User.role == "trainer", User.disabled.is_(False)
    )
    return list(session.scalars(query.order_by(User.display_name, User.id)))


def last_offer(
    session: Session, *, user_id: str, signal: str, skill: str | None, since: datetime
) -> Handoff | None:
    """The learner's latest offer of ``signal`` on ``skill`` since ``since``, if any."""
    query = select(Handoff).where(
        Handoff.user_id == user_id,
        Handoff.signal == signal,
        Handoff.created_at >= since,
    )
    if skill is not None:
        query = query.where(Handoff.skill == skill)
    return session.scalars(query.order_by(Handoff.created_at.desc()).limit(1)).first()


def export_handoffs(session: Session, *, viewer: Viewer) -> dict[str, Any]:
    """Everything stored about the viewer's hand-offs and consents, for their data export."""
    rows = learner_handoffs(session, viewer=viewer)
    events = session.scalars(
        select(Event)
        .where(Event.user_id == viewer.id, Event.type.like("handoff.%"))
        .order_by(Event.id)
    )
    return {
        "handoffs": [handoff_dict(r) for r in rows],
        "audit": [
            {"type": e.type, "at": e.created_at.isoformat(), "payload": e.payload} for e in events
        ],
    }


def handoff_dict(row: Handoff) -> dict[str, Any]:
    """A hand-off as plain data (the export's and the API's source)."""
    return {
        "id": row.id,
        "status": row.status,
        "signal": row.signal,
        "subtopic": row.subtopic,
        "skill": row.skill,
        "conversation_id": row.conversation_id,
        "message_id": row.message_id,
        "options": row.options,
        "recipient_id": row.recipient_id,
        "note": row.note,
        "share_conversation": row.share_conversation,
        "summary": row.summary,
        "created_at": row.created_at.isoformat(),
        "answered_at": row.answered_at.isoformat() if row.answered_at else None,
        "withdrawn_at": row.withdrawn_at.isoformat() if row.withdrawn_at else None,
    }


def _audit(session: Session, row: Handoff, type: str, **extra: Any) -> None:
    log_event(
        session,
        org_id=row.org_id,
        user_id=row.user_id,
        type=type,
        payload={"handoff_id": row.id, "signal": row.signal, "status": row.status, **extra},
    )
