"""What the hand-off routes do: one function each, over the storage functions."""

from __future__ import annotations

from sqlalchemy.orm import Session

from coach import storage
from coach.handoff.schemas import ConsentCreate, HandoffPublic
from coach.handoff.summary import build_summary
from coach.storage.handoff import consent_handoff, get_handoff, handoff_dict
from coach.storage.handoff_models import Handoff


def public(row: Handoff, viewer: storage.Viewer) -> HandoffPublic:
    """The hand-off as ``viewer`` may see it (a trainer sees no options nor message ids)."""
    data = handoff_dict(row)
    if row.user_id != viewer.id:
        data.update(options=[], conversation_id=None, message_id=None)
    return HandoffPublic.model_validate(data)


def consent(
    session: Session, *, viewer: storage.Viewer, handoff_id: str, body: ConsentCreate
) -> Handoff:
    """Build the summary and send it to the chosen trainer, with the learner's consent."""
    row = get_handoff(session, handoff_id=handoff_id, viewer=viewer)
    if row.user_id != viewer.id:
        raise storage.Forbidden("only the learner answers their hand-off")
    note = body.note.strip()
    summary = build_summary(
        session, handoff=row, note=note, share_conversation=body.share_conversation
    )
    return consent_handoff(
        session,
        handoff_id=handoff_id,
        viewer=viewer,
        recipient_id=body.recipient_id,
        note=note,
        share_conversation=body.share_conversation,
        summary=summary,
    )
