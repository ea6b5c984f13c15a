"""The organisation's catalog as reviewers edit paths with it: items, and an item's sessions
with the seats still free (counting the seats held by every path under review)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request

from coach import storage
from coach.api.deps import CurrentUser, SessionDep
from coach.paths import NoCatalog, PathService
from coach.paths.world import ledger_for
from coach.quizzes.text import fold
from recommender.catalog import Catalog

router = APIRouter(tags=["paths"])


def _catalog(request: Request, session: SessionDep, user: storage.Viewer) -> Catalog:
    storage.check_reviewer(user)
    service: PathService = request.app.state.paths
    try:
        return service.world.catalog(session, user.org_id)
    except NoCatalog as err:
        raise HTTPException(404, str(err)) from err


@router.get("/v1/catalog/items")
def list_items(
    user: CurrentUser,
    session: SessionDep,
    request: Request,
    q: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> dict[str, Any]:
    """Catalog items, in catalog order; ``q`` keeps those whose id, title or skills match."""
    catalog = _catalog(request, session, user)
    words = fold(q or "").split()
    out = []
    for item in catalog.items.values():
        text = fold(" ".join([item.id, item.title, *(s.skill for s in item.skills)]))
        if all(w in text for w in words):
            out.append(
                {
                    "id": item.id,
                    "title": item.title,
                    "modality": item.modality.value,
                    "hours": round(item.hours, 2),
                    "language": item.language,
                    "level": item.level,
                    "skills": [{"skill": s.skill, "level": s.level} for s in item.skills],
                    "scheduled": item.modality.scheduled,
                }
            )
    return {"items": out[:limit], "total": len(out)}


@router.get("/v1/catalog/items/{item_id}/sessions")
def item_sessions(
    item_id: str, user: CurrentUser, session: SessionDep, request: Request
) -> dict[str, Any]:
    """An item's sessions in date order, with the seats free now."""
    catalog = _catalog(request, session, user)
    if item_id not in catalog.items:
        raise HTTPException(404, f"no item '{item_id}' in the catalog")
    ledger = ledger_for(session, user.org_id)
    return {
        "sessions": [
            {
                "id": s.id,
                "start": s.start.isoformat(),
                "place": s.place,
                "trainer": s.trainer,
                "seats": s.seats,
                "free_seats": max(ledger.free(s), 0),
                "enrol_by": s.enrol_by,
            }
            for s in catalog.sessions_of.get(item_id, [])
        ]
    }
