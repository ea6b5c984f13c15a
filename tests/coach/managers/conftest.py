"""A migrated database on SQLite and PostgreSQL with the demo catalog in "northwind"."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from coach import storage
from coach.paths import World
from coach.paths.imports import import_catalog, import_learners
from tests.utils.paths import DEMO


@pytest.fixture
def session(db_engine: Engine) -> Iterator[Session]:
    with Session(db_engine) as s:
        yield s


@pytest.fixture
def org_id(session: Session) -> str:
    org = storage.create_organisation(session, slug="northwind", name="Northwind")
    import_catalog(session, org_id=org.id, path=DEMO)
    session.commit()
    return org.id


def learner(ext: str, manager: str = "", **more: Any) -> dict[str, Any]:
    """A learners-file row."""
    return {"id": ext, "name": more.pop("name", ext.title()), "manager": manager, **more}


def import_rows(session: Session, org_id: str, folder: Path, rows: list[dict[str, Any]]) -> None:
    path = folder / "learners.yaml"
    path.write_text(yaml.safe_dump({"learners": rows}), encoding="utf-8")
    import_learners(session, world=World(), org_id=org_id, path=path)
    session.commit()


def user_id(session: Session, org_id: str, ext: str) -> str:
    user = storage.find_user(session, org_id=org_id, external_id=ext)
    assert user is not None, ext
    return user.id
