"""GET /v1/me and the learner's memory: see it, erase one item or all; 401s with reasons."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from coach import storage
from coach.auth import auth_secret, issue_token
from coach.services import Services
from tests.utils.users import TestUser


def _remember(services: Services, user: TestUser, *items: tuple[str, str]) -> list[str]:
    with Session(services.engine) as session, session.begin():
        return [
            storage.add_memory(session, user_id=user.id, kind=kind, text=text).id
            for kind, text in items
        ]


def test_me_says_who_the_token_speaks_for(
    client: TestClient,
    learner: TestUser,
    other_learner: TestUser,
    admin: TestUser,
    manager: TestUser,
) -> None:
    me = client.get("/v1/me", headers=learner.headers)
    assert me.status_code == 200
    assert me.json() == {
        "id": learner.id,
        "org": {"id": learner.org_id, "slug": "northwind", "name": "Northwind"},
        "role": "learner",
        "display_name": "Ana",
        "locale": "en",
    }
    assert client.get("/v1/me", headers=other_learner.headers).json()["locale"] == "fr"
    assert client.get("/v1/me", headers=admin.headers).json()["role"] == "admin"
    assert client.get("/v1/me", headers=manager.headers).json()["role"] == "manager"


def test_requests_without_a_good_token_get_401_and_a_reason(
    client: TestClient, learner: TestUser, services: Services
) -> None:
    def refused(headers: dict[str, str], params: dict[str, str] | None = None) -> str:
        resp = client.get("/v1/me", headers=headers, params=params)
        assert resp.status_code == 401
        assert resp.headers["www-authenticate"].startswith("Bearer")
        return str(resp.json()["detail"])

    assert refused({}) == "missing token"
    assert refused({"Authorization": f"Basic {learner.token}"}) == "missing token"
    # The header only: a token in the URL would end up in logs.
    assert refused({}, params={"token": learner.token}) == "missing token"
    assert refused({"Authorization": "Bearer not-a-token"}) == "invalid token"
    with Session(services.engine) as session, session.begin():
        user = storage.get_user(session, user_id=learner.id)
        past = datetime.now(UTC) - timedelta(days=3)
        secret = auth_secret(services.settings)
        expired = issue_token(session, user=user, secret=secret, days=1, now=past).token
        revoked = issue_token(session, user=user, secret=secret)
        storage.revoke_token(session, jti=revoked.jti)
    assert refused({"Authorization": f"Bearer {expired}"}) == "expired token"
    assert refused({"Authorization": f"Bearer {revoked.token}"}) == "revoked token"
    assert client.get("/v1/me", headers=learner.headers).status_code == 200


def test_a_learner_sees_only_their_own_memory(
    client: TestClient, services: Services, learner: TestUser, other_learner: TestUser
) -> None:
    _remember(services, learner, ("goal", "Lead my team"), ("fact", "I work nights"))
    _remember(services, other_learner, ("fact", "Je travaille de jour"))
    items = client.get("/v1/me/memory", headers=learner.headers).json()["items"]
    assert [(m["kind"], m["text"]) for m in items] == [
        ("goal", "Lead my team"),
        ("fact", "I work nights"),
    ]
    assert {"id", "created_at", "source_message_id"} <= set(items[0])
    theirs = client.get("/v1/me/memory", headers=other_learner.headers).json()["items"]
    assert [m["text"] for m in theirs] == ["Je travaille de jour"]


def test_erase_one_item_or_everything(
    client: TestClient, services: Services, learner: TestUser, other_learner: TestUser
) -> None:
    goal, fact = _remember(services, learner, ("goal", "Lead my team"), ("fact", "Nights"))
    [theirs] = _remember(services, other_learner, ("fact", "Days"))

    # Another learner's item is not found, and stays.
    assert client.delete(f"/v1/me/memory/{theirs}", headers=learner.headers).status_code == 404
    assert client.delete("/v1/me/memory/nope", headers=learner.headers).status_code == 404
    assert len(client.get("/v1/me/memory", headers=other_learner.headers).json()["items"]) == 1

    resp = client.delete(f"/v1/me/memory/{goal}", headers=learner.headers)
    assert resp.status_code == 204 and resp.content == b""
    items = client.get("/v1/me/memory", headers=learner.headers).json()["items"]
    assert [m["id"] for m in items] == [fact]
    assert client.delete(f"/v1/me/memory/{goal}", headers=learner.headers).status_code == 404

    assert client.delete("/v1/me/memory", headers=learner.headers).status_code == 204
    assert client.get("/v1/me/memory", headers=learner.headers).json()["items"] == []
    assert client.delete("/v1/me/memory", headers=learner.headers).status_code == 204
    # Erasing everything is about the caller only.
    assert len(client.get("/v1/me/memory", headers=other_learner.headers).json()["items"]) == 1
    assert client.delete("/v1/me/memory").status_code == 401
