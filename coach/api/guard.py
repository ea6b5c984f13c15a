"""What the runtime guard held back, for admins: verdicts per day and the slop rate."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from coach import storage
from coach.api.deps import SessionDep, require_role

router = APIRouter(tags=["admin"])

AdminUser = Annotated[storage.Viewer, Depends(require_role("admin"))]


@router.get("/v1/admin/guard")
def guard_verdicts(
    user: AdminUser,
    session: SessionDep,
    days: Annotated[int, Query(ge=1, le=366)] = 30,
) -> dict[str, Any]:
    """The organisation's guard verdicts per day and kind (answer, quiz, path) over ``days``
    days: counts of pass / revise / block among first drafts, their rates, and the checks
    that raised the most reasons."""
    return storage.guard_stats(session, org_id=user.org_id, days=days)
