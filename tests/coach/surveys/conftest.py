"""A small organisation for the survey tests, on SQLite and PostgreSQL: "northwind" with two
learners of team Sales (ana, luc) and one of Support (eve), their manager bea, an admin,
a catalog of three items (an e-learning, an in-person class with one session, a coaching),
and "acme" with one learner."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from coach import storage

DAY = date(2026, 3, 2)  # the class's session, and the day ana completes the e-learning


@dataclass(frozen=True)
class Org:
    id: str
    ana: storage.Viewer
    luc: storage.Viewer
    eve: storage.Viewer
    bea: storage.Viewer  # manager of ana and luc
    maria: storage.Viewer  # admin
    zoe: storage.Viewer  # learner of acme


@pytest.fixture
def session(db_engine: Engine) -> Iterator[Session]:
    with Session(db_engine) as s:
        yield s


def make_org(session: Session) -> Org:
    """The organisations above, committed."""
    nw = storage.create_organisation(session, slug="northwind", name="Northwind")
    acme = storage.create_organisation(session, slug="acme", name="Acme")

    def user(org: storage.Organisation, name: str, role: str = "learner", **kw: str):
        row = storage.create_user(
            session, org_id=org.id, external_id=name, role=role, display_name=name.title(), **kw
        )
        return storage.Viewer.from_user(row)

    people = {
        "ana": user(nw, "ana"),
        "luc": user(nw, "luc", locale="fr"),
        "eve": user(nw, "eve"),
        "bea": user(nw, "bea", "manager"),
        "maria": user(nw, "maria", "admin"),
        "zoe": user(acme, "zoe"),
    }
    for name, team, boss in (
        ("ana", "Sales", "bea"),
        ("luc", "Sales", "bea"),
        ("eve", "Support", ""),
    ):
        storage.save_learner_profile(
            session,
            org_id=nw.id,
            user_id=people[name].id,
            role="rep",
            team=team,
            manager=boss,
            data={"id": name, "name": name.title(), "team": team},
        )
    storage.save_catalog_rows(
        session,
        org_id=nw.id,
        rows={
            "skill": [{"id": "gdpr", "label": "GDPR"}, {"id": "nego", "label": "Negotiation"}],
            "item": [
                {
                    "id": "el-gdpr",
                    "title": "GDPR basics",
                    "modality": "e-learning",
                    "hours": 1,
                    "skills": "gdpr:1",
                },
                {
                    "id": "cl-nego",
                    "title": "Negotiation",
                    "modality": "in-person",
                    "hours": 7,
                    "skills": "nego:2",
                },
                {
                    "id": "co-feedback",
                    "title": "Feedback coaching",
                    "modality": "coaching",
                    "hours": 1,
                },
            ],
            "session": [
                {"id": "s1", "item_id": "cl-nego", "start": "2026-03-02T09:00:00", "seats": 10}
            ],
        },
    )
    session.commit()
    return Org(nw.id, **people)


@pytest.fixture
def org(session: Session) -> Org:
    return make_org(session)


def sign(session: Session, org: Org, *users: storage.Viewer, session_id: str = "s1") -> None:
    """Attendance signed for ``session_id`` on DAY."""
    storage.save_attendance(
        session,
        org_id=org.id,
        rows=[
            {
                "session_id": session_id,
                "user_id": u.id,
                "signed": True,
                "signed_at": datetime(2026, 3, 2, 17, tzinfo=UTC),
            }
            for u in users
        ],
    )


def complete(session: Session, org: Org, user: storage.Viewer, item: str, on: date = DAY) -> None:
    storage.add_learning_records(
        session,
        org_id=org.id,
        records=[{"user_id": user.id, "kind": "completion", "on": on, "item_id": item}],
    )
