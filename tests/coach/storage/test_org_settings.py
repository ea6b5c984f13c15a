"""Organisation settings survive a round trip through SQLite and PostgreSQL, validated."""

from __future__ import annotations

from datetime import time

import pytest
from pydantic import ValidationError
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from coach import storage
from coach.org_settings import NudgeSettings, OrgSettings


def test_settings_round_trip_and_a_bad_patch_keeps_the_old_ones(db_engine: Engine) -> None:
    with Session(db_engine) as session:
        org_id = storage.create_organisation(session, slug="northwind").id
        assert storage.org_settings(session, org_id=org_id) == OrgSettings()
        storage.update_org_settings(
            session,
            org_id=org_id,
            patch={"nudges": {"quiet_start": "21:30", "timezone": "America/Montreal"}},
        )
        session.commit()
        with pytest.raises(ValidationError):
            storage.update_org_settings(
                session, org_id=org_id, patch={"surveys": {"cold_after_days": [0]}}
            )
        session.rollback()
    with Session(db_engine) as session:
        got = storage.org_settings(session, org_id=org_id)
    assert got.nudges.quiet_start == time(21, 30)
    assert got.nudges.timezone == "America/Montreal"
    assert got.surveys.cold_after_days == [30, 60]


def test_section_rules() -> None:
    assert OrgSettings().merged(
        {"surveys": {"cold_after_days": [60, 30, 30]}}
    ).surveys.cold_after_days == [30, 60]
    with pytest.raises(ValidationError, match="no quiet hours"):
        NudgeSettings(quiet_start=time(9, 0), quiet_end=time(9, 0))
    assert NudgeSettings(quiet_start=time(0, 0), quiet_end=time(0, 0)).quiet_start == time(0, 0)
    with pytest.raises(ValidationError, match="extra"):
        OrgSettings.model_validate({"managers": {"visiblity": "aggregates"}})
    with pytest.raises(ValueError, match="unknown settings section"):
        OrgSettings().merged({"payroll": {"x": 1}})
