"""On-the-job application confirmations: opened by an idempotent sweep after the delay,
answered once by the learner's manager (4 levels or "no opportunity yet") with an xAPI
statement, shown in the learner's record, read by the dashboard, offered to the nudges."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from coach import storage
from coach.managers.applications import (
    PendingConfirmations,
    application_confirmations,
    open_due_requests,
)
from coach.services import Services
from tests.coach.managers.conftest import ids, patch_settings
from tests.utils.paths import DEMO_TODAY
from tests.utils.users import TestUser

# Ana passed "feedback-conversations" (0.85) on 2026-09-10: five skills, due 30 days later.
FEEDBACK_SKILLS = [
    "communication.assertiveness",
    "communication.difficult_conversations",
    "communication.listening",
    "feedback.giving",
    "feedback.receiving",
]


def _sweep(services: Services, org_id: str, today: date) -> list[tuple[str, str, str]]:
    with Session(services.engine) as s, s.begin():
        return [
            (r.item_id, r.skill, r.due_on.isoformat())
            for r in open_due_requests(s, org_id=org_id, today=today)
        ]


def test_requests_open_after_the_delay_once_and_never_for_stale_steps(
    client: TestClient, seeded: str, manager: TestUser, admin: TestUser, services: Services
) -> None:
    assert _sweep(services, seeded, date(2026, 10, 9)) == []  # 29 days after
    opened = _sweep(services, seeded, date(2026, 10, 10))
    assert sorted(opened) == [("feedback-conversations", s, "2026-10-10") for s in FEEDBACK_SKILLS]
    assert _sweep(services, seeded, DEMO_TODAY) == []  # idempotent
    # older steps (cyber-awareness in 2025, project-management in April) are stale: not asked
    with Session(services.engine) as s:
        asked = {r.item_id for r in storage.pending_requests(s, org_id=seeded)}
    assert asked == {"feedback-conversations"}


def test_the_delay_is_the_organisation_setting(
    client: TestClient, seeded: str, admin: TestUser, services: Services
) -> None:
    patch_settings(client, admin, application_delay_days=60)
    assert _sweep(services, seeded, date(2026, 11, 8)) == []
    assert len(_sweep(services, seeded, date(2026, 11, 9))) == 5


def test_the_manager_answers_once_and_the_learner_sees_it(
    client: TestClient,
    seeded: str,
    manager: TestUser,
    sophie: TestUser,
    learner: TestUser,
    services: Services,
) -> None:
    _sweep(services, seeded, DEMO_TODAY)
    listed = client.get("/v1/manager/confirmations", headers=manager.headers).json()
    pending = listed["pending"]
    assert sorted(p["skill"] for p in pending) == FEEDBACK_SKILLS
    first = next(p for p in pending if p["skill"] == "feedback.giving")
    assert first["learner"]["name"] == "Ana" and first["item_title"] != first["item_id"]
    assert listed["levels"]["3"]["en"] == "applies it on their own"
    assert client.get("/v1/manager/confirmations", headers=sophie.headers).json()["pending"] == []
    url = f"/v1/manager/confirmations/{first['id']}"
    # bad answers: both, neither, out of scale
    for body in ({"level": 3, "no_opportunity": True}, {"comment": "x"}, {"level": 5}):
        assert client.post(url, json=body, headers=manager.headers).status_code == 422, body
    # another team's manager
    other = client.post(url, json={"level": 2}, headers=sophie.headers)
    assert other.status_code == 404
    done = client.post(
        url, json={"level": 3, "comment": "Ran two feedback rounds alone"}, headers=manager.headers
    )
    assert done.status_code == 200, done.text
    statement = done.json()["xapi"]
    assert statement["id"] == first["id"]
    assert statement["actor"]["account"]["name"] == "ana"
    assert statement["verb"]["id"].endswith("/applied-on-the-job")
    assert statement["object"]["id"].endswith("/xapi/skills/feedback.giving")
    assert statement["result"]["score"] == {"raw": 3, "min": 1, "max": 4, "scaled": 0.6667}
    assert statement["result"]["success"] is True
    assert statement["result"]["response"] == "Ran two feedback rounds alone"
    again = client.post(url, json={"level": 4}, headers=manager.headers)
    assert again.status_code == 409 and "final" in again.json()["detail"]
    none_yet = next(p for p in pending if p["skill"] == "feedback.receiving")
    skipped = client.post(
        f"/v1/manager/confirmations/{none_yet['id']}",
        json={"no_opportunity": True},
        headers=manager.headers,
    )
    assert skipped.json()["xapi"]["result"] == {
        "extensions": {"https://blendcoach.dev/xapi/extensions/no-opportunity": True}
    }
    left = client.get("/v1/manager/confirmations", headers=manager.headers).json()["pending"]
    assert len(left) == 3
    # the learner's record shows the answers (and their manager sees the same)
    mine = client.get("/v1/me/manager-view", headers=learner.headers).json()["confirmations"]
    by_skill = {c["skill"]: c for c in mine}
    assert by_skill["feedback.giving"]["status"] == "answered"
    assert by_skill["feedback.giving"]["level"] == 3
    assert by_skill["feedback.giving"]["skill_label"] != "feedback.giving"  # the catalog's label
    assert by_skill["feedback.receiving"]["status"] == "no_opportunity"
    with Session(services.engine) as s:
        events = storage.list_events(s, org_id=seeded, type="manager.application_confirmed")
        assert len(events) == 2 and events[0].payload["xapi"]["id"] in {first["id"], none_yet["id"]}
        now = datetime.now(UTC)
        rows = application_confirmations(
            s, org_id=seeded, since=now - timedelta(hours=1), until=now + timedelta(hours=1)
        )
        assert sorted((r.skill, r.level, r.applied) for r in rows) == [
            ("feedback.giving", 3, True),
            ("feedback.receiving", None, None),
        ]
        assert {r.team for r in rows} == {"Manchester planning"}
        by_day = application_confirmations(
            s, org_id=seeded, since=now.date(), until=now.date() + timedelta(days=1)
        )
        assert [r.request_id for r in by_day] == [r.request_id for r in rows]
        assert all(r.manager_id == manager.id for r in rows)
        assert (
            application_confirmations(
                s, org_id=seeded, since=now + timedelta(hours=1), until=now + timedelta(hours=2)
            )
            == []
        )


def test_pending_confirmations_are_offered_to_the_nudge_engine(
    seeded: str, manager: TestUser, services: Services
) -> None:
    source = PendingConfirmations()
    with Session(services.engine) as s:
        assert list(source.candidates(s, org_id=seeded, day=date(2026, 10, 1))) == []
        found = list(source.candidates(s, org_id=seeded, day=DEMO_TODAY))
        again = list(source.candidates(s, org_id=seeded, day=DEMO_TODAY))
    assert len(found) == 5 and [c.key for c in found] == [c.key for c in again]
    assert len({c.key for c in found}) == 5
    first = found[0]
    assert first.user_id == manager.id and first.kind == "manager.confirm_application"
    ana = ids(services, "ana")[0]
    assert first.key.startswith(f"manager.confirm_application:{ana}:feedback-conversations:")
    assert first.link.startswith("/manager#confirm/") and first.params["learner"] == "Ana"
    assert "has not said yet" in first.reason
    assert first.not_before == datetime(2026, 11, 23, tzinfo=UTC)


def test_a_request_follows_the_report_to_their_new_manager(
    client: TestClient, seeded: str, manager: TestUser, sophie: TestUser, services: Services
) -> None:
    _sweep(services, seeded, DEMO_TODAY)
    ana = ids(services, "ana")[0]
    with Session(services.engine) as s, s.begin():
        storage.set_manager(
            s,
            org_id=seeded,
            report_id=ana,
            manager_id=sophie.id,
            on=datetime.now(UTC).date() + timedelta(days=1),
        )
    assert client.get("/v1/manager/confirmations", headers=manager.headers).json()["pending"] == []
    moved = client.get("/v1/manager/confirmations", headers=sophie.headers).json()["pending"]
    assert len(moved) == 5
    resp = client.post(
        f"/v1/manager/confirmations/{moved[0]['id']}", json={"level": 2}, headers=manager.headers
    )
    assert resp.status_code == 404


def test_confirmations_reach_the_kirkpatrick_behaviour_level(
    client: TestClient, seeded: str, manager: TestUser, admin: TestUser, services: Services
) -> None:
    _sweep(services, seeded, DEMO_TODAY)
    pending = client.get("/v1/manager/confirmations", headers=manager.headers).json()["pending"]
    for req, level in zip(pending[:3], (4, 2, None), strict=True):
        body = {"no_opportunity": True} if level is None else {"level": level}
        url = f"/v1/manager/confirmations/{req['id']}"
        assert client.post(url, json=body, headers=manager.headers).status_code == 200
    # the answers are given now, after the demo's planning date: ask up to today
    until = datetime.now(UTC).date().isoformat()
    resp = client.get(
        f"/v1/admin/kirkpatrick?charts=false&since=2026-01-01&until={until}",
        headers=admin.headers,
    )
    assert resp.status_code == 200, resp.text
    levels = resp.json()["levels"]
    rows = {r[0]: dict(zip(levels["columns"], r, strict=True)) for r in levels["rows"]}
    feedback = rows["Feedback and difficult conversations"]
    # "no opportunity yet" is not a level: 2 confirmations, 1 of them applied (level >= 3)
    assert (feedback["confirmations_n"], feedback["confirmed_rate"]) == (2, 0.5)
