"""The learner's approved path says which steps are done (``done_items``), by the same rule as
the manager's view: a completion of the step's item or an attendance of its session, since
the path was built."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from coach import storage
from coach.services import Services
from coach.settings import Settings
from tests.coach.conftest import TestUser
from tests.utils.paths import DEMO_TODAY, seed_demo_paths


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(  # type: ignore[call-arg]
        data_dir=tmp_path / "var", embedding_model="fake", planning_date=DEMO_TODAY, _env_file=None
    )


def _approved_path(client: TestClient, reviewer: TestUser) -> dict[str, Any]:
    made = client.post("/v1/paths", json={"learners": ["ana"]}, headers=reviewer.headers)
    assert made.status_code == 201, made.text
    path = made.json()["paths"][0]
    detail = client.get(f"/v1/paths/{path['id']}", headers=reviewer.headers).json()
    resp = client.post(
        f"/v1/paths/{path['id']}/review",
        json={"revision": detail["revision"], "action": "approve"},
        headers=reviewer.headers,
    )
    assert resp.status_code == 200, resp.text
    return resp.json()  # type: ignore[no-any-return]


def _record(services: Services, org_id: str, user_id: str, **record: Any) -> None:
    with Session(services.engine) as session, session.begin():
        storage.add_learning_records(
            session, org_id=org_id, records=[{"user_id": user_id, "on": DEMO_TODAY} | record]
        )


def test_steps_done_by_completion_or_attendance_and_nothing_else(
    client: TestClient, services: Services, reviewer: TestUser, learner: TestUser, tmp_path: Path
) -> None:
    org_id = seed_demo_paths(services.engine, tmp_path)
    steps = _approved_path(client, reviewer)["path"]["steps"]
    # Ana completed cyber-awareness in 2025; it is due for renewal, so her path has it again
    # and that completion (older than the path) does not make the new step done
    assert "cyber-awareness" in [s["item_id"] for s in steps]
    mine = client.get("/v1/me/path", headers=learner.headers).json()
    assert mine["done_items"] == []

    session_step = next(s for s in steps if s["session_id"])
    other_steps = [s for s in steps if s is not session_step]
    assert other_steps, "the demo path has steps besides its session"
    completed = other_steps[-1]
    # a completion of one step's item, an attendance of the session step's session
    _record(services, org_id, learner.id, kind="completion", item_id=completed["item_id"])
    _record(
        services,
        org_id,
        learner.id,
        kind="attendance",
        item_id=session_step["session_id"],
        attended=True,
    )
    # none of these makes a step done: a no-show, a quiz passed, and someone else's completion
    first = other_steps[0]
    _record(
        services,
        org_id,
        learner.id,
        kind="attendance",
        item_id=first["item_id"],
        attended=False,
    )
    _record(services, org_id, learner.id, kind="quiz", item_id=first["item_id"], score=1.0)
    with Session(services.engine) as session:
        luc = storage.find_user(session, org_id=org_id, external_id="luc")
        assert luc is not None
        luc_id = luc.id
    _record(services, org_id, luc_id, kind="completion", item_id=first["item_id"])

    mine = client.get("/v1/me/path", headers=learner.headers).json()
    expected = [s["item_id"] for s in steps if s in (completed, session_step)]
    assert mine["done_items"] == expected  # in path order
    assert first["item_id"] not in mine["done_items"]
