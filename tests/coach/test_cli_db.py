"""blendcoach db upgrade / current / downgrade on SQLite and PostgreSQL; failures say why and
exit 1; replicas migrating at once take turns under the advisory lock."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from coach.cli import app
from coach.db import MIGRATION_LOCK_KEY, current_revision, head_revision, make_engine
from coach.settings import get_settings
from tests.conftest import REPO, _pg_database
from tests.utils.databases import ON_POSTGRESQL

# Each test picks its databases itself (SQLite and PostgreSQL): once, in `make test`.
pytestmark = pytest.mark.skipif(ON_POSTGRESQL, reason="covers both databases in make test")
runner = CliRunner()
HEAD = head_revision()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_db(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """An empty database (never migrated) that the CLI's settings point at."""
    if request.param == "sqlite":
        urls: Iterator[str] = iter([f"sqlite:///{tmp_path / 'var' / 'blendcoach.db'}"])
    else:
        urls = _pg_database()
    for url in urls:
        monkeypatch.setenv("BLENDCOACH_DATA_DIR", str(tmp_path / "var"))
        monkeypatch.setenv("BLENDCOACH_DATABASE_URL", url)
        get_settings.cache_clear()
        yield url
        get_settings.cache_clear()


def _revision(url: str) -> str | None:
    engine = make_engine(url)
    try:
        return current_revision(engine)
    finally:
        engine.dispose()


def test_upgrade_current_downgrade(empty_db: str) -> None:
    result = runner.invoke(app, ["db", "current", "--check"])
    assert result.exit_code == 1
    assert "empty (never migrated)" in result.output and f"behind head {HEAD}" in result.output

    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert f"upgraded from empty to {HEAD}" in result.output
    assert _revision(empty_db) == HEAD

    result = runner.invoke(app, ["db", "upgrade"])  # a second run changes nothing
    assert result.exit_code == 0 and f"is at head ({HEAD})" in result.output
    result = runner.invoke(app, ["db", "current", "--check"])
    assert result.exit_code == 0 and f"{HEAD}, at head" in result.output

    result = runner.invoke(app, ["db", "downgrade", "--yes", "--", "-1"])
    assert result.exit_code == 0, result.output
    previous = _revision(empty_db)
    assert previous is not None and previous != HEAD
    assert f"downgraded to {previous}" in result.output
    result = runner.invoke(app, ["db", "upgrade"])
    assert f"upgraded from {previous} to {HEAD}" in result.output


def test_downgrade_asks_first(empty_db: str) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    result = runner.invoke(app, ["db", "downgrade", "base"], input="n\n")
    assert result.exit_code == 1
    assert _revision(empty_db) == HEAD


def test_an_unknown_revision_is_refused(empty_db: str) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    result = runner.invoke(app, ["db", "downgrade", "nosuchrev", "--yes"])
    assert result.exit_code == 1
    assert "could not downgrade to nosuchrev" in result.output and "nosuchrev" in result.stderr
    assert _revision(empty_db) == HEAD


@pytest.mark.parametrize("command", [["upgrade"], ["current"]])
def test_an_unreachable_server_fails_clearly(
    command: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Port 1: nothing listens; the password must not be echoed.
    monkeypatch.setenv("BLENDCOACH_DATABASE_URL", "postgresql+psycopg://bc:hunter2@127.0.0.1:1/x")
    get_settings.cache_clear()
    result = runner.invoke(app, ["db", *command])
    get_settings.cache_clear()
    assert result.exit_code == 1
    assert "error: could not" in result.stderr
    assert "postgresql+psycopg://bc:***@127.0.0.1:1/x" in result.stderr
    assert "hunter2" not in result.output
    assert "Traceback" not in result.output


def test_a_database_that_cannot_be_created_fails_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("BLENDCOACH_DATABASE_URL", f"sqlite:///{blocker}/sub/blendcoach.db")
    get_settings.cache_clear()
    result = runner.invoke(app, ["db", "upgrade"])
    get_settings.cache_clear()
    assert result.exit_code == 1
    assert "error: could not open sqlite:///" in result.stderr


# Several replicas starting at once: `python -m coach.cli_db upgrade` is the light entry point
# (no encoder), the same code `blendcoach serve` runs before it opens its port.


def _upgrade_process(url: str) -> subprocess.Popen[str]:
    env = {**os.environ, "BLENDCOACH_DATABASE_URL": url, "BLENDCOACH_EMBEDDING_MODEL": "fake"}
    return subprocess.Popen(
        [sys.executable, "-m", "coach.cli_db", "upgrade"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.mark.postgres
@pytest.mark.slow
def test_an_upgrade_waits_for_the_migration_lock(pg_url: str) -> None:
    holder = create_engine(pg_url)
    with holder.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
        conn.commit()
        proc = _upgrade_process(pg_url)
        try:
            # It starts, connects, and waits: nothing is migrated while another holds the lock.
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                waiting = conn.execute(
                    text(
                        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                        "AND NOT granted AND database = "
                        "(SELECT oid FROM pg_database WHERE datname = current_database())"
                    )
                ).scalar()
                conn.commit()
                if waiting or proc.poll() is not None:
                    break
                time.sleep(0.1)
            assert waiting == 1 and proc.poll() is None
            assert _revision(pg_url) is None
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK_KEY})
            conn.commit()
    holder.dispose()
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 0, out
    assert f"upgraded from empty to {HEAD}" in out
    assert _revision(pg_url) == HEAD


@pytest.mark.postgres
@pytest.mark.slow
def test_two_replicas_upgrading_at_once_take_turns(pg_url: str) -> None:
    procs = [_upgrade_process(pg_url) for _ in range(2)]
    outs = [p.communicate(timeout=180)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    # One migrated the empty database; the other, waiting its turn, found it at head.
    assert sorted("upgraded from empty" in o for o in outs) == [False, True], outs
    assert any(f"is at head ({HEAD})" in o for o in outs), outs
    assert _revision(pg_url) == HEAD
