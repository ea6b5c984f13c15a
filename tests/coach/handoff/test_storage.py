"""Hand-off storage on SQLite and PostgreSQL: the trainer role, the consent cycle with its
audit, and what erasing a learner or a trainer leaves behind."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from coach import storage
from coach.storage import handoff as store
from coach.storage.handoff_models import Handoff, HandoffNotice
from coach.storage.models import utcnow


def _people(session: Session) -> tuple[storage.Viewer, storage.Viewer, str]:
    org = storage.create_organisation(session, slug="northwind")
    ana = storage.create_user(session, org_id=org.id, external_id="ana", display_name="Ana")
    claire = storage.create_user(
        session, org_id=org.id, external_id="claire", display_name="Claire", role="trainer"
    )
    viewer = storage.Viewer.from_user(ana)
    conversation = storage.create_conversation(session, viewer=viewer, title="t")
    storage.add_message(session, conversation_id=conversation.id, role="user", content="help")
    return viewer, storage.Viewer.from_user(claire), conversation.id


def _offer(session: Session, ana: storage.Viewer, claire: storage.Viewer, conv: str) -> Handoff:
    return store.create_handoff(
        session,
        viewer=ana,
        signal="explicit_request",
        subtopic=None,
        source="rule",
        confidence=1.0,
        options=[{"kind": "trainer", "user_id": claire.id, "name": "Claire"}],
        conversation_id=conv,
    )


def test_consent_cycle_is_audited_on_both_databases(db_engine: Engine) -> None:
    with Session(db_engine) as session, session.begin():
        ana, claire, conv = _people(session)
        assert [u.id for u in store.trainers(session, org_id=ana.org_id)] == [claire.id]
        row = _offer(session, ana, claire, conv)
        store.consent_handoff(
            session,
            handoff_id=row.id,
            viewer=ana,
            recipient_id=claire.id,
            note="delegation",
            share_conversation=False,
            summary={"struggle": "delegation"},
        )
        assert [h.id for h in store.trainer_handoffs(session, viewer=claire)] == [row.id]
        store.withdraw_handoff(session, handoff_id=row.id, viewer=ana)
        assert [n.kind for n in store.trainer_notices(session, viewer=claire)] == [
            "withdrawn",
            "new",
        ]
        handoff_id = row.id
    with Session(db_engine) as session:
        row = session.get(Handoff, handoff_id)
        assert row is not None and row.summary is None and row.status == "withdrawn"
        assert row.withdrawn_at is not None and row.withdrawn_at.utcoffset() == timedelta(0)
        exported = store.export_handoffs(session, viewer=ana)
        assert [e["type"] for e in exported["audit"]] == [
            "handoff.offered",
            "handoff.consented",
            "handoff.withdrawn",
        ]
        since = utcnow() - timedelta(days=1)
        assert store.last_offer(
            session, user_id=ana.id, signal="explicit_request", skill=None, since=since
        )


def test_erasing_the_learner_erases_their_handoffs_and_the_trainers_notices(
    db_engine: Engine,
) -> None:
    with Session(db_engine) as session, session.begin():
        ana, claire, conv = _people(session)
        row = _offer(session, ana, claire, conv)
        store.consent_handoff(
            session,
            handoff_id=row.id,
            viewer=ana,
            recipient_id=claire.id,
            note="",
            share_conversation=True,
            summary={},
        )
    with Session(db_engine) as session, session.begin():
        session.delete(storage.get_user(session, user_id=ana.id))
    with Session(db_engine) as session:
        assert session.scalar(select(func.count()).select_from(Handoff)) == 0
        assert session.scalar(select(func.count()).select_from(HandoffNotice)) == 0


def test_erasing_the_trainer_keeps_the_learners_record(db_engine: Engine) -> None:
    with Session(db_engine) as session, session.begin():
        ana, claire, conv = _people(session)
        row = _offer(session, ana, claire, conv)
        store.consent_handoff(
            session,
            handoff_id=row.id,
            viewer=ana,
            recipient_id=claire.id,
            note="",
            share_conversation=False,
            summary={},
        )
        handoff_id = row.id
    with Session(db_engine) as session, session.begin():
        session.delete(storage.get_user(session, user_id=claire.id))
    with Session(db_engine) as session:
        row = session.get(Handoff, handoff_id)
        assert row is not None and row.recipient_id is None and row.status == "consented"
