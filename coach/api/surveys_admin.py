"""Survey routes for admins: templates (read, override, reset), the sweep, response rates,
comments, the Kirkpatrick dashboard and the refresh of its rollup."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, HTTPException, Request
from pydantic import BaseModel, ValidationError

from coach import storage
from coach.api.deps import ServicesDep, SessionDep, require_role
from coach.llm import make_chat_model
from coach.llm.base import ChatModel
from coach.surveys import comments as survey_comments
from coach.surveys import rates, rollup, store, sweep
from coach.surveys.kirkpatrick import Kirkpatrick, default_period, kirkpatrick
from coach.surveys.levels import ConfirmationsFn
from coach.surveys.templates import Audience, Kind
from coach.surveys.themes import themes as find_themes

router = APIRouter(tags=["surveys"])
AdminUser = Annotated[storage.Viewer, Depends(require_role("admin"))]


def get_today(request: Request) -> date:
    """The service's day (the planning date when one is set): surveys open and close by it."""
    return request.app.state.admin.clock()  # type: ignore[no-any-return]


TodayDep = Annotated[date, Depends(get_today)]


@router.get("/v1/admin/surveys/templates")
def templates(user: AdminUser, session: SessionDep) -> list[dict[str, Any]]:
    """The templates the organisation uses (hot learner, cold learner, cold manager)."""
    return store.templates_of(session, org_id=user.org_id)


@router.put("/v1/admin/surveys/templates/{kind}/{audience}")
def override_template(
    kind: Kind,
    audience: Audience,
    user: AdminUser,
    session: SessionDep,
    data: Annotated[dict[str, Any], Body()],
) -> dict[str, Any]:
    """Use the organisation's own template (422 naming the field when it is not valid;
    surveys already open keep theirs)."""
    try:
        template = store.override(
            session, org_id=user.org_id, kind=kind, audience=audience, data=data, by=user.id
        )
    except ValidationError as err:
        detail = [
            {"loc": ["body", *e["loc"]], "msg": e["msg"], "type": e["type"]} for e in err.errors()
        ]
        raise HTTPException(422, detail) from err
    except ValueError as err:
        raise HTTPException(422, str(err)) from err
    return {
        "kind": kind,
        "audience": audience,
        "overridden": True,
        "template": template.model_dump(mode="json"),
    }


@router.delete("/v1/admin/surveys/templates/{kind}/{audience}", status_code=204)
def reset_template(kind: Kind, audience: Audience, user: AdminUser, session: SessionDep) -> None:
    """Go back to the shipped template."""
    if not storage.delete_survey_template(
        session, org_id=user.org_id, kind=kind, audience=audience
    ):
        raise HTTPException(404, "this template is not overridden")


@router.post("/v1/admin/surveys/sweep")
def run_sweep(user: AdminUser, session: SessionDep, today: TodayDep) -> dict[str, int]:
    """Open the surveys due today and close those past their deadline (the daily job does
    the same; running it twice opens nothing twice)."""
    done = sweep.open_due(session, org_id=user.org_id, today=today)
    return {"opened": done.opened, "closed": done.closed}


@router.get("/v1/admin/surveys/rates")
def response_rates(
    user: AdminUser,
    session: SessionDep,
    today: TodayDep,
    group_by: rates.RatesBy = "survey",
    since: date | None = None,
    until: date | None = None,
) -> list[rates.Rate]:
    """Response rates (answered / sent) per survey, course or team, over surveys opened
    between ``since`` and ``until`` (default: all up to today)."""
    return rates.response_rates(
        session, org_id=user.org_id, group_by=group_by, today=today, since=since, until=until
    )


def get_confirmations(request: Request) -> ConfirmationsFn | None:
    """Managers' application confirmations for the behaviour level, when the app has them
    (``app.state.application_confirmations``: ``fn(session, *, org_id, since, until)``)."""
    return getattr(request.app.state, "application_confirmations", None)


@router.get("/v1/admin/kirkpatrick")
def kirkpatrick_dashboard(
    user: AdminUser,
    session: SessionDep,
    today: TodayDep,
    request: Request,
    confirmations: Annotated[ConfirmationsFn | None, Depends(get_confirmations)],
    group_by: Literal["course", "modality", "team"] = "course",
    since: date | None = None,
    until: date | None = None,
    charts: bool = True,
) -> Kirkpatrick:
    """Reaction, learning, behaviour and results per course, modality or team for steps
    taken between ``since`` and ``until`` (default: the last 365 days), with charts."""
    since, until = _period(today, since, until)
    return kirkpatrick(
        session,
        org_id=user.org_id,
        group_by=group_by,
        since=since,
        until=until,
        world=request.app.state.paths.world,
        confirmations=confirmations,
        charts=charts,
    )


class RollupPublic(BaseModel):
    """When the Kirkpatrick rollup was built, and how long it took."""

    as_of: datetime
    seconds: float


@router.post("/v1/admin/kirkpatrick/refresh")
def kirkpatrick_refresh(user: AdminUser, session: SessionDep, request: Request) -> RollupPublic:
    """Rebuild the organisation's Kirkpatrick rollup from the raw answers, tests and steps
    now (the daily sweep does it too; the dashboard says when it was built)."""
    state = rollup.refresh(session, org_id=user.org_id, world=request.app.state.paths.world)
    return RollupPublic(as_of=state.built_at, seconds=state.seconds)


def _period(today: date, since: date | None, until: date | None) -> tuple[date, date]:
    first, last = default_period(today)
    since, until = since or (until or today) - (last - first), until or last
    if since > until:
        raise HTTPException(422, "since must be on or before until")
    return since, until


def get_theme_model(services: ServicesDep) -> ChatModel | None:
    """The chat model that names comment themes (None: offline key phrases only)."""
    return make_chat_model(services.settings.llm)


@router.get("/v1/admin/surveys/comments")
def comment_summary(
    user: AdminUser,
    session: SessionDep,
    today: TodayDep,
    model: Annotated[ChatModel | None, Depends(get_theme_model)],
    group_by: Literal["course", "modality", "team"] = "course",
    kind: Literal["hot", "cold"] | None = None,
    since: date | None = None,
    until: date | None = None,
    themes: bool = True,
    lang: Literal["en", "fr"] | None = None,
) -> dict[str, Any]:
    """Free-text answers per group with their key phrases (offline) and, when an LLM is
    configured and ``themes``, themes with verbatim quotes; every phrase, theme and quote
    lists the ids of the comments it came from."""
    since, until = _period(today, since, until)
    found = survey_comments.collect(
        session, org_id=user.org_id, group_by=group_by, since=since, until=until, kind=kind
    )
    phrases = survey_comments.key_phrases(found)
    groups = []
    for group in sorted({c.group for c in found}):
        mine = [c for c in found if c.group == group]
        row: dict[str, Any] = {
            "group": group,
            "comments": [
                {"id": c.id, "text": c.text, "kind": c.kind, "audience": c.audience} for c in mine
            ],
            "phrases": [p.model_dump() for p in phrases.get(group, [])],
            "themes": None,
            "themes_error": None if model and themes else "no LLM configured",
        }
        if model is not None and themes:
            got, why = find_themes(model, mine, group=group, language=lang or user.locale)
            row["themes"] = [t.model_dump() for t in got] if got is not None else None
            row["themes_error"] = why
        groups.append(row)
    return {
        "group_by": group_by,
        "period": [since.isoformat(), until.isoformat()],
        "groups": groups,
    }
