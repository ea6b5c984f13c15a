"""An organisation's own settings (manager visibility, surveys, nudges): admins read and
change them; a bad value is refused as a whole (422 naming the field) and nothing changes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException
from pydantic import ValidationError

from coach import storage
from coach.api.deps import SessionDep, require_role
from coach.org_settings import OrgSettings

router = APIRouter(tags=["admin"])

AdminUser = Annotated[storage.Viewer, Depends(require_role("admin"))]


@router.get("/v1/admin/settings")
def read_settings(user: AdminUser, session: SessionDep) -> OrgSettings:
    """The organisation's settings, defaults filled in."""
    return storage.org_settings(session, org_id=user.org_id)


@router.patch("/v1/admin/settings")
def change_settings(
    user: AdminUser,
    session: SessionDep,
    patch: Annotated[dict[str, dict[str, Any]], Body(examples=[{"nudges": {"max_per_week": 2}}])],
) -> OrgSettings:
    """Change some fields of some sections, e.g. ``{"managers": {"visibility": "aggregates"}}``."""
    try:
        settings = storage.update_org_settings(session, org_id=user.org_id, patch=patch)
    except ValidationError as err:
        problems = [
            {"field": ".".join(str(p) for p in e["loc"]), "reason": e["msg"]} for e in err.errors()
        ]
        raise HTTPException(status_code=422, detail=problems) from err
    except ValueError as err:
        raise HTTPException(status_code=422, detail=str(err)) from err
    storage.log_event(
        session, org_id=user.org_id, user_id=user.id, type="settings.changed", payload=patch
    )
    return settings
