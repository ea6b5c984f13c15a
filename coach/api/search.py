"""Search over the course content."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from coach.api.deps import RetrieverDep
from coach.schemas import SearchHitPublic, SearchResponse
from retrieval.search import MAX_QUERY_CHARS, QueryError
from retrieval.types import SearchFilter

router = APIRouter(prefix="/v1", tags=["search"])


@router.get("/search", response_model=SearchResponse)
def search(
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
    """Hybrid search: the best passages with their citations (course content only: the
    admin guide is searched by the admin assistant, never here)."""
    courses = tuple(c for c in course or () if c not in retriever.hidden_courses)
    if course and not courses:
        return SearchResponse(query=q, hits=[])
    flt = SearchFilter(
        course_ids=courses, skills=tuple(skill or ()), languages=tuple(language or ())
    )
    try:
        hits = retriever.search(q, k=k, flt=flt)
    except QueryError as err:
        raise HTTPException(status_code=422, detail=str(err)) from err
    return SearchResponse(query=q, hits=[SearchHitPublic.from_hit(h) for h in hits])
