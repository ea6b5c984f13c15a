"""Content gap insights for L&D: uncovered topics, weak content, quiz item analysis (JSON or
CSV), a refresh of the topics, and the Insights page. Admins and reviewers (L&D) only;
nothing returned names a learner."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from coach import storage
from coach.api.deps import RetrieverDep, ServicesDep, SessionDep, require_role
from coach.api.review_pages import PAGE_HEADERS, review_asset
from coach.insights import views
from coach.insights.refresh import refresh_topics
from coach.insights.schemas import ItemList, RefreshResult, TopicList, WeakContentPublic
from coach.llm import make_chat_model

router = APIRouter(tags=["insights"])
API = "/v1/admin/insights"

Analyst = Annotated[storage.Viewer, Depends(require_role("admin", "reviewer"))]
Admin = Annotated[storage.Viewer, Depends(require_role("admin"))]
Every = Annotated[bool, Query(alias="all", description="Every row, not only flagged ones")]
CSV = "text/csv; charset=utf-8"
CSV_DOC = {200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "CSV"}}


def _csv(text: str, name: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{name}.csv"'}
    return Response(text, media_type=CSV, headers=headers)


@router.get(API + "/topics", response_model=TopicList)
def topics(user: Analyst, session: SessionDep, course_id: str | None = None) -> TopicList:
    """What learners ask that the courses do not cover, by topic (enough learners only)."""
    return views.topic_list(session, org_id=user.org_id, course_id=course_id)


@router.get(API + "/topics.csv", response_class=Response, responses=CSV_DOC)
def topics_csv(user: Analyst, session: SessionDep, course_id: str | None = None) -> Response:
    data = views.topic_list(session, org_id=user.org_id, course_id=course_id)
    return _csv(views.topics_csv(data), "uncovered-topics")


@router.post(API + "/refresh", response_model=RefreshResult)
def refresh(user: Admin, session: SessionDep, services: ServicesDep) -> RefreshResult:
    """Regroup the organisation's recent gap questions into topics now."""
    found = refresh_topics(
        session,
        org_id=user.org_id,
        embed=services.embedder.embed_documents,
        chat_model=make_chat_model(services.settings.llm),
    )
    shown = views.topic_list(session, org_id=user.org_id).topics
    return RefreshResult(topics=len(found), shown=len(shown))


@router.get(API + "/weak-content", response_model=WeakContentPublic)
def weak_content(
    user: Analyst, session: SessionDep, retriever: RetrieverDep, every: Every = False
) -> WeakContentPublic:
    """Sections never used or disliked over the period, and modules nobody's turn used."""
    return views.weak_content(session, org_id=user.org_id, retriever=retriever, every=every)


@router.get(API + "/weak-content.csv", response_class=Response, responses=CSV_DOC)
def weak_content_csv(
    user: Analyst, session: SessionDep, retriever: RetrieverDep, every: Every = False
) -> Response:
    data = views.weak_content(session, org_id=user.org_id, retriever=retriever, every=every)
    return _csv(views.sections_csv(data), "weak-content")


@router.get(API + "/items", response_model=ItemList)
def items(user: Analyst, session: SessionDep, every: Every = False) -> ItemList:
    """Quiz items whose statistics look wrong, with the evidence."""
    return views.item_list(session, org_id=user.org_id, every=every)


@router.get(API + "/items.csv", response_class=Response, responses=CSV_DOC)
def items_csv(user: Analyst, session: SessionDep, every: Every = False) -> Response:
    data = views.item_list(session, org_id=user.org_id, every=every)
    return _csv(views.items_csv(data), "quiz-items")


@router.get("/admin/insights", include_in_schema=False)
def insights_page() -> Response:
    """The Insights page; L&D and admins sign in on it with their token."""
    asset = review_asset("insights.html")
    assert asset is not None, "static/review/insights.html ships with the package"
    return Response(asset.body, media_type=asset.media_type, headers=PAGE_HEADERS)
