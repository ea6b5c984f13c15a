"""Storage-level tests: a migrated database (SQLite and PostgreSQL) with the demo catalog in
"northwind". API tests: the demo organisation planned on its date, where Tom manages Ana
and Priya and Sophie manages Luc and Chloé."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from coach import storage
from coach.auth import auth_secret
from coach.paths import World
from coach.paths.imports import import_catalog, import_learners
from coach.services import Services
from coach.settings import Settings
from retrieval.embedding import FakeEmbedder
from tests.utils.paths import DEMO, DEMO_TODAY, seed_demo_paths
from tests.utils.users import TestUser, make_user


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


# API tests --------------------------------------------------------------------------


@pytest.fixture
def services(settings: Settings) -> Iterator[Services]:
    """The services without the course index (nothing here searches it): much faster."""
    built = Services.build(settings, embedder=FakeEmbedder(dim=64))
    yield built
    built.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(  # type: ignore[call-arg]
        data_dir=tmp_path / "var", embedding_model="fake", planning_date=DEMO_TODAY, _env_file=None
    )


@pytest.fixture
def sophie(services: Services) -> TestUser:
    """Manager of Luc and Chloé in the demo (another team than Tom's)."""
    return make_user(
        services.engine,
        secret=auth_secret(services.settings),
        external_id="sophie",
        display_name="Sophie Garnier",
        role="manager",
    )


@pytest.fixture
def seeded(
    services: Services,
    manager: TestUser,
    sophie: TestUser,
    learner: TestUser,
    other_learner: TestUser,
    tmp_path: Path,
) -> str:
    """The demo organisation: Tom manages Ana and Priya, Sophie manages Luc and Chloé."""
    return seed_demo_paths(services.engine, tmp_path)


def ids(services: Services, *names: str) -> list[str]:
    with Session(services.engine) as s:
        org = storage.get_organisation_by_slug(s, slug="northwind")
        assert org is not None
        found = [storage.find_user(s, org_id=org.id, external_id=n) for n in names]
        return [u.id for u in found if u is not None]


def patch_settings(client: TestClient, admin: TestUser, **managers: Any) -> None:
    resp = client.patch("/v1/admin/settings", json={"managers": managers}, headers=admin.headers)
    assert resp.status_code == 200, resp.text


def approve_all(client: TestClient, reviewer: TestUser) -> None:
    assert client.post("/v1/paths", json={}, headers=reviewer.headers).status_code == 201
    resp = client.post("/v1/paths/review", json={"action": "approve"}, headers=reviewer.headers)
    assert resp.status_code == 200, resp.text
