"""What the insights API returns (no learner identity anywhere: counts and statistics)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from coach.admin.schemas import Chart


class NearestModule(BaseModel):
    course_id: str | None = None
    module_id: str | None = None
    title: str | None = None


class TopicPublic(BaseModel):
    rank: int
    label: str
    key_phrases: list[str]
    course_id: str | None
    language: str
    learners: int
    questions: int
    last_asked: datetime
    examples: list[str]
    nearest: NearestModule | None


class TopicList(BaseModel):
    min_learners: int
    refreshed_at: datetime | None
    hidden: int
    """Topics not shown: fewer distinct learners than ``min_learners``."""
    topics: list[TopicPublic]
    chart: Chart | None = None


class SectionPublic(BaseModel):
    course_id: str
    module_id: str
    module_title: str
    section_title: str
    source_path: str
    retrieved: int
    cited: int
    rated: int
    down: int
    flags: list[str]
    evidence: list[str]


class ModulePublic(BaseModel):
    course_id: str
    module_id: str
    module_title: str
    sections: int


class WeakContentPublic(BaseModel):
    period_start: datetime
    sections_total: int
    sections: list[SectionPublic]
    """Flagged sections only (``?all=true``: every section)."""
    unused_modules: list[ModulePublic]


class ItemPublic(BaseModel):
    item_id: str
    course_id: str
    module_id: str | None
    kind: str
    stem: str
    options: list[str]
    key: int | None
    attempts: int
    difficulty: float | None
    discrimination: float | None
    picks: list[int]
    strong_picks: list[int]
    flags: list[str]
    evidence: list[str]


class ItemList(BaseModel):
    period_start: datetime
    items_total: int
    items: list[ItemPublic]
    """Flagged items only (``?all=true``: every item)."""


class RefreshResult(BaseModel):
    topics: int
    shown: int
