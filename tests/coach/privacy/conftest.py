"""Privacy tests run the service on SQLite and on PostgreSQL (``db_url``), on the demo's
planning date, with a trainer and an admin of another organisation besides the usual users."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.auth import auth_secret
from coach.services import Services
from coach.settings import Settings
from tests.utils.paths import DEMO_TODAY
from tests.utils.users import TestUser, make_user


@pytest.fixture
def settings(tmp_path: Path, db_url: str) -> Settings:
    return Settings(  # type: ignore[call-arg]
        data_dir=tmp_path / "var",
        embedding_model="fake",
        database_url=db_url,
        planning_date=DEMO_TODAY,
        _env_file=None,
    )


@pytest.fixture
def outsider_admin(services: Services, outsider: TestUser) -> TestUser:
    return make_user(
        services.engine,
        secret=auth_secret(services.settings),
        org="acme",
        role="admin",
        external_id="alex",
        display_name="Alex Admin",
    )
