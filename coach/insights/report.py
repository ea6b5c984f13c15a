"""What the Insights page, the API, the CSV export and the admin assistant show: one place
that reads the stored figures for an organisation and applies its settings.

Learner identities never leave this module: topics carry counts, items and sections carry
statistics.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from coach import storage
from coach.insights.content import ContentRules, ModuleUse, SectionUse, content_use
from coach.insights.items import ItemKey, ItemRules, ItemStats, Response, analyse_items
from coach.org_settings import InsightSettings, OrgSettings
from coach.quizzes.items import QuizItem
from retrieval.search import Retriever
from retrieval.types import SearchFilter

EVENTS_PAGE = 5000


def settings_of(session: Session, org_id: str) -> InsightSettings:
    """The organisation's insights settings."""
    org = storage.get_organisation(session, org_id=org_id)
    return OrgSettings.model_validate(org.settings).insights


def since(settings: InsightSettings, now: datetime | None = None) -> datetime:
    """Start of the analysed period."""
    return (now or datetime.now(UTC)) - timedelta(days=settings.period_days)


def topics(
    session: Session, *, org_id: str, course_id: str | None = None
) -> list[storage.GapTopic]:
    """The topics shown: asked by at least the organisation's minimum of distinct learners."""
    minimum = settings_of(session, org_id).min_learners
    return storage.list_topics(session, org_id=org_id, min_learners=minimum, course_id=course_id)


@dataclass(frozen=True, slots=True)
class WeakContent:
    """Sections with their use and flags, and the modules nobody's turn used."""

    sections: list[SectionUse]
    modules: list[ModuleUse]
    period_start: datetime


def weak_content(
    session: Session,
    *,
    org_id: str,
    retriever: Retriever,
    rules: ContentRules | None = None,
    now: datetime | None = None,
) -> WeakContent:
    """Every section of the courses the organisation sees, with its use over the period."""
    start = since(settings_of(session, org_id), now)
    visible = storage.visible_course_ids(storage.get_organisation(session, org_id=org_id))
    inventory = (
        []
        if visible == []
        else retriever.chunks(flt=SearchFilter(course_ids=tuple(visible)) if visible else None)
    )
    turns: list[tuple[list[str], list[str]]] = []
    after: int | None = None
    while True:  # the period's answered turns, page by page
        page = storage.list_events(
            session,
            org_id=org_id,
            type="chat.answered",
            since=start,
            after_id=after,
            limit=EVENTS_PAGE,
        )
        turns += [(e.payload.get("retrieved") or [], e.payload.get("chunks") or []) for e in page]
        if len(page) < EVENTS_PAGE:
            break
        after = page[-1].id
    ratings = storage.rated_answers(session, org_id=org_id, since=start)
    sections, modules = content_use(inventory, turns, ratings, rules)
    return WeakContent(sections, modules, start)


@dataclass(frozen=True, slots=True)
class ItemRow:
    """One quiz item's statistics with what identifies it for review."""

    item_id: str
    course_id: str
    module_id: str | None
    kind: str
    stem: str
    options: list[str]
    key: int | None
    stats: ItemStats


def item_analysis(
    session: Session, *, org_id: str, rules: ItemRules | None = None, now: datetime | None = None
) -> list[ItemRow]:
    """Classical item analysis of the organisation's active items over the period."""
    start = since(settings_of(session, org_id), now)
    pairs = storage.item_attempts(session, org_id=org_id, since=start)
    items = {row.id: row for row in storage.active_items(session, org_id=org_id)}
    parsed = {i: QuizItem.model_validate(row.payload) for i, row in items.items()}
    responses = [Response(a.user_id, item.id, a.correct, _choice(a.answer)) for item, a in pairs]
    keys = [ItemKey(i, len(p.options), p.correct_index) for i, p in parsed.items()]
    stats = analyse_items(responses, keys, rules)
    return [
        ItemRow(
            item_id=s.item,
            course_id=items[s.item].course_id,
            module_id=items[s.item].module_id,
            kind=parsed[s.item].kind,
            stem=parsed[s.item].stem,
            options=[o.text for o in parsed[s.item].options],
            key=parsed[s.item].correct_index,
            stats=s,
        )
        for s in stats
    ]


def _choice(answer: dict[str, Any]) -> int | None:
    choice = answer.get("choice")
    return choice if isinstance(choice, int) else None
