"""The insights API: L&D roles only, the minimum-learners rule, no identities, CSV, the page."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient

from coach.insights.views import to_csv
from coach.services import Services
from tests.coach.api.test_chat import BREACH, ask
from tests.coach.insights.conftest import seed_gaps
from tests.utils.users import TestUser

API = "/v1/admin/insights"
DOCKER = [
    ("ana-x", "docker container image build"),
    ("luc-x", "docker image container registry"),
    ("eva-x", "build a docker container image"),
]
PIVOT = [("ana-x", "excel pivot table totals"), ("luc-x", "excel pivot table filter")]


def test_learners_and_managers_are_refused(
    client: TestClient, learner: TestUser, manager: TestUser
) -> None:
    for user in (learner, manager):
        assert client.get(f"{API}/topics", headers=user.headers).status_code == 403
        assert client.get(f"{API}/items.csv", headers=user.headers).status_code == 403
    assert client.get(f"{API}/topics").status_code == 401


def test_topics_shown_only_with_enough_learners_and_never_who_asked(
    client: TestClient, services: Services, admin: TestUser, reviewer: TestUser, outsider: TestUser
) -> None:
    seed_gaps(services.engine, DOCKER + PIVOT)
    done = client.post(f"{API}/refresh", headers=admin.headers)
    assert done.status_code == 200 and done.json() == {"topics": 2, "shown": 1}
    assert client.post(f"{API}/refresh", headers=reviewer.headers).status_code == 403
    resp = client.get(f"{API}/topics", headers=reviewer.headers)
    body = resp.json()
    assert body["min_learners"] == 3 and body["hidden"] == 1
    [topic] = body["topics"]
    assert topic["learners"] == 3 and topic["questions"] == 3 and "docker" in topic["label"]
    assert body["chart"]["svg"].startswith("<svg")
    assert "ana-x" not in resp.text and "learner" not in topic and "user_id" not in resp.text
    assert client.get(f"{API}/topics", headers=outsider.headers).status_code == 403
    rows = list(
        csv.reader(io.StringIO(client.get(f"{API}/topics.csv", headers=admin.headers).text))
    )
    assert rows[0][:3] == ["rank", "label", "key_phrases"] and len(rows) == 2


def test_another_organisation_sees_none_of_these_topics(
    client: TestClient, services: Services, admin: TestUser
) -> None:
    seed_gaps(services.engine, DOCKER, org="acme")
    assert client.post(f"{API}/refresh", headers=admin.headers).json()["topics"] == 0
    assert client.get(f"{API}/topics", headers=admin.headers).json()["topics"] == []


def test_weak_content_and_items_with_their_csv(
    client: TestClient, learner: TestUser, admin: TestUser
) -> None:
    ask(client, learner, BREACH)
    flagged = client.get(f"{API}/weak-content", headers=admin.headers).json()
    every = client.get(f"{API}/weak-content", params={"all": "true"}, headers=admin.headers).json()
    assert 0 < len(flagged["sections"]) < len(every["sections"]) == every["sections_total"]
    assert any(s["cited"] for s in every["sections"])
    assert all(s["flags"] for s in flagged["sections"])
    exported = client.get(f"{API}/weak-content.csv", headers=admin.headers)
    assert exported.headers["content-type"].startswith("text/csv")
    assert 'filename="weak-content.csv"' in exported.headers["content-disposition"]
    items = client.get(f"{API}/items", headers=admin.headers).json()
    assert items["items"] == [] and items["items_total"] == 0


def test_csv_cells_that_look_like_formulas_are_defused() -> None:
    text = to_csv(["a", "b", "c"], [["=HYPERLINK(1)", ["x", "y"], -0.25], [None, "-1", 0]])
    assert text.splitlines() == ["a,b,c", "'=HYPERLINK(1),x; y,-0.25", ",'-1,0"]


def test_the_page_is_served_with_the_review_pages_headers(client: TestClient) -> None:
    resp = client.get("/admin/insights")
    assert resp.status_code == 200 and "insights.js" in resp.text
    assert "frame-ancestors 'none'" in resp.headers["content-security-policy"]
    assert client.get("/review/insights.js").status_code == 200
