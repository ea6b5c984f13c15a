"""The caller themselves: who they are, and what the coach remembers about them (erasable)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from coach import storage
from coach.api.deps import CurrentUser, SessionDep
from coach.schemas import MemoryItemPublic, MemoryList, MePublic, OrganisationPublic

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
