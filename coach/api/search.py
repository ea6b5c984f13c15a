"""Search over the course content."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from coach import storage
from coach.api.deps import CurrentUser, RetrieverDep, SessionDep
from coach.schemas import SearchHitPublic, SearchResponse
from retrieval.search import MAX_QUERY_CHARS, QueryError
from retrieval.types import SearchFilter

router = APIRouter(prefix="/v1", tags=["search"])


@router.get("/search", response_model=SearchResponse)
def search(
    user: CurrentUser,
    session: SessionDep,
    retriever: RetrieverDep,
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY_CHARS, description="The question")],
    k: Annotated[int, Query(ge=1, le=50)] = 5,
    course: Annotated[list[str] | None, Query(description="Only these course ids")] = None,
    skill: Annotated[
        list[str] | None, Query(description="Only passages teaching these skills")
    ] = None,
    language: Annotated[
        list[str] | None, Query(description="Only these languages (en, fr)")
    ] = None,
) -> SearchResponse:
    """Hybrid search: the best passages with their citations, in the courses the caller's
    organisation can see (course content only: the admin guide is searched by the admin
    assistant, never here)."""
    visible = storage.visible_course_ids(storage.get_organisation(session, org_id=user.org_id))
    asked = course or (visible if visible is not None else ())
    courses = tuple(
        c for c in asked if c not in retriever.hidden_courses and (visible is None or c in visible)
    )
    if (course or visible is not None) and not courses:
        return SearchResponse(query=q, hits=[])
    flt = SearchFilter(
        course_ids=courses, skills=tuple(skill or ()), languages=tuple(language or ())
    )
    try:
        hits = retriever.search(q, k=k, flt=flt)
    except QueryError as err:
        raise HTTPException(status_code=422, detail=str(err)) from err
    return SearchResponse(query=q, hits=[SearchHitPublic.from_hit(h) for h in hits])
