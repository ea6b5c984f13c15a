"""An organisation with learners, a manager, a catalog, an approved path, enrolments and
reviews due, in a migrated database (SQLite and PostgreSQL through ``db_engine``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from coach import storage
from coach.storage.models import QuizItem, ReviewCard

DAY = date(2026, 3, 2)  # the planning day (a Monday)
NOW = datetime(2026, 3, 2, 5, 0, tzinfo=UTC)  # the planning job runs at 06:00 in Paris


@dataclass(frozen=True)
class Org:
    id: str
    ana: str
    luc: str
    tom: str


def make_org(session: Session, *, day: date = DAY, holdout_share: float = 0.0) -> Org:
    """The organisation, its dates relative to ``day`` (the planning day)."""
    now = datetime.combine(day, datetime.min.time(), UTC).replace(hour=5)
    org = storage.create_organisation(session, slug="northwind")
    storage.update_org_settings(
        session, org_id=org.id, patch={"nudges": {"holdout_share": holdout_share}}
    )
    tom = storage.create_user(
        session, org_id=org.id, external_id="tom", display_name="Tom", role="manager",
        email="tom@example.test",
    )  # fmt: skip
    ana = storage.create_user(
        session, org_id=org.id, external_id="ana", display_name="Ana", email="ana@example.test"
    )
    luc = storage.create_user(
        session, org_id=org.id, external_id="luc", display_name="Luc", locale="fr"
    )
    for user, tz in ((ana, None), (luc, "America/New_York")):
        data = {"id": user.external_id, "team": "sales", **({"timezone": tz} if tz else {})}
        storage.save_learner_profile(
            session,
            org_id=org.id,
            user_id=user.id,
            role="rep",
            team="sales",
            manager="tom",
            data=data,
        )
        # the organisation chart, as the learners import records it
        storage.set_manager(
            session, org_id=org.id, report_id=user.id, manager_id=tom.id, on=day - timedelta(90)
        )
    storage.save_catalog_rows(
        session,
        org_id=org.id,
        rows={
            "skill": [{"id": "excel", "label": "Spreadsheet modelling", "levels": 3}],
            "item": [
                {"id": "el-excel", "title": "Excel formulas", "modality": "e-learning",
                 "skills": ["excel:2"], "hours": 2},
                {"id": "cl-nego", "title": "Negotiation", "modality": "in-person", "hours": 7},
            ],
            "session": [
                {"id": "s1", "item_id": "cl-nego", "start": f"{day + timedelta(1)}T09:30:00", "place": "Lyon"},
                {"id": "s7", "item_id": "cl-nego", "start": f"{day + timedelta(7)}T09:30:00", "place": "Paris"},
            ],
        },
    )  # fmt: skip
    storage.save_enrolments(
        session,
        org_id=org.id,
        rows=[
            {"user_id": ana.id, "item_id": "cl-nego", "session_id": "s1", "enrolled_on": day},
            {"user_id": luc.id, "item_id": "cl-nego", "session_id": "s7", "enrolled_on": day},
        ],
    )
    path = storage.create_path(
        session, org_id=org.id, user_id=ana.id, status="pending", team="sales", role="rep"
    )
    end = (day + timedelta(1)).isoformat()
    step = {"item_id": "el-excel", "title": "Excel formulas", "end": end, "deadline": None}
    storage.add_version(
        session, path=path, content={"steps": [step]}, problems=[], origin="generated",
        actor_id=None, summary={},
    )  # fmt: skip
    storage.set_status(session, path=path, status="approved", action="approve", actor=None)
    for n in range(3):
        item = QuizItem(
            org_id=org.id, course_id="c", chunk_id=f"c#{n}", kind="mcq", payload={},
            fingerprint=f"f{n}", generator="test",
        )  # fmt: skip
        session.add(item)
        session.flush()
        session.add(
            ReviewCard(user_id=luc.id, item_id=item.id, card={}, due=now - timedelta(days=1))
        )
    storage.add_learning_records(
        session,
        org_id=org.id,
        records=[{"user_id": luc.id, "kind": "completion", "on": day - timedelta(days=1),
                  "item_id": "el-excel"}],
    )  # fmt: skip
    session.flush()
    return Org(org.id, ana.id, luc.id, tom.id)


@pytest.fixture
def org(db_engine: Engine) -> Org:
    with Session(db_engine) as session, session.begin():
        return make_org(session)
