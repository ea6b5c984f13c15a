"""GET /v1/search and /healthz on the demo catalog."""

from fastapi.testclient import TestClient


def test_healthz_reports_index_size(client: TestClient) -> None:
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["index_points"] > 50
    assert body["embedding_model"] == "fake-64"


def test_search_returns_cited_passages(client: TestClient) -> None:
    res = client.get("/v1/search", params={"q": "phishing email suspicious link report", "k": 3})
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


def test_search_filters_by_course_and_language(client: TestClient) -> None:
    res = client.get(
        "/v1/search", params={"q": "données personnelles", "course": "gdpr-basics", "k": 5}
    )
    hits = res.json()["hits"]
    assert hits and all(h["citation"]["course_id"] == "gdpr-basics" for h in hits)
    assert all(h["language"] == "fr" for h in hits)
    res = client.get("/v1/search", params={"q": "incident", "language": "fr", "k": 10})
    assert {h["language"] for h in res.json()["hits"]} == {"fr"}
    res = client.get(
        "/v1/search",
        params={"q": "feedback", "course": ["leading-a-team", "feedback-conversations"], "k": 10},
    )
    assert {h["citation"]["course_id"] for h in res.json()["hits"]} <= {
        "leading-a-team",
        "feedback-conversations",
    }


def test_search_by_skill(client: TestClient) -> None:
    res = client.get("/v1/search", params={"q": "how do I", "skill": "python.pandas", "k": 10})
    hits = res.json()["hits"]
    assert hits and all("python.pandas" in h["skills"] for h in hits)


def test_bad_queries_get_422_with_a_reason(client: TestClient) -> None:
    for params in ({"q": ""}, {"q": "   "}, {"q": "x" * 10_000}, {"q": "ok", "k": 0}, {}):
        res = client.get("/v1/search", params=params)
        assert res.status_code == 422, params
        assert res.json()["detail"], params
    assert "empty" in client.get("/v1/search", params={"q": "  "}).json()["detail"]


def test_openapi_docs_are_served(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    assert "/v1/search" in client.get("/openapi.json").json()["paths"]
