"""API schemas, named by role."""

from __future__ import annotations

from pydantic import BaseModel, Field

from retrieval.types import SearchHit


class CitationPublic(BaseModel):
    course_id: str
    course_title: str
    module_id: str
    module_title: str
    section_title: str
    source_path: str
    anchor: str
    breadcrumb: str


class SearchHitPublic(BaseModel):
    chunk_id: str
    text: str
    score: float
    language: str
    skills: list[str]
    citation: CitationPublic
    scores: dict[str, float] = Field(description="Per-side scores before fusion")

    @classmethod
    def from_hit(cls, hit: SearchHit) -> SearchHitPublic:
        c = hit.citation
        return cls(
            chunk_id=hit.chunk_id,
            text=hit.text,
            score=hit.score,
            language=hit.language,
            skills=list(hit.skills),
            scores=hit.scores,
            citation=CitationPublic(
                course_id=c.course_id,
                course_title=c.course_title,
                module_id=c.module_id,
                module_title=c.module_title,
                section_title=c.section_title,
                source_path=c.source_path,
                anchor=c.anchor,
                breadcrumb=c.breadcrumb,
            ),
        )


class SearchResponse(BaseModel):
    query: str
    hits: list[SearchHitPublic]


class Health(BaseModel):
    status: str
    index_points: int
    embedding_model: str
