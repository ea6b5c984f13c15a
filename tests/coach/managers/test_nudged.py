"""The service's nudge engine plans the managers' confirmation requests with its own rules:
registered by default, rendered in the manager's language, within the weekly limit."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from coach import storage
from coach.nudges.runtime import build_engine
from coach.services import Services
from tests.utils.paths import DEMO_TODAY
from tests.utils.users import TestUser


def test_the_default_engine_asks_the_manager_within_the_weekly_limit(
    seeded: str, manager: TestUser, sophie: TestUser, services: Services
) -> None:
    engine = build_engine(services.settings)
    now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    with Session(services.engine) as s, s.begin():
        storage.update_org_settings(s, org_id=seeded, patch={"nudges": {"holdout_share": 0.0}})
        report = engine.plan_day(s, org_id=seeded, day=DEMO_TODAY, now=now)
    with Session(services.engine) as s:
        asked = [n for n in storage.org_nudges(s, org_id=seeded) if n.user_id == manager.id]
    confirm = [n for n in asked if n.kind == "manager.confirm_application"]
    # five skills of Ana's feedback module wait for Tom: his weekly limit (3) takes some
    assert 1 <= len({n.key for n in confirm}) <= 3
    assert len({n.key for n in asked}) <= 3
    assert report.counts.get("no_template", 0) == 0
    first = confirm[0]
    assert first.language == "en" and first.subject.startswith("Does Ana apply ")
    assert "on Thursday 10 September." in first.body and first.link.startswith("/manager#confirm/")
