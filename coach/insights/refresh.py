"""The topics job: an organisation's recent gap questions → stored, named, ranked topics.

Run by ``blendcoach insights refresh --org SLUG`` (or any scheduler). Only topics that
enough distinct learners asked are sent to the LLM for a label (the others are never
shown, see :func:`coach.storage.list_topics`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import numpy as np
from sqlalchemy.orm import Session

from coach import storage
from coach.insights.naming import llm_label
from coach.insights.topics import DISTANCE_THRESHOLD, AskedQuestion, Topic, build_topics
from coach.llm import ChatModel
from coach.org_settings import OrgSettings

Progress = Callable[[str, int, int], None]
"""``(stage, done, total)``: embedding, labelling, storing."""


def asked(row: storage.GapQuestion) -> AskedQuestion:
    """A stored gap question as the clustering sees it."""
    return AskedQuestion(
        id=row.id,
        text=row.question,
        language=row.language,
        learner=row.user_id,
        asked_at=row.created_at,
        course_id=row.course_id,
        nearest=(row.nearest_course_id, row.nearest_module_id, row.nearest_title),
    )


def refresh_topics(
    session: Session,
    *,
    org_id: str,
    embed: Callable[[list[str]], np.ndarray],
    chat_model: ChatModel | None = None,
    now: datetime | None = None,
    distance_threshold: float = DISTANCE_THRESHOLD,
    progress: Progress | None = None,
) -> list[Topic]:
    """Cluster the organisation's gap questions of its period and replace its topics."""
    now = now or datetime.now(UTC)
    settings = OrgSettings.model_validate(storage.get_organisation(session, org_id=org_id).settings)
    since = now - timedelta(days=settings.insights.period_days)
    rows = storage.gap_questions(session, org_id=org_id, since=since)
    report = progress or (lambda stage, done, total: None)
    report("embedding", 0, len(rows))

    def counted(texts: list[str]) -> np.ndarray:
        vectors = embed(texts)
        report("embedding", len(texts), len(rows))
        return vectors

    topics = build_topics(
        [asked(r) for r in rows], counted, now=now, distance_threshold=distance_threshold
    )
    shown = [t for t in topics if t.learners >= settings.insights.min_learners]
    if chat_model is not None:
        for i, topic in enumerate(shown):
            report("labelling", i, len(shown))
            label = llm_label(
                chat_model,
                phrases=topic.key_phrases,
                examples=topic.examples,
                language=topic.language,
            )
            if label:
                topic.label = label
                topic.extra["labelled_by"] = chat_model.name
        report("labelling", len(shown), len(shown))
    storage.replace_topics(
        session,
        org_id=org_id,
        topics=[
            {
                "course_id": t.course_id,
                "language": t.language,
                "rank": rank,
                "label": t.label[:300],
                "key_phrases": t.key_phrases,
                "learners": t.learners,
                "questions": t.questions,
                "last_asked": t.last_asked,
                "score": t.score,
                "examples": t.examples,
                "nearest": t.nearest,
                "question_ids": t.question_ids,
            }
            for rank, t in enumerate(topics, 1)
        ],
    )
    report("storing", len(topics), len(topics))
    return topics
