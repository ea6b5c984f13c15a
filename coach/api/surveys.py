"""Survey routes for respondents (learners and managers): my surveys, one survey's form,
answer it, edit the answer. The admin routes are in :mod:`coach.api.surveys_admin`.

Another person's survey, or another organisation's, is 404 on every route.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field

from coach.api import surveys_admin
from coach.api.deps import CurrentUser, SessionDep
from coach.api.review_pages import PAGE_HEADERS, review_asset
from coach.api.surveys_admin import TodayDep
from coach.surveys import answers

router = APIRouter(tags=["surveys"])


class AnswerBody(BaseModel):
    """Question id → answer (a scale point, an option id or a list of them, a text)."""

    model_config = ConfigDict(extra="forbid")

    answers: dict[str, Any] = Field(max_length=50)
    language: Literal["en", "fr"] | None = None


@router.get("/v1/surveys")
def my_surveys(
    user: CurrentUser, session: SessionDep, today: TodayDep, closed: bool = False
) -> list[dict[str, Any]]:
    """My surveys open today, newest first (``closed=true``: the closed ones too)."""
    return answers.mine(session, viewer=user, today=today, include_closed=closed)


@router.get("/v1/surveys/{survey_id}")
def get_survey(
    survey_id: str,
    user: CurrentUser,
    session: SessionDep,
    today: TodayDep,
    lang: Literal["en", "fr"] | None = None,
) -> dict[str, Any]:
    """One of my surveys: its form in my language (or ``lang``) and my answer, if any."""
    return answers.one(session, viewer=user, instance_id=survey_id, today=today, lang=lang)


@router.post("/v1/surveys/{survey_id}/answer", status_code=201)
def answer_survey(
    survey_id: str, body: AnswerBody, user: CurrentUser, session: SessionDep, today: TodayDep
) -> dict[str, Any]:
    """Answer one of my open surveys (409 if answered already: edit with PUT)."""
    return answers.submit(
        session,
        viewer=user,
        instance_id=survey_id,
        values=body.answers,
        today=today,
        edit=False,
        lang=body.language,
    )


@router.put("/v1/surveys/{survey_id}/answer")
def edit_answer(
    survey_id: str, body: AnswerBody, user: CurrentUser, session: SessionDep, today: TodayDep
) -> dict[str, Any]:
    """Replace my answer while the survey is open (404 if I have not answered yet)."""
    return answers.submit(
        session,
        viewer=user,
        instance_id=survey_id,
        values=body.answers,
        today=today,
        edit=True,
        lang=body.language,
    )


@router.get("/surveys/{survey_id}", include_in_schema=False)
def survey_page(survey_id: str) -> Response:
    """The survey form (static/review/survey.html); it signs in like the review page, with
    a ``#token=`` fragment or the token typed in, and loads the survey through the API."""
    asset = review_asset("survey.html")
    assert asset is not None, "static/review/survey.html ships with the package"
    return Response(asset.body, media_type=asset.media_type, headers=PAGE_HEADERS)


@router.get("/admin/kirkpatrick", include_in_schema=False)
def kirkpatrick_page() -> Response:
    """The admins' Kirkpatrick dashboard page (static/review/kirkpatrick.html)."""
    asset = review_asset("kirkpatrick.html")
    assert asset is not None, "static/review/kirkpatrick.html ships with the package"
    return Response(asset.body, media_type=asset.media_type, headers=PAGE_HEADERS)


router.include_router(surveys_admin.router)
