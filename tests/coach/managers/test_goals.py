"""Goals: a manager proposes one for a report; bad ones are refused with every reason; the
learner sees it and comments; the path is re-planned and waits for L&D review."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from coach.services import Services
from tests.coach.managers.conftest import approve_all, ids
from tests.utils.users import TestUser

GOOD = {
    "label": "Automate the planning exports",
    "reason": "Ana takes over the weekly planning exports in spring",
    "deadline": "2027-05-31",
    "skills": [{"skill": "python.pandas", "level": 2}],
}


def _propose(client: TestClient, who: TestUser, report: str, **body: Any) -> Any:
    return client.post(
        f"/v1/manager/reports/{report}/goals", json={**GOOD, **body}, headers=who.headers
    )


def test_a_bad_goal_is_refused_with_every_reason_and_writes_nothing(
    client: TestClient, seeded: str, manager: TestUser, learner: TestUser
) -> None:
    resp = _propose(
        client,
        manager,
        learner.id,
        deadline="2026-11-01",  # the planning date is 2026-11-23
        skills=[{"skill": "juggling", "level": 1}, {"skill": "feedback.giving", "level": 9}],
        target_role="astronaut",
    )
    assert resp.status_code == 422
    reasons = [p["reason"] for p in resp.json()["problems"]]
    assert reasons == [
        "unknown role 'astronaut'",
        "unknown skill 'juggling'",
        "skill 'feedback.giving' has levels 1 to 3, not 9",
        "the deadline 2026-11-01 is not in the future (today is 2026-11-23)",
    ]
    empty = _propose(client, manager, learner.id, skills=[], reason="  ")
    assert [p["field"] for p in empty.json()["problems"]] == ["skills", "reason"]
    missing = client.post(
        f"/v1/manager/reports/{learner.id}/goals", json={"reason": "x"}, headers=manager.headers
    )
    assert missing.status_code == 422  # no deadline
    assert client.get("/v1/me/goals", headers=learner.headers).json()["goals"] == []


def test_a_goal_replans_the_path_for_review_and_the_learner_comments(
    client: TestClient,
    seeded: str,
    manager: TestUser,
    learner: TestUser,
    reviewer: TestUser,
    other_learner: TestUser,
    services: Services,
) -> None:
    approve_all(client, reviewer)
    before = client.get("/v1/me/path", headers=learner.headers)
    resp = _propose(client, manager, learner.id)
    assert resp.status_code == 201, resp.text
    goal, replan = resp.json()["goal"], resp.json()["replan"]
    assert goal["proposed_by"] == "Tom Hughes" and goal["skills"] == GOOD["skills"]
    assert replan["status"] == "pending" and replan["changed"]
    # L&D sees the re-plan, made by the manager, waiting for review
    path = client.get(f"/v1/paths/{replan['path_id']}", headers=reviewer.headers).json()
    assert path["status"] == "pending"
    assert path["history"][-1]["action"] == "replan"
    assert path["history"][-1]["actor"] == "Tom Hughes"
    steps = [s["item_id"] for s in path["path"]["steps"]]
    assert "vc-python-clinic-2027-01" in steps  # the goal brought the pandas clinic in
    # the learner keeps the approved version meanwhile
    after = client.get("/v1/me/path", headers=learner.headers).json()
    assert after["path"] == before.json()["path"] and after["version"] == 1
    mine = client.get("/v1/me/goals", headers=learner.headers).json()["goals"]
    assert [g["id"] for g in mine] == [goal["id"]]
    said = client.post(
        f"/v1/goals/{goal['id']}/comments",
        json={"text": "Happy to, after the March peak"},
        headers=learner.headers,
    )
    assert said.status_code == 201
    reply = client.post(
        f"/v1/goals/{goal['id']}/comments", json={"text": "Agreed"}, headers=manager.headers
    )
    assert [c["author"] for c in reply.json()["goal"]["comments"]] == ["Ana", "Tom Hughes"]
    blank = client.post(
        f"/v1/goals/{goal['id']}/comments", json={"text": "  "}, headers=learner.headers
    )
    assert blank.status_code == 422 and blank.json()["detail"] == "the comment is empty"
    other = client.post(
        f"/v1/goals/{goal['id']}/comments", json={"text": "me too"}, headers=other_learner.headers
    )
    assert other.status_code == 404
    seen = client.get(f"/v1/manager/reports/{learner.id}/goals", headers=manager.headers).json()
    assert [c["text"] for c in seen["goals"][0]["comments"]] == [
        "Happy to, after the March peak",
        "Agreed",
    ]


def test_a_goal_the_approved_path_already_covers_needs_no_review(
    client: TestClient, seeded: str, manager: TestUser, learner: TestUser, reviewer: TestUser
) -> None:
    approve_all(client, reviewer)
    resp = _propose(client, manager, learner.id, skills=[{"skill": "feedback.giving", "level": 3}])
    assert resp.status_code == 201
    assert resp.json()["replan"]["changed"] is False
    assert resp.json()["replan"]["status"] == "approved"


def test_a_reimport_keeps_the_managers_goal_in_the_profile(
    client: TestClient,
    seeded: str,
    manager: TestUser,
    learner: TestUser,
    services: Services,
    tmp_path: Any,
) -> None:
    from sqlalchemy.orm import Session

    from coach import storage
    from tests.utils.paths import seed_demo_paths

    assert _propose(client, manager, learner.id).status_code == 201
    seed_demo_paths(services.engine, tmp_path)  # the learners file again
    with Session(services.engine) as s:
        ((_, profile),) = storage.learner_profiles(
            s, org_id=learner.org_id, user_ids=ids(services, "ana")
        )
        labels = [g["label"] for g in profile.data["goals"]]
    assert labels == ["Become a team leader", GOOD["label"]]
