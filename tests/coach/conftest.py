"""Service fixtures: settings in a temp data dir, services built with the fake embedder.

The database is SQLite in that data dir, or with ``BLENDCOACH_TEST_DATABASE=postgresql``
(``make test-pg``) a fresh PostgreSQL database per test: see ``service_database``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from coach.app import create_app
from coach.auth import auth_secret
from coach.services import Services
from coach.settings import Settings, get_settings
from retrieval.embedding import FakeEmbedder
from tests.conftest import DEMO_CATALOG, _pg_database
from tests.utils.databases import ON_POSTGRESQL
from tests.utils.fake_openai import FakeOpenAI
from tests.utils.users import TestUser, make_user

# A test may build Settings when it uses one of these fixtures or its module names one of
# these (a test that builds them otherwise runs on SQLite in both passes).
SETTINGS_FIXTURES = frozenset({"settings", "services", "client", "cli_env"})
SETTINGS_NAMES = frozenset({"Settings", "get_settings", "Services"})


def _may_build_settings(request: pytest.FixtureRequest) -> bool:
    module = vars(request.module) if request.module is not None else {}
    return bool(SETTINGS_FIXTURES & set(request.fixturenames) or SETTINGS_NAMES & module.keys())


@pytest.fixture(autouse=True)
def service_database(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str | None]:
    """On PostgreSQL, every Settings a test makes (the fixtures below, ``Settings(...)`` in a
    test, the CLI's ``get_settings()``) reads ``BLENDCOACH_DATABASE_URL``: a copy of the
    migrated template made for this test and dropped after it. None on SQLite, and for the
    tests that build no Settings (most: rules, detectors, storage on ``db_url``), for which a
    database each would only cost time."""
    if not ON_POSTGRESQL or not _may_build_settings(request):
        yield None
        return
    template = request.getfixturevalue("_pg_migrated_template")
    for url in _pg_database(template=template):
        monkeypatch.setenv("BLENDCOACH_DATABASE_URL", url)
        get_settings.cache_clear()
        yield url


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "var", embedding_model="fake", _env_file=None)  # type: ignore[call-arg]


@pytest.fixture
def services(settings: Settings) -> Iterator[Services]:
    built = Services.build(settings, embedder=FakeEmbedder(dim=64))
    built.ingestor().ingest([DEMO_CATALOG])
    yield built
    built.close()


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services=services)) as c:
        yield c


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Environment for CLI runs: a temp data dir and the fake embedder."""
    data = tmp_path / "var"
    monkeypatch.setenv("BLENDCOACH_DATA_DIR", str(data))
    monkeypatch.setenv("BLENDCOACH_EMBEDDING_MODEL", "fake")
    get_settings.cache_clear()
    yield data
    get_settings.cache_clear()


# Users bound to the ``services`` engine: two learners, an admin, a reviewer and a manager of
# "northwind", and a learner of another organisation, "acme".
def _user(services: Services, **kwargs: str) -> TestUser:
    return make_user(services.engine, secret=auth_secret(services.settings), **kwargs)


@pytest.fixture
def learner(services: Services) -> TestUser:
    return _user(services, external_id="ana", display_name="Ana")


@pytest.fixture
def other_learner(services: Services) -> TestUser:
    return _user(services, external_id="luc", display_name="Luc", locale="fr")


@pytest.fixture
def admin(services: Services) -> TestUser:
    return _user(services, external_id="maria", display_name="Maria", role="admin")


@pytest.fixture
def reviewer(services: Services) -> TestUser:
    return _user(services, external_id="ravi", display_name="Ravi", role="reviewer")


@pytest.fixture
def manager(services: Services) -> TestUser:
    return _user(services, external_id="tom", display_name="Tom Hughes", role="manager")


@pytest.fixture
def trainer(services: Services, learner: TestUser) -> TestUser:
    """Claire Dubois, a trainer of northwind, who runs the demo catalog's feedback workshops."""
    return _user(services, external_id="claire", display_name="Claire Dubois", role="trainer")


@pytest.fixture
def outsider(services: Services) -> TestUser:
    return _user(services, org="acme", external_id="zoe", display_name="Zoe")


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAI]:
    """A scripted OpenAI-compatible server on 127.0.0.1; queue replies with ``.add``."""
    with FakeOpenAI() as server:
        yield server
