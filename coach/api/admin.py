"""The admin assistant's routes: ask (JSON or a stream), confirm or decline an action, and
the audit of actions. Admins only; everything is scoped to the admin's organisation."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import StreamingResponse
from sqlalchemy.orm import Session

from coach import storage
from coach.admin import actions
from coach.admin.assistant import AdminAssistant
from coach.admin.kpis import Dashboard, dashboard
from coach.admin.org import OrgData, Period
from coach.admin.schemas import ActionPublic, AdminAnswer, AskRequest
from coach.api import privacy as privacy_routes
from coach.api.deps import SessionDep, require_role
from coach.paths import NoCatalog

router = APIRouter(tags=["admin"])

AdminUser = Annotated[storage.Viewer, Depends(require_role("admin"))]


def get_assistant(request: Request) -> AdminAssistant:
    return request.app.state.admin  # type: ignore[no-any-return]


AssistantDep = Annotated[AdminAssistant, Depends(get_assistant)]


def _ask(
    assistant: AdminAssistant, session: Session, user: storage.Viewer, body: AskRequest
) -> AdminAnswer:
    answer = assistant.ask(
        session,
        org_id=user.org_id,
        admin_id=user.id,
        question=body.question,
        language=body.language,
    )
    storage.log_event(
        session,
        org_id=user.org_id,
        user_id=user.id,
        type="admin.ask",
        payload={"intent": answer.intent, "kind": answer.kind, "confidence": answer.confidence},
    )
    return answer


@router.post("/v1/admin/ask")
def ask(
    body: AskRequest, user: AdminUser, session: SessionDep, assistant: AssistantDep
) -> AdminAnswer:
    """Answer one admin question: a cited how-to, a data result (numbers, filters, table,
    chart), a proposed action to confirm, a clarifying question, or a refusal."""
    return _ask(assistant, session, user, body)


@router.post(
    "/v1/admin/ask/stream",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "status, delta…, answer"}
    },
)
def ask_stream(
    body: AskRequest, user: AdminUser, session: SessionDep, assistant: AssistantDep
) -> StreamingResponse:
    """The same answer as Server-Sent Events: ``status`` while it works, ``delta`` events with
    the text, then ``answer`` with the whole structured reply."""
    answer = _ask(assistant, session, user, body)

    def events() -> Iterator[str]:
        yield f"event: status\ndata: {json.dumps({'intent': answer.intent})}\n\n"
        for word in answer.text.split(" "):
            yield f"event: delta\ndata: {json.dumps(word + ' ')}\n\n"
        yield f"event: answer\ndata: {answer.model_dump_json()}\n\n"

    return StreamingResponse(events(), media_type="text/event-stream")


@router.get("/v1/admin/kpis")
def kpis(
    user: AdminUser,
    session: SessionDep,
    assistant: AssistantDep,
    group_by: Literal["team", "role", "course"] = "team",
    start: date | None = None,
    end: date | None = None,
) -> Dashboard:
    """The KPI dashboard: engagement, learning and impact indicators per team, role or
    course over a period (default: the last 90 days), with their definitions and charts."""
    today = assistant.clock()
    if (start is None) != (end is None) or (start and end and start > end):
        raise HTTPException(422, "give both start and end (YYYY-MM-DD), start on or before end")
    period = Period(start, end) if start and end else None
    org = OrgData(session, org_id=user.org_id, world=assistant.world, today=today)
    try:
        return dashboard(org, group_by=group_by, period=period)
    except NoCatalog as err:
        raise HTTPException(404, str(err)) from err


@router.post("/v1/admin/actions/{action_id}/confirm")
def confirm_action(
    action_id: str, user: AdminUser, session: SessionDep, request: Request
) -> ActionPublic:
    """Run a proposed action once (409 if already decided or expired; 404 if not this
    organisation's)."""
    assistant = get_assistant(request)
    done = actions.confirm(
        session,
        org_id=user.org_id,
        admin_id=user.id,
        action_id=action_id,
        today=assistant.clock(),
        base_url=request.app.state.services.settings.base_url,  # xAPI of sign-offs
    )
    return actions.audit_row(done)


@router.post("/v1/admin/actions/{action_id}/decline")
def decline_action(action_id: str, user: AdminUser, session: SessionDep) -> ActionPublic:
    """Decline a proposed action: it will never run."""
    return actions.audit_row(
        actions.decline(session, org_id=user.org_id, admin_id=user.id, action_id=action_id)
    )


@router.get("/v1/admin/actions")
def list_actions(
    user: AdminUser, session: SessionDep, limit: Annotated[int, Query(ge=1, le=500)] = 50
) -> list[ActionPublic]:
    """The organisation's actions, newest first: proposed, executed, declined, expired."""
    now = datetime.now(UTC)
    rows = storage.list_actions(session, org_id=user.org_id, limit=limit)
    for row in rows:  # show what lapsed as expired (confirm would refuse it anyway)
        if row.status == "proposed" and row.expires_at <= now:
            row.status, row.decided_at = "expired", row.expires_at
    return [actions.audit_row(r) for r in rows]


# A person's export and erasure, and the learners' requests to be erased (issue 8): their
# own module, served with the admin routes (coach.app includes this router).
router.include_router(privacy_routes.router)
