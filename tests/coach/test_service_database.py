"""The service tests run on the database the run asks for (``make test`` SQLite, ``make
test-pg`` PostgreSQL): the fixtures, Settings made in a test, and CLI runs alike."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import make_url

from coach.settings import Settings, get_settings
from tests.utils.databases import ON_POSTGRESQL

EXPECTED = "postgresql" if ON_POSTGRESQL else "sqlite"


def test_the_settings_fixture(settings: Settings, service_database: str | None) -> None:
    assert make_url(settings.db_url).get_backend_name() == EXPECTED
    assert (settings.db_url == service_database) is ON_POSTGRESQL


def test_settings_made_in_a_test(tmp_path: Path) -> None:
    made = Settings(data_dir=tmp_path, _env_file=None)  # type: ignore[call-arg]
    assert make_url(made.db_url).get_backend_name() == EXPECTED


def test_cli_runs(cli_env: Path) -> None:
    assert make_url(get_settings().db_url).get_backend_name() == EXPECTED
