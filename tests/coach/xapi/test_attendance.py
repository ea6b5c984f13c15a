"""A learner signed off a session (``blendcoach import attendance``) is one xAPI ``attended``
statement: once, however often the sign-off is imported or marked again, none for an
absence; from an import and from an admin's confirmed action."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from coach import storage
from coach.admin import actions
from coach.db import make_engine
from coach.settings import get_settings
from coach.xapi_spec import problems
from tests.coach.test_cli_import import _demo_date, _run, _setup
from tests.coach.xapi.conftest import BASE

__all__ = ["_demo_date"]  # its autouse fixture plans on the demo's date here too

SESSION = "ws-feedback-lyon-2026-12-1"


def _attended() -> list[dict]:
    engine = make_engine(get_settings().db_url)
    try:
        with Session(engine) as session:
            org = storage.get_organisation_by_slug(session, slug="northwind")
            assert org is not None
            events = storage.list_events(session, org_id=org.id, type="session.attended")
            return [e.payload["xapi"] for e in events]
    finally:
        engine.dispose()


@pytest.mark.slow
def test_a_sign_off_is_one_attended_statement(cli_env: Path, tmp_path: Path) -> None:
    _setup(tmp_path)
    sheet = tmp_path / "attendance.csv"
    sheet.write_text(
        f"session_id,learner_id,signed,signed_at\n{SESSION},ana,true,2026-12-03T09:00:00Z\n"
        f"{SESSION},luc,false,\n",
        encoding="utf-8",
    )
    code, out = _run("import", "attendance", str(sheet), "--org", "northwind")
    assert code == 0, out
    got = _attended()
    assert len(got) == 1 and problems(got[0]) == []
    assert got[0]["actor"]["account"]["name"] == "ana"
    assert got[0]["verb"]["id"] == "http://adlnet.gov/expapi/verbs/attended"
    assert got[0]["object"]["id"] == f"{get_settings().base_url}/xapi/sessions/{SESSION}"
    assert got[0]["timestamp"].startswith("2026-12-03T09:00:00")
    assert _run("import", "attendance", str(sheet), "--org", "northwind")[0] == 0
    assert len(_attended()) == 1  # already signed off: no second statement


def _confirm_mark(db: Engine, who: list[str], signed: bool = True) -> None:
    with Session(db) as session, session.begin():
        org = storage.get_organisation_by_slug(session, slug="northwind")
        assert org is not None
        for ext in who:  # learners of the path builder (the action names them so)
            user = storage.find_user(session, org_id=org.id, external_id=ext)
            assert user is not None
            storage.save_learner_profile(
                session, org_id=org.id, user_id=user.id, role=None, team="Yard", manager="",
                data={},
            )  # fmt: skip
        admin = storage.create_user(
            session, org_id=org.id, external_id=f"admin-{len(who)}", role="admin"
        )
        action = storage.create_action(
            session,
            org_id=org.id,
            kind="mark_attendance",
            args={"learner_ids": who, "session_id": "lab-1", "signed": signed},
            summary="mark",
            proposed_by=admin.id,
            question="mark them",
            expires_at=datetime.now(UTC) + timedelta(hours=1),
        )
        actions.confirm(
            session,
            org_id=org.id,
            admin_id=admin.id,
            action_id=action.id,
            today=date(2026, 11, 27),
            base_url=BASE,
        )


def test_an_admin_action_signing_learners_off_logs_their_attended_statements(
    db: Engine,
) -> None:
    _confirm_mark(db, ["ana"])
    _confirm_mark(db, ["ana", "luc"])  # ana again: only luc is new
    with Session(db) as session:
        events = list(
            session.scalars(select(storage.Event).where(storage.Event.type == "session.attended"))
        )
    learners = [e.payload["xapi"]["actor"]["account"]["name"] for e in events]
    assert learners == ["ana", "luc"]
    assert all(problems(e.payload["xapi"]) == [] for e in events)
    assert events[0].payload["xapi"]["object"]["id"] == f"{BASE}/xapi/sessions/lab-1"
