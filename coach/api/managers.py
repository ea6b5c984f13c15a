"""Managers: their team (per person or aggregated, as the organisation decided), one report,
goals for a report, pending on-the-job application confirmations; and for the learner,
what their manager sees and the goals proposed for them. See docs/managers.md.

Anyone outside the manager's team is 404 (another team, another organisation alike);
per-person routes are 403 when the organisation allows team figures only.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, model_validator

from coach import storage
from coach.api.deps import CurrentUser, ServicesDep, SessionDep
from coach.managers import applications, goals, views
from coach.managers.team import team_of
from coach.paths import NoCatalog, PathService

router = APIRouter(tags=["managers"])

Text = Annotated[str, Field(max_length=2000)]


class SkillTarget(BaseModel):
    skill: str = Field(min_length=1, max_length=255)
    level: int = Field(ge=1, le=10)


class GoalCreate(BaseModel):
    """Target skills with levels, or a target role; a deadline after today; a reason."""

    label: str = Field("", max_length=200)
    reason: Text
    deadline: date
    target_role: str | None = Field(None, max_length=255)
    skills: list[SkillTarget] = Field(default_factory=list, max_length=20)


class CommentCreate(BaseModel):
    text: Text


class ConfirmationAnswer(BaseModel):
    """A level on the 4-level scale, or ``no_opportunity``; a comment either way."""

    level: int | None = Field(None, ge=1, le=4)
    no_opportunity: bool = False
    comment: Text = ""

    @model_validator(mode="after")
    def _one_answer(self) -> ConfirmationAnswer:
        if (self.level is None) == (not self.no_opportunity):
            raise ValueError("give either a level (1 to 4) or no_opportunity: true")
        return self


def _paths(request: Request) -> PathService:
    return request.app.state.paths


def _refuse(err: goals.GoalInputError) -> JSONResponse:
    return JSONResponse(status_code=422, content={"detail": str(err), "problems": err.problems})


@router.get("/v1/manager/team")
def read_team(user: CurrentUser, session: SessionDep, request: Request) -> dict[str, Any]:
    """Each report's path progress, next deadline, overdue mandatory training and mastery,
    or the team's figures only (403 under ``min_group_size`` people)."""
    return views.team_overview(session, service=_paths(request), viewer=user)


@router.get("/v1/manager/reports/{user_id}")
def read_report(
    user_id: str, user: CurrentUser, session: SessionDep, request: Request
) -> dict[str, Any]:
    """One report's figures, goals and confirmations (individual visibility only)."""
    team = team_of(session, viewer=user)
    return views.person_detail(session, service=_paths(request), team=team, user_id=user_id)


@router.get("/v1/manager/reports/{user_id}/goals")
def read_report_goals(user_id: str, user: CurrentUser, session: SessionDep) -> dict[str, Any]:
    """The goals proposed for a report, with their comments."""
    team_of(session, viewer=user).check_member(user_id)
    return {"goals": goals.goals_json(session, report_id=user_id)}


@router.post("/v1/manager/reports/{user_id}/goals", status_code=201, response_model=None)
def propose_goal(
    user_id: str, body: GoalCreate, user: CurrentUser, session: SessionDep, request: Request
) -> dict[str, Any] | JSONResponse:
    """Propose a goal; the report's path is re-planned and goes to L&D review."""
    team = team_of(session, viewer=user)
    draft = goals.GoalDraft(
        label=body.label,
        reason=body.reason,
        deadline=body.deadline,
        target_role=body.target_role,
        skills=[(s.skill, s.level) for s in body.skills],
    )
    try:
        goal, replan = goals.propose_goal(
            session, service=_paths(request), team=team, report_id=user_id, draft=draft
        )
    except goals.GoalInputError as err:
        return _refuse(err)
    except NoCatalog as err:
        return JSONResponse(status_code=409, content={"detail": str(err)})
    shown = next(g for g in goals.goals_json(session, report_id=user_id) if g["id"] == goal.id)
    return {"goal": shown, "replan": replan}


@router.get("/v1/manager/confirmations")
def read_confirmations(user: CurrentUser, session: SessionDep, request: Request) -> dict[str, Any]:
    """Pending application confirmations about the caller's direct reports, oldest first."""
    service = _paths(request)
    pending = applications.pending_for(
        session, viewer=user, today=service.today(), world=service.world
    )
    # who is asking, for the manager page (GET /v1/me does not know the manager role yet)
    me = {"name": user.display_name, "locale": user.locale}
    return {"me": me, "pending": pending, "levels": applications.LEVELS}


@router.post("/v1/manager/confirmations/{request_id}", response_model=None)
def answer_confirmation(
    request_id: str,
    body: ConfirmationAnswer,
    user: CurrentUser,
    session: SessionDep,
    services: ServicesDep,
    request: Request,
) -> dict[str, Any] | JSONResponse:
    """Answer once: a level 1-4 or "no opportunity yet" (409 when answered already)."""
    service = _paths(request)
    req = applications.answer(
        session,
        viewer=user,
        request_id=request_id,
        level=body.level,
        comment=body.comment.strip(),
        base_url=services.settings.base_url,
        world=service.world,
    )
    catalog = applications.catalog_or_none(session, service.world, user.org_id)
    shown = applications.request_json(session, req, catalog)
    return {"confirmation": shown, "xapi": req.statement}


@router.get("/v1/me/manager-view")
def read_my_manager_view(
    user: CurrentUser, session: SessionDep, request: Request
) -> dict[str, Any]:
    """Exactly what the caller's manager(s) can see of them, and under which rules."""
    return views.my_manager_view(session, service=_paths(request), viewer=user)


@router.get("/v1/me/goals")
def read_my_goals(user: CurrentUser, session: SessionDep) -> dict[str, Any]:
    """The goals managers proposed for the caller, with their comments."""
    return {"goals": goals.goals_json(session, report_id=user.id)}


@router.post("/v1/goals/{goal_id}/comments", status_code=201, response_model=None)
def comment_goal(
    goal_id: str, body: CommentCreate, user: CurrentUser, session: SessionDep
) -> dict[str, Any] | JSONResponse:
    """The learner, or a manager of theirs, comments on a goal (404 for anyone else)."""
    try:
        row = goals.comment_goal(session, viewer=user, goal_id=goal_id, text=body.text)
    except goals.GoalInputError as err:
        return _refuse(err)
    goal = storage.get_goal(session, org_id=user.org_id, goal_id=goal_id)
    shown = next(
        g for g in goals.goals_json(session, report_id=goal.report_id) if g["id"] == row.goal_id
    )
    return {"goal": shown}
