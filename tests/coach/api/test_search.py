"""GET /v1/search (a signed-in user, the courses their organisation sees) and /healthz on the
demo catalog."""

from fastapi.testclient import TestClient

from coach.auth import auth_secret
from coach.services import Services
from tests.coach.conftest import TestUser
from tests.utils.users import make_user


def test_healthz_reports_index_size(client: TestClient) -> None:
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["index_points"] > 50
    assert body["embedding_model"] == "fake-64"


def test_search_returns_cited_passages(client: TestClient, learner: TestUser) -> None:
    res = client.get(
        "/v1/search",
        params={"q": "phishing email suspicious link report", "k": 3},
        headers=learner.headers,
    )
    assert res.status_code == 200
    hits = res.json()["hits"]
    assert len(hits) == 3
    top = hits[0]
    assert top["citation"]["course_id"] == "cyber-awareness"
    assert top["citation"]["source_path"].startswith("courses/cyber-awareness/")
    assert top["citation"]["breadcrumb"].count("›") == 2
    assert top["text"] and top["score"] >= hits[1]["score"] >= hits[2]["score"]
    # one passage per section
    sections = [(h["citation"]["source_path"], h["citation"]["section_title"]) for h in hits]
    assert len(set(sections)) == len(sections)


def test_search_filters_by_course_and_language(client: TestClient, learner: TestUser) -> None:
    res = client.get(
        "/v1/search",
        params={"q": "données personnelles", "course": "gdpr-basics", "k": 5},
        headers=learner.headers,
    )
    hits = res.json()["hits"]
    assert hits and all(h["citation"]["course_id"] == "gdpr-basics" for h in hits)
    assert all(h["language"] == "fr" for h in hits)
    res = client.get(
        "/v1/search", params={"q": "incident", "language": "fr", "k": 10}, headers=learner.headers
    )
    assert {h["language"] for h in res.json()["hits"]} == {"fr"}
    res = client.get(
        "/v1/search",
        params={"q": "feedback", "course": ["leading-a-team", "feedback-conversations"], "k": 10},
        headers=learner.headers,
    )
    assert {h["citation"]["course_id"] for h in res.json()["hits"]} <= {
        "leading-a-team",
        "feedback-conversations",
    }


def test_search_by_skill(client: TestClient, learner: TestUser) -> None:
    res = client.get(
        "/v1/search",
        params={"q": "how do I", "skill": "python.pandas", "k": 10},
        headers=learner.headers,
    )
    hits = res.json()["hits"]
    assert hits and all("python.pandas" in h["skills"] for h in hits)


def test_bad_queries_get_422_with_a_reason(client: TestClient, learner: TestUser) -> None:
    for params in ({"q": ""}, {"q": "   "}, {"q": "x" * 10_000}, {"q": "ok", "k": 0}, {}):
        res = client.get("/v1/search", params=params, headers=learner.headers)
        assert res.status_code == 422, params
        assert res.json()["detail"], params
    assert (
        "empty"
        in client.get("/v1/search", params={"q": "  "}, headers=learner.headers).json()["detail"]
    )


def test_openapi_docs_are_served(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    assert "/v1/search" in client.get("/openapi.json").json()["paths"]


def test_search_needs_a_signed_in_user(client: TestClient) -> None:
    resp = client.get("/v1/search", params={"q": "phishing"})
    assert resp.status_code == 401 and resp.json()["detail"]


def test_search_keeps_to_the_courses_the_organisation_sees(
    client: TestClient, services: Services
) -> None:
    gdpr_only = make_user(
        services.engine, secret=auth_secret(services.settings), org="initech",
        course_ids=["gdpr-basics"],
    )  # fmt: skip
    q = {"q": "phishing email suspicious link report", "k": 10}
    hits = client.get("/v1/search", params=q, headers=gdpr_only.headers).json()["hits"]
    assert hits and {h["citation"]["course_id"] for h in hits} == {"gdpr-basics"}
    # naming a course the organisation does not see finds nothing, not that course
    asked = q | {"course": "cyber-awareness"}
    assert client.get("/v1/search", params=asked, headers=gdpr_only.headers).json()["hits"] == []
    nobody = make_user(
        services.engine, secret=auth_secret(services.settings), org="empty-co", course_ids=[]
    )
    assert client.get("/v1/search", params=q, headers=nobody.headers).json()["hits"] == []
