"""Conversation retention: an organisation's setting (validated), and the sweep that
deletes only the conversations not continued within it, with their messages, counted and
logged; the daily nudge run can do it first. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from coach import privacy, storage
from coach.nudges.engine import NudgeEngine
from coach.org_settings import OrgSettings
from tests.utils.users import TestUser

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def session(db_engine: Engine) -> Iterator[Session]:
    with Session(db_engine) as s:
        yield s


def _conversation(session: Session, user: storage.User, *, last: datetime) -> str:
    viewer = storage.Viewer.from_user(user)
    conv = storage.create_conversation(session, viewer=viewer, title="t")
    question = storage.add_message(session, conversation_id=conv.id, role="user", content="q?")
    answer = storage.add_message(session, conversation_id=conv.id, role="assistant", content="a")
    storage.upsert_feedback(session, message_id=answer.id, user_id=user.id, rating=-1)
    storage.add_memory(session, user_id=user.id, kind="fact", text=f"fact {conv.id}",
                       source_message_id=question.id)  # fmt: skip
    conv.created_at, conv.updated_at = last - timedelta(days=90), last
    session.flush()
    return conv.id


def _org(session: Session, slug: str, days: int | None) -> tuple[str, storage.User]:
    org = storage.create_organisation(session, slug=slug, name=slug.title())
    if days is not None:
        storage.update_org_settings(
            session, org_id=org.id, patch={"privacy": {"conversation_retention_days": days}}
        )
    user = storage.create_user(session, org_id=org.id, external_id="ana", display_name="Ana")
    return org.id, user


def _count(session: Session, model: type) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_the_sweep_deletes_only_conversations_older_than_the_retention(session: Session) -> None:
    org_id, ana = _org(session, "northwind", 30)
    old = _conversation(session, ana, last=NOW - timedelta(days=31))
    kept = _conversation(session, ana, last=NOW - timedelta(days=29))  # started 119 days ago
    other_id, zoe = _org(session, "acme", None)  # keeps conversations
    forever = _conversation(session, zoe, last=NOW - timedelta(days=3000))
    session.commit()

    results = privacy.sweep_all(session, now=NOW)
    session.commit()
    by_org = {r.org_id: r for r in results}
    assert (by_org[org_id].conversations, by_org[org_id].messages) == (1, 2)
    assert by_org[org_id].before == NOW - timedelta(days=30)
    assert (by_org[other_id].days, by_org[other_id].conversations) == (None, 0)
    left = set(session.scalars(select(storage.Conversation.id)))
    assert left == {kept, forever}
    assert _count(session, storage.Message) == 4 and _count(session, storage.Feedback) == 2
    # the learner's memory stays (erasable on its own), no longer linked to a message
    memory = storage.list_memory(session, user_id=ana.id)
    assert len(memory) == 2 and sorted(m.source_message_id is None for m in memory) == [False, True]
    (logged,) = storage.list_events(session, org_id=org_id, type="privacy.retention")
    assert logged.user_id is None
    assert logged.payload == {
        "days": 30,
        "before": (NOW - timedelta(days=30)).isoformat(),
        "conversations": 1,
        "messages": 2,
    }
    assert privacy.sweep_org(session, org_id=org_id, now=NOW).conversations == 0  # idempotent
    assert old not in left


def test_the_daily_nudge_run_can_sweep_first(session: Session) -> None:
    org_id, ana = _org(session, "northwind", 7)
    _conversation(session, ana, last=NOW - timedelta(days=8))
    session.commit()
    engine = NudgeEngine(sources=[privacy.RetentionSweep()], clock=lambda: NOW)
    engine.plan_day(session, org_id=org_id, day=date(2026, 6, 1))
    session.commit()
    assert _count(session, storage.Conversation) == 0


def test_the_retention_setting_is_validated() -> None:
    assert OrgSettings().privacy.conversation_retention_days is None
    ok = OrgSettings().merged({"privacy": {"conversation_retention_days": 365}})
    assert ok.privacy.conversation_retention_days == 365
    for bad in (0, -1, 4000, "soon"):
        with pytest.raises(ValidationError, match="conversation_retention_days"):
            OrgSettings().merged({"privacy": {"conversation_retention_days": bad}})
    with pytest.raises(ValidationError, match="keep_forever"):
        OrgSettings().merged({"privacy": {"keep_forever": True}})


def test_admins_set_the_retention_through_the_settings_api(
    client: TestClient, admin: TestUser
) -> None:
    route = "/v1/admin/settings"
    bad = client.patch(
        route, json={"privacy": {"conversation_retention_days": 0}}, headers=admin.headers
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["field"] == "privacy.conversation_retention_days"
    ok = client.patch(
        route, json={"privacy": {"conversation_retention_days": 180}}, headers=admin.headers
    )
    assert ok.status_code == 200 and ok.json()["privacy"] == {"conversation_retention_days": 180}
    back = client.patch(
        route, json={"privacy": {"conversation_retention_days": None}}, headers=admin.headers
    )
    assert back.json()["privacy"]["conversation_retention_days"] is None
