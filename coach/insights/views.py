"""The insights as the API, the page and the CSV export show them (one function each)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coach import storage
from coach.admin import charts
from coach.insights import report
from coach.insights.schemas import (
    ItemList,
    ItemPublic,
    ModulePublic,
    NearestModule,
    SectionPublic,
    TopicList,
    TopicPublic,
    WeakContentPublic,
)
from retrieval.search import Retriever

CHART_TOPICS = 10


def topic_list(session: Session, *, org_id: str, course_id: str | None = None) -> TopicList:
    """Shown topics, best ranked first, with a chart of learners per topic."""
    minimum = report.settings_of(session, org_id).min_learners
    shown = report.topics(session, org_id=org_id, course_id=course_id)
    every = select(func.count(), func.max(storage.GapTopic.created_at)).where(
        storage.GapTopic.org_id == org_id
    )
    if course_id is not None:
        every = every.where(storage.GapTopic.course_id == course_id)
    total, refreshed = session.execute(every).one()
    topics = [
        TopicPublic(
            rank=i,
            label=t.label,
            key_phrases=t.key_phrases,
            course_id=t.course_id,
            language=t.language,
            learners=t.learners,
            questions=t.questions,
            last_asked=t.last_asked,
            examples=t.examples,
            nearest=NearestModule(**t.nearest) if t.nearest else None,
        )
        for i, t in enumerate(shown, 1)
    ]
    top = topics[:CHART_TOPICS]
    chart = (
        charts.bars(
            [t.label[:40] for t in top],
            {"learners": [t.learners for t in top]},
            title="Uncovered topics by learners",
        )
        if top
        else None
    )
    return TopicList(
        min_learners=minimum,
        refreshed_at=refreshed,
        hidden=int(total) - len(topics),
        topics=topics,
        chart=chart,
    )


def weak_content(
    session: Session, *, org_id: str, retriever: Retriever, every: bool = False
) -> WeakContentPublic:
    """Flagged sections (or all) and unused modules over the organisation's period."""
    found = report.weak_content(session, org_id=org_id, retriever=retriever)
    return WeakContentPublic(
        period_start=found.period_start,
        sections_total=len(found.sections),
        sections=[
            SectionPublic.model_validate(s, from_attributes=True)
            for s in found.sections
            if every or s.flags
        ],
        unused_modules=[ModulePublic(**asdict(m)) for m in found.modules],
    )


def item_list(session: Session, *, org_id: str, every: bool = False) -> ItemList:
    """Flagged quiz items (or all) with their statistics, most attempted first."""
    rows = report.item_analysis(session, org_id=org_id)
    start = report.since(report.settings_of(session, org_id))
    rows.sort(key=lambda r: (-len(r.stats.flags), -r.stats.attempts, r.item_id))
    return ItemList(
        period_start=start,
        items_total=len(rows),
        items=[
            ItemPublic(
                item_id=r.item_id,
                course_id=r.course_id,
                module_id=r.module_id,
                kind=r.kind,
                stem=r.stem,
                options=r.options,
                key=r.key,
                attempts=r.stats.attempts,
                difficulty=r.stats.difficulty,
                discrimination=r.stats.discrimination,
                picks=r.stats.picks,
                strong_picks=r.stats.strong_picks,
                flags=r.stats.flags,
                evidence=r.stats.evidence,
            )
            for r in rows
            if every or r.stats.flags
        ],
    )


def to_csv(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """CSV text; cells that a spreadsheet would run as a formula are quoted with a '."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()


def _cell(value: Any) -> str:
    if isinstance(value, int | float):  # numbers stay numbers (-0.3 is not a formula)
        return str(value)
    text = "; ".join(map(str, value)) if isinstance(value, list) else str(value or "")
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def topics_csv(data: TopicList) -> str:
    cols = ["rank", "label", "key_phrases", "course_id", "language", "learners", "questions"]
    cols += ["last_asked", "examples", "nearest_module"]
    return to_csv(
        cols,
        (
            [
                t.rank,
                t.label,
                t.key_phrases,
                t.course_id,
                t.language,
                t.learners,
                t.questions,
                t.last_asked.isoformat(),
                t.examples,
                t.nearest.title if t.nearest else None,
            ]
            for t in data.topics
        ),
    )


def sections_csv(data: WeakContentPublic) -> str:
    cols = ["course_id", "module_title", "section_title", "source_path", "retrieved", "cited"]
    cols += ["rated", "thumbs_down", "flags", "evidence"]
    return to_csv(
        cols,
        (
            [
                s.course_id,
                s.module_title,
                s.section_title,
                s.source_path,
                s.retrieved,
                s.cited,
                s.rated,
                s.down,
                s.flags,
                s.evidence,
            ]
            for s in data.sections
        ),
    )


def items_csv(data: ItemList) -> str:
    cols = ["item_id", "course_id", "module_id", "kind", "stem", "attempts", "difficulty"]
    cols += ["discrimination", "picks", "strong_picks", "flags", "evidence"]
    return to_csv(
        cols,
        (
            [
                i.item_id,
                i.course_id,
                i.module_id,
                i.kind,
                i.stem,
                i.attempts,
                i.difficulty,
                i.discrimination,
                i.picks,
                i.strong_picks,
                i.flags,
                i.evidence,
            ]
            for i in data.items
        ),
    )
