"""Hand-off to a human: the learner's offers and consent, the trainer's hand-offs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from coach import storage
from coach.api.deps import CurrentUser, SessionDep, require_role
from coach.handoff import service
from coach.handoff.schemas import (
    ConsentCreate,
    HandoffExport,
    HandoffList,
    HandoffPublic,
    NoticeList,
    NoticePublic,
)
from coach.storage import handoff as store

router = APIRouter(prefix="/v1/handoffs", tags=["handoff"])
Trainer = Annotated[storage.Viewer, Depends(require_role("trainer"))]


@router.get("", response_model=HandoffList)
def my_handoffs(
    user: CurrentUser,
    session: SessionDep,
    message_id: Annotated[str | None, Query(max_length=64)] = None,
) -> HandoffList:
    """The caller's own hand-off offers, newest first (``message_id``: those of one message)."""
    rows = store.learner_handoffs(session, viewer=user, message_id=message_id)
    return HandoffList(handoffs=[service.public(r, user) for r in rows])


@router.get("/assigned", response_model=HandoffList)
def assigned(user: Trainer, session: SessionDep) -> HandoffList:
    """Trainers: the hand-offs learners consented to send them (withdrawn ones, emptied)."""
    rows = store.trainer_handoffs(session, viewer=user)
    return HandoffList(handoffs=[service.public(r, user) for r in rows])


@router.get("/notices", response_model=NoticeList)
def notices(user: Trainer, session: SessionDep) -> NoticeList:
    """Trainers: new and withdrawn hand-offs, newest first."""
    rows = store.trainer_notices(session, viewer=user)
    return NoticeList(notices=[NoticePublic.model_validate(n, from_attributes=True) for n in rows])


@router.get("/export", response_model=HandoffExport)
def export(user: CurrentUser, session: SessionDep) -> HandoffExport:
    """The caller's hand-offs and consents with their audit trail (their data export)."""
    return HandoffExport.model_validate(store.export_handoffs(session, viewer=user))


@router.get("/{handoff_id}", response_model=HandoffPublic)
def read(handoff_id: str, user: CurrentUser, session: SessionDep) -> HandoffPublic:
    """One hand-off: its learner's, or the trainer's it was consented to (404 otherwise)."""
    return service.public(store.get_handoff(session, handoff_id=handoff_id, viewer=user), user)


@router.post("/{handoff_id}/consent", response_model=HandoffPublic)
def consent(
    handoff_id: str, body: ConsentCreate, user: CurrentUser, session: SessionDep
) -> HandoffPublic:
    """The learner consents: the summary goes to the chosen trainer, who is notified."""
    row = service.consent(session, viewer=user, handoff_id=handoff_id, body=body)
    return service.public(row, user)


@router.post("/{handoff_id}/decline", response_model=HandoffPublic)
def decline(handoff_id: str, user: CurrentUser, session: SessionDep) -> HandoffPublic:
    """The learner declines the offer (nothing is sent)."""
    return service.public(store.decline_handoff(session, handoff_id=handoff_id, viewer=user), user)


@router.post("/{handoff_id}/withdraw", response_model=HandoffPublic)
def withdraw(handoff_id: str, user: CurrentUser, session: SessionDep) -> HandoffPublic:
    """The learner withdraws consent: the summary is erased and the trainer notified."""
    return service.public(store.withdraw_handoff(session, handoff_id=handoff_id, viewer=user), user)
