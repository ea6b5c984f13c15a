"""Learning paths: generate, list, read with the diff, review (with edits), bulk approve;
a learner's own approved path. The workflow is in :mod:`coach.paths`; see docs/paths-api.md."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from coach import storage
from coach.api.deps import CurrentUser, SessionDep
from coach.paths import NoCatalog, PathInputError, PathService
from coach.paths.views import detail_json, summary_json

router = APIRouter(tags=["paths"])

Status = Literal["draft", "pending", "approved", "rejected", "changes_requested"]
Action = Literal["approve", "reject", "request_changes", "comment", "edit", "submit"]


class PathsCreate(BaseModel):
    """Whose paths to build: these learners (external ids), or every learner with a profile
    in the team and/or role given."""

    learners: list[Annotated[str, Field(min_length=1, max_length=255)]] | None = Field(
        None, max_length=10_000
    )
    team: str | None = None
    role: str | None = None
    submit: bool = True


class ReviewCreate(BaseModel):
    action: Action
    revision: int = Field(ge=0)
    comment: str = Field("", max_length=4000)
    edits: list[dict[str, Any]] = Field(default_factory=list, max_length=200)


class BulkReview(BaseModel):
    action: Literal["approve"] = "approve"
    ids: list[str] | None = Field(None, max_length=10_000)
    revisions: dict[str, int] | None = Field(
        None, description="id → the revision read; a path changed since is skipped"
    )
    team: str | None = None
    role: str | None = None
    item: str | None = None
    comment: str = Field("", max_length=4000)


def _service(request: Request) -> PathService:
    return request.app.state.paths  # type: ignore[no-any-return]


def _refuse(err: PathInputError) -> JSONResponse:
    return JSONResponse(status_code=422, content={"detail": str(err), "problems": err.problems})


@router.post("/v1/paths", status_code=201)
def generate_paths(
    body: PathsCreate, user: CurrentUser, session: SessionDep, request: Request
) -> dict[str, Any]:
    """Build or re-plan paths; each written path goes to review (``pending``)."""
    storage.check_reviewer(user)
    try:
        result = _service(request).generate(
            session,
            viewer=user,
            org_id=user.org_id,
            external_ids=body.learners,
            team=body.team,
            role=body.role,
            submit=body.submit,
        )
    except NoCatalog as err:
        raise HTTPException(409, str(err)) from err
    users = {u.id: u for u in storage.list_users(session, org_id=user.org_id)}
    return {
        "paths": [summary_json(row, users[row.user_id]) for row in result.paths],
        "unchanged": result.unchanged,
        "problems": result.problems,
    }


@router.get("/v1/paths")
def list_paths(
    user: CurrentUser,
    session: SessionDep,
    status: Status | None = None,
    team: str | None = None,
    role: str | None = None,
    item: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,  # PostgreSQL's integers
) -> dict[str, Any]:
    """The organisation's paths, filtered (reviewers and admins)."""
    rows, total = storage.list_paths(
        session,
        viewer=user,
        status=status,
        team=team,
        role=role,
        item=item,
        limit=limit,
        offset=offset,
    )
    return {"paths": [summary_json(p, u) for p, u in rows], "total": total}


@router.post("/v1/paths/review")
def bulk_review(
    body: BulkReview, user: CurrentUser, session: SessionDep, request: Request
) -> dict[str, Any]:
    """Approve the pending paths matching every filter given that have no blocking problem."""
    approved, skipped = _service(request).bulk_approve(
        session,
        viewer=user,
        ids=body.ids,
        team=body.team,
        role=body.role,
        item=body.item,
        comment=body.comment,
        revisions=body.revisions,
    )
    return {"approved": approved, "skipped": skipped}


@router.get("/v1/paths/{path_id}")
def read_path(
    path_id: str,
    user: CurrentUser,
    session: SessionDep,
    request: Request,
    against: Annotated[int | None, Query(ge=1)] = None,
    version: Annotated[int | None, Query(ge=1)] = None,
) -> dict[str, Any]:
    """A path with its problems, sessions, diff and audit trail."""
    row = storage.get_path(session, viewer=user, path_id=path_id)
    if version is not None and version > row.version:
        raise HTTPException(404, f"path has no version {version}")
    owner = storage.get_user(session, user_id=row.user_id)
    return detail_json(session, _service(request), row, owner, version=version, against=against)


@router.post("/v1/paths/{path_id}/review", response_model=None)
def review_path(
    path_id: str, body: ReviewCreate, user: CurrentUser, session: SessionDep, request: Request
) -> dict[str, Any] | JSONResponse:
    """Approve, reject, request changes, comment, submit or edit (``revision`` = the one read)."""
    service = _service(request)
    try:
        row = service.review(
            session,
            viewer=user,
            path_id=path_id,
            action=body.action,
            revision=body.revision,
            comment=body.comment,
            edits=body.edits,
        )
    except PathInputError as err:
        session.rollback()
        return _refuse(err)
    owner = storage.get_user(session, user_id=row.user_id)
    return detail_json(session, service, row, owner)


@router.get("/v1/me/path")
def my_path(user: CurrentUser, session: SessionDep, request: Request) -> dict[str, Any]:
    """The learner's approved path (404 until L&D approves one)."""
    row, version = storage.my_approved_path(session, viewer=user)
    owner = storage.get_user(session, user_id=row.user_id)
    return detail_json(
        session, _service(request), row, owner, version=version.version, reviewer=False
    )
