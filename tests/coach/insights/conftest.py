"""Test-data factory for insights: gap questions asked by named learners of an organisation."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from coach import storage


def seed_gaps(
    engine: Engine,
    asked: Sequence[tuple[str, str]],
    *,
    org: str = "northwind",
    language: str = "en",
    course_id: str | None = None,
    at: datetime | None = None,
) -> str:
    """Record ``(learner external id, question)`` pairs as uncovered turns; the org's id."""
    with Session(engine) as session, session.begin():
        organisation = storage.get_organisation_by_slug(session, slug=org)
        if organisation is None:
            organisation = storage.create_organisation(session, slug=org, name=org.title())
        for external_id, question in asked:
            user = storage.find_user(session, org_id=organisation.id, external_id=external_id)
            user = user or storage.create_user(
                session, org_id=organisation.id, external_id=external_id
            )
            viewer = storage.Viewer(id=user.id, org_id=organisation.id, role="learner")
            conv = storage.create_conversation(
                session, viewer=viewer, title=question, course_id=course_id
            )
            storage.add_message(session, conversation_id=conv.id, role="user", content=question)
            answer = storage.add_message(
                session, conversation_id=conv.id, role="assistant", content="no", covered=False
            )
            row = storage.record_gap(
                session,
                org_id=organisation.id,
                user_id=user.id,
                message_id=answer.id,
                conversation_id=conv.id,
                question=question,
                language=language,
                not_covered=True,
                weak=False,
                best_score=0.2,
                confidence=0.1,
                nearest_course_id=None,
                nearest_module_id=None,
                nearest_title=None,
            )
            if at is not None:
                row.created_at = at
        return organisation.id
