"""The topics job: stored topics, the minimum-learners rule, the LLM label, the CLI."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from coach import storage
from coach.cli import app
from coach.db import make_engine, migrate
from coach.insights.refresh import refresh_topics
from coach.llm.openai import OpenAIChatModel
from coach.settings import get_settings
from retrieval.embedding import FakeEmbedder
from tests.coach.insights.conftest import seed_gaps
from tests.utils.fake_openai import FakeOpenAI, Reply

DOCKER = [
    ("ana", "docker container image build"),
    ("luc", "docker image container registry"),
    ("eva", "build a docker container image"),
    ("ana", "docker container image cache"),
]
PIVOT = [("ana", "excel pivot table totals"), ("luc", "excel pivot table filter")]


def refresh(engine: Engine, org_id: str, **kwargs: object) -> list[storage.GapTopic]:
    with Session(engine) as session, session.begin():
        refresh_topics(
            session, org_id=org_id, embed=FakeEmbedder(dim=256).embed_documents, **kwargs
        )  # type: ignore[arg-type]
    with Session(engine) as session:
        minimum = storage.get_organisation(session, org_id=org_id).settings
        min_learners = (minimum.get("insights") or {}).get("min_learners", 3)
        return storage.list_topics(session, org_id=org_id, min_learners=min_learners)


def test_topics_need_enough_distinct_learners(db_engine: Engine) -> None:
    org_id = seed_gaps(db_engine, DOCKER + PIVOT)
    [docker] = refresh(db_engine, org_id)  # the pivot table topic has two learners: hidden
    assert docker.learners == 3 and docker.questions == 4 and docker.rank == 1
    assert "docker" in " ".join(docker.key_phrases) and docker.label
    assert not any("ana" in e or "luc" in e for e in docker.examples)
    with Session(db_engine) as session, session.begin():
        storage.update_org_settings(session, org_id=org_id, patch={"insights": {"min_learners": 2}})
    assert len(refresh(db_engine, org_id)) == 2


def test_a_refresh_replaces_the_topics_and_keeps_other_organisations_apart(
    db_engine: Engine,
) -> None:
    org_id = seed_gaps(db_engine, DOCKER)
    other = seed_gaps(db_engine, DOCKER, org="acme")
    assert len(refresh(db_engine, org_id)) == 1
    assert len(refresh(db_engine, org_id)) == 1  # replaced, not added
    with Session(db_engine) as session:
        assert len(storage.list_topics(session, org_id=other, min_learners=1)) == 0


def test_questions_older_than_the_period_are_left_out(db_engine: Engine) -> None:
    old = datetime.now(UTC) - timedelta(days=200)
    org_id = seed_gaps(db_engine, DOCKER, at=old)
    assert refresh(db_engine, org_id) == []


def test_shown_topics_get_the_llm_label(db_engine: Engine, fake_openai: FakeOpenAI) -> None:
    org_id = seed_gaps(db_engine, DOCKER + PIVOT)
    fake_openai.add(Reply.text("Building Docker images"))
    chat = OpenAIChatModel(base_url=fake_openai.base_url, model="gpt-test", max_retries=0)
    try:
        [docker] = refresh(db_engine, org_id, chat_model=chat)
    finally:
        chat._client.close()  # its keep-alive socket, else closed by the GC in a later test
    assert docker.label == "Building Docker images"
    assert len(fake_openai.requests) == 1  # the hidden topic is never sent


@pytest.fixture(autouse=True)
def _wide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")


def test_the_cli_refreshes_and_prints_the_shown_topics(cli_env: Path) -> None:
    engine = make_engine(get_settings().db_url)
    try:
        migrate(engine)
        seed_gaps(engine, DOCKER + PIVOT)
    finally:
        engine.dispose()
    result = CliRunner().invoke(app, ["insights", "refresh", "--org", "northwind"])
    assert result.exit_code == 0, result.output
    assert "1 topics shown of 2" in result.output and "docker" in result.output
    assert "pivot" not in result.output
    missing = CliRunner().invoke(app, ["insights", "refresh", "--org", "nowhere"])
    assert missing.exit_code == 1 and "no organisation" in missing.output
