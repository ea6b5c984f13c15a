"""The admin assistant answers "what do learners ask that our courses don't cover?" from the
Insights figures, in English and French."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from coach.admin.entities import norm
from coach.admin.intents import default_classifier
from coach.app import create_app
from coach.auth import auth_secret
from coach.insights.refresh import refresh_topics
from coach.services import Services
from coach.settings import Settings
from retrieval.embedding import FakeEmbedder
from tests.coach.insights.conftest import seed_gaps
from tests.utils.paths import DEMO_TODAY, seed_demo_paths
from tests.utils.users import TestUser, make_user

ASKED = [
    ("g-ana", "docker container image build"),
    ("g-luc", "docker image container registry"),
    ("g-eva", "build a docker container image"),
]


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    settings = Settings(  # type: ignore[call-arg]
        data_dir=tmp_path / "var", embedding_model="fake", planning_date=DEMO_TODAY, _env_file=None
    )
    built = Services.build(settings, embedder=FakeEmbedder(dim=64))
    seed_demo_paths(built.engine, tmp_path)
    yield built
    built.close()


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services=services)) as c:
        yield c


@pytest.fixture
def admin(services: Services) -> TestUser:
    return make_user(services.engine, secret=auth_secret(services.settings), role="admin")


def ask(client: TestClient, admin: TestUser, question: str) -> dict:  # type: ignore[type-arg]
    resp = client.post("/v1/admin/ask", json={"question": question}, headers=admin.headers)
    assert resp.status_code == 200, resp.text
    return resp.json()  # type: ignore[no-any-return]


def test_the_assistant_answers_from_the_insights_topics(
    client: TestClient, services: Services, admin: TestUser
) -> None:
    before = ask(client, admin, "What do learners ask that our courses don't cover?")
    assert before["kind"] == "data" and before["intent"] == "content_gaps"
    assert before["data"]["answer"] == {"type": "topics", "count": 0, "topics": []}
    assert "No topic" in before["text"]
    org_id = seed_gaps(services.engine, ASKED, org=admin.org)
    with Session(services.engine) as session, session.begin():
        refresh_topics(session, org_id=org_id, embed=services.embedder.embed_documents)
    after = ask(client, admin, "What do learners ask that our courses don't cover?")
    [topic] = after["data"]["answer"]["topics"]
    assert topic["learners"] == 3 and "docker" in topic["label"]
    assert after["data"]["table"]["rows"][0][2] == 3
    assert "g-ana" not in json.dumps(after)
    french = ask(
        client, admin, "Quels sujets nos formations ne couvrent-elles pas selon les apprenants ?"
    )
    assert french["intent"] == "content_gaps" and french["language"] == "fr"
    assert french["text"].startswith("1 sujet(s)")


@pytest.mark.parametrize(
    "question",
    [
        "which learner questions do our courses fail to answer?",
        "what are the gaps in our content?",
        "quelles questions des apprenants restent sans réponse dans nos cours ?",
    ],
)
def test_paraphrases_read_as_content_gaps(question: str) -> None:
    assert default_classifier().guess(norm(question)).intent == "content_gaps"


def test_other_questions_keep_their_intent() -> None:
    # as the reader hands them over: names masked (xitemx is a course)
    for question, intent in [
        ("how many seats are left on xitemx?", "seats"),
        ("what is the completion rate of xitemx", "completion"),
        ("how do I export a completion report", "howto"),
        ("what was the average quiz score on xitemx", "quiz"),
    ]:
        assert default_classifier().guess(norm(question)).intent == intent, question
