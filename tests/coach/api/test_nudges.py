"""The nudge routes: the notification feed, channel preferences, the admins' effect report."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from coach import storage
from coach.services import Services
from tests.utils.users import TestUser

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _sent(services: Services, user: TestUser, key: str, *, channel: str = "feed") -> str:
    row = {
        "org_id": user.org_id, "user_id": user.id, "key": key, "channel": channel,
        "kind": "step.due", "send_at": NOW, "language": "en", "subject": f"Next step: {key}",
        "body": f"The next step of your path, {key}, is due.", "link": f"/me/path?step={key}",
        "reason": "next open step", "priority": 60,
    }  # fmt: skip
    with Session(services.engine) as s, s.begin():
        storage.save_planned_nudges(s, rows=[row])
        (nudge,) = [
            n
            for n in storage.org_nudges(s, org_id=user.org_id)
            if n.key == key and n.channel == channel and n.user_id == user.id
        ]
        storage.finish_nudge(s, nudge=nudge, status="sent", now=NOW)
        return nudge.id


def test_the_feed_lists_sent_notifications_and_marks_them_read(
    client: TestClient, services: Services, learner: TestUser, other_learner: TestUser
) -> None:
    first = _sent(services, learner, "excel")
    _sent(services, learner, "charts")
    _sent(services, learner, "mail-only", channel="email")  # not a feed notification
    theirs = _sent(services, other_learner, "excel")
    body = client.get("/v1/me/notifications", headers=learner.headers).json()
    assert body["unread"] == 2 and {n["subject"] for n in body["items"]} == {
        "Next step: excel",
        "Next step: charts",
    }
    assert body["items"][0]["link"].startswith("/me/path?step=") and body["items"][0]["reason"]
    read = client.post(f"/v1/me/notifications/{first}/read", headers=learner.headers)
    assert read.status_code == 200 and read.json()["read_at"] is not None
    unread = client.get("/v1/me/notifications?unread=true", headers=learner.headers).json()
    assert unread["unread"] == 1 and [n["subject"] for n in unread["items"]] == [
        "Next step: charts"
    ]
    assert (
        client.post(f"/v1/me/notifications/{theirs}/read", headers=learner.headers).status_code
        == 404
    )
    assert client.get("/v1/me/notifications").status_code == 401


def test_preferences_opt_out_and_webhook(client: TestClient, learner: TestUser) -> None:
    assert client.get("/v1/me/nudge-preferences", headers=learner.headers).json() == {
        "opted_out": [],
        "webhook_url": None,
    }
    hook = "https://hooks.slack.com/services/T0/B0/abc"
    r = client.patch(
        "/v1/me/nudge-preferences",
        json={"opted_out": ["email"], "webhook_url": hook},
        headers=learner.headers,
    )
    assert r.status_code == 200 and r.json() == {"opted_out": ["email"], "webhook_url": hook}
    r = client.patch("/v1/me/nudge-preferences", json={"opted_out": []}, headers=learner.headers)
    assert r.json() == {"opted_out": [], "webhook_url": hook}  # the webhook stays
    r = client.patch(
        "/v1/me/nudge-preferences", json={"webhook_url": None}, headers=learner.headers
    )
    assert r.json()["webhook_url"] is None


def test_bad_preferences_are_refused(client: TestClient, learner: TestUser) -> None:
    for body in (
        {"opted_out": ["sms"]},
        {"webhook_url": "https://evil.example/hook"},
        {"webhook_url": "http://hooks.slack.com/services/x"},
        {"colour": "red"},
    ):
        r = client.patch("/v1/me/nudge-preferences", json=body, headers=learner.headers)
        assert r.status_code == 422, body


def test_effect_report_is_for_admins(
    client: TestClient, admin: TestUser, learner: TestUser
) -> None:
    assert client.get("/v1/admin/nudges/effect", headers=learner.headers).status_code == 403
    r = client.get(
        "/v1/admin/nudges/effect?since=2026-01-01&until=2026-03-01", headers=admin.headers
    )
    assert r.status_code == 200
    body = r.json()
    assert set(body["metrics"]) == {"on_time_steps", "attendance", "reviews"}
    assert body["since"] == "2026-01-01" and body["confidence"] == 0.95
