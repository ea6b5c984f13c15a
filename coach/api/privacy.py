"""Admins and a person's data: export it, erase it, answer the learners' requests to be
erased. Everything is scoped to the admin's organisation (another's people are 404).
Included by :mod:`coach.api.admin`'s router; see docs/privacy.md."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Response

from coach import privacy, storage
from coach.api.deps import ServicesDep, SessionDep, require_role
from coach.privacy.schemas import (
    DeclineBody,
    ErasureRequestList,
    ErasureRequestPublic,
    ErasureResult,
    PersonalDataExport,
)
from coach.storage import erasure_requests

router = APIRouter(tags=["privacy"])

AdminUser = Annotated[storage.Viewer, Depends(require_role("admin"))]


@router.get("/v1/learners/{user_id}/export", response_model=PersonalDataExport)
def export_learner(
    user_id: str, user: AdminUser, session: SessionDep, response: Response
) -> PersonalDataExport:
    """Everything stored about a person of the admin's organisation, as JSON."""
    data = privacy.export_person(session, viewer=user, org_id=user.org_id, user_id=user_id)
    name = f"blendcoach-data-{data['person']['id']}.json"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return PersonalDataExport.model_validate(data)


@router.delete("/v1/learners/{user_id}", response_model=ErasureResult)
def erase_learner(
    user_id: str, user: AdminUser, session: SessionDep, services: ServicesDep
) -> ErasureResult:
    """Erase a person of the admin's organisation, in one transaction (their pending
    request, if any, is answered as done); what remains is in docs/privacy.md."""
    report = privacy.erase_person(
        session,
        org_id=user.org_id,
        user_id=user_id,
        actor=user,
        index=services.index,
        embedder=services.embedder,
    )
    return ErasureResult.of(report)


@router.get("/v1/admin/erasure-requests", response_model=ErasureRequestList)
def list_erasure_requests(
    user: AdminUser,
    session: SessionDep,
    status: Literal["pending", "cancelled", "declined", "done"] | None = None,
) -> ErasureRequestList:
    """The organisation's requests to be erased and erasures done, oldest first."""
    rows = erasure_requests.list_requests(session, org_id=user.org_id, status=status)
    people = {r.user_id: storage.get_user(session, user_id=r.user_id) for r in rows if r.user_id}
    return ErasureRequestList(
        requests=[ErasureRequestPublic.of(r, people.get(r.user_id or "")) for r in rows]
    )


@router.post("/v1/admin/erasure-requests/{request_id}/decline", response_model=ErasureRequestPublic)
def decline_erasure_request(
    request_id: str, body: DeclineBody, user: AdminUser, session: SessionDep
) -> ErasureRequestPublic:
    """Decline a pending request, with the reason the learner will read (409 if it was
    answered already)."""
    try:
        row = privacy.decline_request(
            session, admin=user, request_id=request_id, reason=body.reason
        )
    except storage.Forbidden as err:
        raise HTTPException(status_code=409, detail=err.detail) from err
    except ValueError as err:
        raise HTTPException(status_code=422, detail=str(err)) from err
    person = storage.get_user(session, user_id=row.user_id) if row.user_id else None
    return ErasureRequestPublic.of(row, person)
