"""The manager routes over HTTP: the team per person or aggregated as the organisation
decided, one report, the learner's view of what their manager sees, and isolation from
other teams and organisations on every route."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from coach import storage
from coach.services import Services
from tests.coach.managers.conftest import approve_all, ids, patch_settings
from tests.utils.paths import DEMO_TODAY
from tests.utils.users import TestUser


def test_a_manager_sees_each_report_in_detail(
    client: TestClient, seeded: str, manager: TestUser, reviewer: TestUser, services: Services
) -> None:
    approve_all(client, reviewer)
    _mastery(services, ids(services, "ana")[0], **{"feedback.giving": 0.75})
    resp = client.get("/v1/manager/team", headers=manager.headers)
    assert resp.status_code == 200, resp.text
    team = resp.json()
    assert team["settings"]["visibility"] == "individual"
    assert [p["external_id"] for p in team["people"]] == ["ana", "priya"]
    ana = team["people"][0]
    assert ana["direct"] and ana["team"] == "Manchester planning"
    path = ana["path"]
    assert path["approved"] and path["steps"] >= 1 and 0 <= path["progress"] <= 1
    assert path["next_step"]["due"] >= path["next_step"]["start"]
    assert (
        {"skill", "p_mastery", "n_attempts"} <= set(ana["mastery"][0]) if ana["mastery"] else True
    )
    assert isinstance(ana["overdue_mandatory"], list)
    detail = client.get(f"/v1/manager/reports/{ana['id']}", headers=manager.headers)
    assert detail.status_code == 200
    assert detail.json()["path"] == path and detail.json()["goals"] == []


def test_overdue_mandatory_training_is_shown_per_report(
    client: TestClient, seeded: str, manager: TestUser, sophie: TestUser
) -> None:
    team = client.get("/v1/manager/team", headers=manager.headers).json()["people"]
    # Ana's cyber-awareness (2025-10-02) needed renewing within a year
    assert {p["external_id"]: p["overdue_mandatory"] for p in team} == {
        "ana": [
            {
                "item_id": "cyber-awareness",
                "title": "Cybersecurity awareness",
                "due": "2026-10-02",
                "days_late": 52,
            }
        ],
        "priya": [],
    }
    other = client.get("/v1/manager/team", headers=sophie.headers).json()["people"]
    assert [p["external_id"] for p in other] == ["chloe", "luc"]


def _mastery(services: Services, user_id: str, **skills: float) -> None:
    with Session(services.engine) as s, s.begin():
        for skill, p in skills.items():
            storage.save_mastery(
                s, user_id=user_id, skill=skill, state={}, p_mastery=p, low=0, high=1, n_attempts=3
            )


def test_aggregates_only_refuse_small_groups_and_per_person_routes(
    client: TestClient, seeded: str, manager: TestUser, admin: TestUser, services: Services
) -> None:
    patch_settings(client, admin, visibility="aggregates")  # min_group_size 5, Tom has 2
    resp = client.get("/v1/manager/team", headers=manager.headers)
    assert resp.status_code == 403
    assert "at least 5 people" in resp.json()["detail"]
    ana = ids(services, "ana")[0]
    resp = client.get(f"/v1/manager/reports/{ana}", headers=manager.headers)
    assert resp.status_code == 403 and "team figures only" in resp.json()["detail"]
    ana, priya = ids(services, "ana", "priya")
    _mastery(services, ana, **{"feedback.giving": 0.8, "data.cleaning": 0.3})
    _mastery(services, priya, **{"feedback.giving": 0.4})
    patch_settings(client, admin, min_group_size=2)
    team = client.get("/v1/manager/team", headers=manager.headers).json()
    assert "people" not in team
    agg = team["aggregate"]
    assert agg["people"] == 2 and agg["overdue_mandatory_people"] == 1
    # a skill only Ana has would single her out: hidden, only counted
    assert agg["mastery"] == [{"skill": "feedback.giving", "people": 2, "mean_p_mastery": 0.6}]
    assert agg["skills_hidden"] == 1


def test_indirect_reports_only_when_the_organisation_says_so(
    client: TestClient,
    seeded: str,
    manager: TestUser,
    sophie: TestUser,
    admin: TestUser,
    services: Services,
) -> None:
    with Session(services.engine) as s, s.begin():
        storage.set_manager(
            s, org_id=manager.org_id, report_id=sophie.id, manager_id=manager.id, on=DEMO_TODAY
        )
    direct = client.get("/v1/manager/team", headers=manager.headers).json()
    assert [p["external_id"] for p in direct["people"]] == ["ana", "priya"]
    luc = ids(services, "luc")[0]
    assert client.get(f"/v1/manager/reports/{luc}", headers=manager.headers).status_code == 404
    patch_settings(client, admin, include_indirect=True)
    both = client.get("/v1/manager/team", headers=manager.headers).json()["people"]
    assert [(p["external_id"], p["direct"]) for p in both] == [
        ("ana", True),
        ("chloe", False),
        ("luc", False),
        ("priya", True),
    ]
    assert client.get(f"/v1/manager/reports/{luc}", headers=manager.headers).status_code == 200


def test_the_learner_sees_exactly_what_their_manager_sees(
    client: TestClient,
    seeded: str,
    manager: TestUser,
    learner: TestUser,
    admin: TestUser,
    reviewer: TestUser,
) -> None:
    approve_all(client, reviewer)
    mine = client.get("/v1/me/manager-view", headers=learner.headers).json()
    assert mine["managers"] == [{"id": manager.id, "name": "Tom Hughes"}]
    assert mine["sees"] == "your detail"
    seen = client.get(f"/v1/manager/reports/{learner.id}", headers=manager.headers).json()
    for key in ("path", "overdue_mandatory", "mastery", "team", "role"):
        assert mine["detail"][key] == seen[key]
    patch_settings(client, admin, visibility="aggregates")
    mine = client.get("/v1/me/manager-view", headers=learner.headers).json()
    assert mine["sees"] == "team figures only" and mine["detail"] is None
    assert mine["settings"] == {
        "visibility": "aggregates",
        "min_group_size": 5,
        "include_indirect": False,
    }


# Every route about a person, with who may not reach it: another team's manager, another
# organisation's user, a learner who manages nobody.
ROUTES = [
    ("GET", "/v1/manager/reports/{ana}", None),
    ("GET", "/v1/manager/reports/{ana}/goals", None),
    (
        "POST",
        "/v1/manager/reports/{ana}/goals",
        {
            "reason": "r",
            "deadline": "2027-06-30",
            "skills": [{"skill": "feedback.giving", "level": 2}],
        },
    ),
    ("POST", "/v1/manager/confirmations/{request}", {"level": 3}),
    ("POST", "/v1/goals/{goal}/comments", {"text": "hello"}),
]


@pytest.mark.parametrize("who", ["sophie", "outsider", "other_learner"])
def test_nobody_outside_the_team_reaches_a_report(
    client: TestClient,
    seeded: str,
    manager: TestUser,
    services: Services,
    request: pytest.FixtureRequest,
    who: str,
) -> None:
    from coach.managers.applications import open_due_requests

    ana = ids(services, "ana")[0]
    goal = client.post(
        f"/v1/manager/reports/{ana}/goals",
        json={"reason": "grow", "deadline": "2027-06-30", "target_role": "team-leader"},
        headers=manager.headers,
    )
    assert goal.status_code == 201, goal.text
    with Session(services.engine) as s, s.begin():
        opened = open_due_requests(s, org_id=manager.org_id, today=DEMO_TODAY)
        req = next(r.id for r in opened if r.report_id == ana)
    stranger: TestUser = request.getfixturevalue(who)
    for method, route, body in ROUTES:
        url = route.format(ana=ana, request=req, goal=goal.json()["goal"]["id"])
        resp = client.request(method, url, json=body, headers=stranger.headers)
        assert resp.status_code in (403, 404), (route, resp.text)
        assert resp.json()["detail"]
    for listing in ("/v1/manager/team", "/v1/manager/confirmations"):
        shown = client.get(listing, headers=stranger.headers)
        assert shown.status_code == 403 or ana not in shown.text
    # nothing was written by the refused requests
    assert client.get("/v1/me/goals", headers=manager.headers).json()["goals"] == []
    seen = client.get(f"/v1/manager/reports/{ana}", headers=manager.headers).json()
    assert [g["comments"] for g in seen["goals"]] == [[]]
    assert all(c["status"] == "pending" for c in seen["confirmations"])
