"""Who may export and erase whom, the learner's request an admin confirms or declines,
and bad ids: 403 for a role that may not, 404 for another organisation or no such person,
always a JSON ``detail``."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.utils.users import TestUser


def _detail(resp, status: int) -> str:  # type: ignore[no-untyped-def]
    assert resp.status_code == status, resp.text
    return str(resp.json()["detail"])


def test_a_learner_exports_their_own_data_only(
    client: TestClient, learner: TestUser, other_learner: TestUser
) -> None:
    client.post("/v1/chat", json={"message": "How do I report phishing?"}, headers=learner.headers)
    mine = client.get("/v1/me/export", headers=learner.headers)
    assert mine.status_code == 200, mine.text
    assert mine.headers["content-disposition"].startswith("attachment")
    body = mine.json()
    assert body["person"]["id"] == learner.id
    assert body["data"]["messages"][0]["content"] == "How do I report phishing?"
    theirs = client.get("/v1/me/export", headers=other_learner.headers).json()
    assert theirs["data"]["messages"] == [] and theirs["data"]["conversations"] == []
    for method in ("GET", "DELETE"):
        route = f"/v1/learners/{other_learner.id}" + ("/export" if method == "GET" else "")
        assert "admin" in _detail(client.request(method, route, headers=learner.headers), 403)


def test_admins_reach_only_their_own_organisation(
    client: TestClient,
    learner: TestUser,
    admin: TestUser,
    reviewer: TestUser,
    manager: TestUser,
    outsider: TestUser,
    outsider_admin: TestUser,
) -> None:
    for who in (reviewer, manager):
        assert (
            client.get(f"/v1/learners/{learner.id}/export", headers=who.headers).status_code == 403
        )
        assert client.delete(f"/v1/learners/{learner.id}", headers=who.headers).status_code == 403
    for route in (f"/v1/learners/{learner.id}/export",):
        assert (
            _detail(client.get(route, headers=outsider_admin.headers), 404) == "learner not found"
        )
        assert client.get(route, headers=admin.headers).status_code == 200
    assert _detail(client.delete(f"/v1/learners/{learner.id}", headers=outsider_admin.headers), 404)
    assert _detail(client.get(f"/v1/learners/{outsider.id}/export", headers=admin.headers), 404)
    assert _detail(client.delete(f"/v1/learners/{outsider.id}", headers=admin.headers), 404)
    for bad in ("no-such-id", "0" * 36, "%20"):
        assert _detail(client.get(f"/v1/learners/{bad}/export", headers=admin.headers), 404)
        assert _detail(client.delete(f"/v1/learners/{bad}", headers=admin.headers), 404)
    assert "another admin" in _detail(
        client.delete(f"/v1/learners/{admin.id}", headers=admin.headers), 403
    )
    # nothing was erased by the refused calls
    assert client.get("/v1/me", headers=learner.headers).status_code == 200
    assert client.get("/v1/me", headers=outsider.headers).status_code == 200


def test_the_learner_asks_and_an_admin_declines_with_a_reason(
    client: TestClient, learner: TestUser, admin: TestUser, outsider_admin: TestUser
) -> None:
    assert _detail(client.get("/v1/me/erasure-request", headers=learner.headers), 404)
    asked = client.delete("/v1/me", headers=learner.headers)
    assert asked.status_code == 202, asked.text
    request = asked.json()
    assert request["status"] == "pending" and request["origin"] == "learner"
    assert request["respond_by"] > request["requested_at"]
    assert client.delete("/v1/me", headers=learner.headers).json()["id"] == request["id"]
    listed = client.get("/v1/admin/erasure-requests?status=pending", headers=admin.headers).json()
    assert [(r["id"], r["person"]["external_id"]) for r in listed["requests"]] == [
        (request["id"], learner.external_id)
    ]
    other = client.get("/v1/admin/erasure-requests", headers=outsider_admin.headers).json()
    assert other["requests"] == []
    decline = f"/v1/admin/erasure-requests/{request['id']}/decline"
    reason = {"reason": "Safety training records are kept 5 years (legal obligation)"}
    assert _detail(client.post(decline, json=reason, headers=outsider_admin.headers), 404)
    assert client.post(decline, json=reason, headers=learner.headers).status_code == 403
    assert client.post(decline, json={"reason": ""}, headers=admin.headers).status_code == 422
    declined = client.post(decline, json=reason, headers=admin.headers)
    assert declined.status_code == 200, declined.text
    assert "already" in _detail(client.post(decline, json=reason, headers=admin.headers), 409)
    seen = client.get("/v1/me/erasure-request", headers=learner.headers).json()
    assert (seen["status"], seen["reason"]) == ("declined", reason["reason"])
    # asking again opens a new request; the learner may withdraw it
    again = client.delete("/v1/me", headers=learner.headers).json()
    assert again["id"] != request["id"] and again["status"] == "pending"
    cancelled = client.delete("/v1/me/erasure-request", headers=learner.headers)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert _detail(client.delete("/v1/me/erasure-request", headers=learner.headers), 404)
    # the export shows the requests and their audit trail
    export = client.get("/v1/me/export", headers=learner.headers).json()
    assert [r["status"] for r in export["data"]["erasure_requests"]] == ["declined", "cancelled"]
    kinds = [e["type"] for e in export["data"]["events"] if e["type"].startswith("privacy.")]
    assert kinds[:4] == [
        "privacy.erasure_requested",
        "privacy.erasure_declined",
        "privacy.erasure_requested",
        "privacy.erasure_cancelled",
    ]


def test_an_admin_erasure_answers_the_pending_request(
    client: TestClient, learner: TestUser, admin: TestUser
) -> None:
    request = client.delete("/v1/me", headers=learner.headers).json()
    erased = client.delete(f"/v1/learners/{learner.id}", headers=admin.headers)
    assert erased.status_code == 200, erased.text
    assert erased.json()["request_id"] == request["id"]
    assert client.get("/v1/me/export", headers=learner.headers).status_code == 401
    (line,) = client.get("/v1/admin/erasure-requests", headers=admin.headers).json()["requests"]
    assert (line["id"], line["status"], line["person"]) == (request["id"], "done", None)
    assert line["counts"]["deleted"]["users"] == 1
    assert _detail(client.delete(f"/v1/learners/{learner.id}", headers=admin.headers), 404)
