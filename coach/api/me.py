"""The caller themselves: who they are, what the coach remembers about them (erasable),
their data export and their request to be erased (docs/privacy.md)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from coach import privacy, storage
from coach.api.deps import CurrentUser, SessionDep
from coach.privacy.schemas import ErasureRequestPublic, PersonalDataExport
from coach.schemas import MemoryItemPublic, MemoryList, MePublic, OrganisationPublic
from coach.storage import erasure_requests

router = APIRouter(prefix="/v1/me", tags=["me"])


@router.get("", response_model=MePublic)
def read_me(user: CurrentUser, session: SessionDep) -> MePublic:
    """Who the token speaks for: id, organisation, role, name and locale."""
    org = storage.get_organisation(session, org_id=user.org_id)
    return MePublic(
        id=user.id,
        org=OrganisationPublic.model_validate(org, from_attributes=True),
        role=user.role,
        display_name=user.display_name,
        locale=user.locale,
    )


@router.get("/memory", response_model=MemoryList)
def read_memory(user: CurrentUser, session: SessionDep) -> MemoryList:
    """The goals and facts the coach remembers about the caller, oldest first."""
    items = storage.list_memory(session, user_id=user.id)
    return MemoryList(
        items=[MemoryItemPublic.model_validate(m, from_attributes=True) for m in items]
    )


@router.delete("/memory", status_code=204)
def erase_memory(user: CurrentUser, session: SessionDep) -> Response:
    """Erase everything the coach remembers about the caller."""
    storage.delete_memory(session, user_id=user.id)
    return Response(status_code=204)


@router.delete("/memory/{memory_id}", status_code=204)
def erase_memory_item(memory_id: str, user: CurrentUser, session: SessionDep) -> Response:
    """Erase one remembered item (404 if it is not the caller's)."""
    storage.delete_memory(session, user_id=user.id, memory_id=memory_id)
    return Response(status_code=204)


@router.get("/export", response_model=PersonalDataExport)
def export_me(user: CurrentUser, session: SessionDep, response: Response) -> PersonalDataExport:
    """Everything the coach stores about the caller, as JSON (a download)."""
    data = privacy.export_person(session, viewer=user, org_id=user.org_id, user_id=user.id)
    response.headers["Content-Disposition"] = 'attachment; filename="my-blendcoach-data.json"'
    return PersonalDataExport.model_validate(data)


@router.delete("", status_code=202, response_model=ErasureRequestPublic)
def request_my_erasure(user: CurrentUser, session: SessionDep) -> ErasureRequestPublic:
    """Ask to be erased: an admin of the organisation erases the caller's data (or declines
    with a reason, e.g. training records the law makes it keep) within a month."""
    return ErasureRequestPublic.of(privacy.request_erasure(session, viewer=user))


@router.get("/erasure-request", response_model=ErasureRequestPublic)
def read_my_erasure_request(user: CurrentUser, session: SessionDep) -> ErasureRequestPublic:
    """The caller's latest request to be erased and its answer (404 if they never asked)."""
    row = erasure_requests.latest_request(session, user_id=user.id)
    if row is None:
        raise storage.NotFound("no erasure request")
    return ErasureRequestPublic.of(row)


@router.delete("/erasure-request", response_model=ErasureRequestPublic)
def cancel_my_erasure_request(user: CurrentUser, session: SessionDep) -> ErasureRequestPublic:
    """Withdraw the caller's pending request (404 if none is pending)."""
    return ErasureRequestPublic.of(privacy.cancel_request(session, viewer=user))
