"""A small world on each database: organisation "northwind" (two learners, an admin, a
reviewer) and "acme" (one learner)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from coach import storage


@dataclass(frozen=True)
class People:
    ana: storage.Viewer  # learner
    luc: storage.Viewer  # another learner of the same organisation
    maria: storage.Viewer  # admin
    ravi: storage.Viewer  # reviewer
    zoe: storage.Viewer  # learner of another organisation


@pytest.fixture
def session(db_engine: Engine) -> Iterator[Session]:
    with Session(db_engine) as s:
        yield s


@pytest.fixture
def people(session: Session) -> People:
    northwind = storage.create_organisation(session, slug="northwind", name="Northwind")
    acme = storage.create_organisation(session, slug="acme", name="Acme")

    def user(org: storage.Organisation, name: str, role: str = "learner") -> storage.Viewer:
        row = storage.create_user(session, org_id=org.id, external_id=name, role=role)
        return storage.Viewer.from_user(row)

    made = People(
        ana=user(northwind, "ana"),
        luc=user(northwind, "luc"),
        maria=user(northwind, "maria", "admin"),
        ravi=user(northwind, "ravi", "reviewer"),
        zoe=user(acme, "zoe"),
    )
    session.commit()
    return made
