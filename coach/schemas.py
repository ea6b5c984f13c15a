"""API schemas, named by role."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from coach.storage.access import Role
from retrieval.types import Citation, SearchHit


class CitationPublic(BaseModel):
    course_id: str
    course_title: str
    module_id: str
    module_title: str
    section_title: str
    source_path: str
    anchor: str
    breadcrumb: str

    @classmethod
    def from_citation(cls, c: Citation) -> CitationPublic:
        return cls(
            course_id=c.course_id,
            course_title=c.course_title,
            module_id=c.module_id,
            module_title=c.module_title,
            section_title=c.section_title,
            source_path=c.source_path,
            anchor=c.anchor,
            breadcrumb=c.breadcrumb,
        )


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
        return cls(
            chunk_id=hit.chunk_id,
            text=hit.text,
            score=hit.score,
            language=hit.language,
            skills=list(hit.skills),
            scores=hit.scores,
            citation=CitationPublic.from_citation(hit.citation),
        )


class SearchResponse(BaseModel):
    query: str
    hits: list[SearchHitPublic]


class Health(BaseModel):
    status: str
    index_points: int
    embedding_model: str


class OrganisationPublic(BaseModel):
    id: str
    slug: str
    name: str


class MePublic(BaseModel):
    """Who the token speaks for."""

    id: str
    org: OrganisationPublic
    role: Role
    display_name: str
    locale: str


class MemoryItemPublic(BaseModel):
    """A goal or fact the learner told the coach about themselves."""

    id: str
    kind: Literal["goal", "fact"]
    text: str
    source_message_id: str | None
    created_at: datetime


class MemoryList(BaseModel):
    items: list[MemoryItemPublic]
