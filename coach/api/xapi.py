"""xAPI for an LRS or a BI tool: the organisation's statements (pulled with ``since`` and
paging, as an xAPI StatementResult) and the state of the outbox that forwards them.
Admins only, each for their own organisation."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response

from coach import storage
from coach.api.deps import SessionDep, require_role
from coach.xapi import VERSION
from coach.xapi_lrs.outbox import outbox_state, requeue_failed, statement_events

router = APIRouter(tags=["xapi"])

AdminUser = Annotated[storage.Viewer, Depends(require_role("admin"))]
HEADER = {"X-Experience-API-Version": VERSION}


def _own_org(session: SessionDep, user: storage.Viewer, org: str | None) -> None:
    """An ``org`` slug other than the admin's own is not found (404)."""
    if org is not None:
        found = storage.get_organisation_by_slug(session, slug=org)
        if found is None or found.id != user.org_id:
            raise HTTPException(status_code=404, detail=f"no organisation {org!r}")


@router.get("/v1/xapi/statements")
def statements(
    request: Request,
    response: Response,
    user: AdminUser,
    session: SessionDep,
    since: Annotated[
        datetime | None, Query(description="Only statements stored at or after (ISO 8601)")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    after: Annotated[  # event ids are 32-bit integers in the database
        int | None, Query(ge=0, le=2**31 - 1, description="The cursor of a `more` link")
    ] = None,
    org: Annotated[str | None, Query(description="Organisation slug (yours)")] = None,
) -> dict[str, Any]:
    """The organisation's statements in the order stored, as an xAPI StatementResult:
    ``statements`` and ``more`` (the next page's URL, empty at the end)."""
    _own_org(session, user, org)
    if since is not None:
        try:  # in UTC, as stored; 0001-01-01T00:00+01:00 is before the first representable day
            since = since.astimezone(UTC) if since.tzinfo else since.replace(tzinfo=UTC)
        except OverflowError as err:
            raise HTTPException(status_code=422, detail="since is out of range") from err
    events = statement_events(
        session, org_id=user.org_id, since=since, after_id=after, limit=limit + 1
    )
    page, rest = events[:limit], events[limit:]
    out = [
        e.payload["xapi"] | {"stored": e.created_at.isoformat()}
        for e in page
        if isinstance((e.payload or {}).get("xapi"), dict)  # an erased learner's: gone
    ]
    more = ""
    if rest:
        query: dict[str, Any] = {"limit": limit, "after": page[-1].id}
        if since is not None:
            query["since"] = since.isoformat()
        if org is not None:
            query["org"] = org
        more = f"{request.url.path}?{urlencode(query)}"
    response.headers.update(HEADER)
    return {"statements": out, "more": more}


@router.get("/v1/xapi/outbox")
def outbox(request: Request, user: AdminUser, session: SessionDep) -> dict[str, Any]:
    """The forwarding to the LRS: rows by status, those retrying, the last error."""
    configured = bool(request.app.state.services.settings.lrs_url)
    return {"lrs_configured": configured} | outbox_state(session, org_id=user.org_id).public()


@router.post("/v1/xapi/outbox/retry")
def retry_failed(user: AdminUser, session: SessionDep) -> dict[str, int]:
    """Put the organisation's failed statements back in the queue, due now."""
    n = requeue_failed(session, org_id=user.org_id, now=datetime.now(UTC))
    return {"requeued": n}
