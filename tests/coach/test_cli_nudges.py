"""blendcoach nudges plan / worker: a day planned once however often it runs, delivered by
the in-process worker when no Redis is configured."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from coach import storage
from coach.cli import app
from coach.db import make_engine, migrate
from coach.settings import get_settings
from tests.coach.nudges.conftest import make_org

runner = CliRunner()


def test_plan_then_worker(cli_env: Path) -> None:
    engine = make_engine(get_settings().db_url)
    migrate(engine)
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    with Session(engine) as session, session.begin():
        org = make_org(session, day=tomorrow)
        # the worker runs at whatever hour the suite does: no quiet hours here (tested apart)
        quiet = {"quiet_start": "00:00", "quiet_end": "00:00"}
        storage.update_org_settings(session, org_id=org.id, patch={"nudges": quiet})
    for _ in range(2):  # a second run plans nothing new
        result = runner.invoke(
            app, ["nudges", "plan", "--org", "northwind", "--day", str(tomorrow)]
        )
        assert result.exit_code == 0, result.output
    assert "'duplicate': 6" in result.output and "nudges worker" in result.output
    with Session(engine) as session:
        rows = list(session.scalars(select(storage.Nudge)))
    assert Counter(r.status for r in rows) == {"planned": 6}  # feed only: no SMTP, no webhook
    # a survey opened today by the sweep is announced at once; the rest waits for its time
    due_now = {r.id for r in rows if r.send_at <= datetime.now(UTC)}
    later = {r.id for r in rows} - due_now
    assert later, "the day planned is tomorrow: most of it is not due yet"
    result = runner.invoke(app, ["nudges", "worker", "--burst"])
    assert result.exit_code == 0, result.output
    with Session(engine) as session:  # the worker's daily job may plan (and send) today's too
        status = dict(session.execute(select(storage.Nudge.id, storage.Nudge.status)).all())
    assert {status[i] for i in later} == {"planned"}
    assert {status[i] for i in due_now} <= {"sent"}
    with Session(engine) as session, session.begin():  # the time comes
        for row in session.scalars(select(storage.Nudge)):
            row.send_at = datetime.now(UTC) - timedelta(minutes=1)
    result = runner.invoke(app, ["nudges", "worker", "--burst"])
    # every row due is sent (the worker's daily job also planned today: a few more)
    assert result.exit_code == 0 and "sent" in result.output, result.output
    assert "planned" not in result.output and "skipped" not in result.output
    engine.dispose()


def test_plan_refuses_an_unknown_organisation_and_a_bad_day(cli_env: Path) -> None:
    result = runner.invoke(app, ["nudges", "plan", "--org", "nowhere"])
    assert result.exit_code == 1 and "no organisation" in result.output
    result = runner.invoke(app, ["nudges", "plan", "--org", "x", "--day", "2026-13-01"])
    assert result.exit_code == 1 and "YYYY-MM-DD" in result.output
