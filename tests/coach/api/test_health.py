"""/healthz (alive) and /readyz (the database, the index, the LLM endpoint, Redis answer)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from coach.app import create_app
from coach.db import make_engine
from coach.services import Services
from coach.settings import HealthSettings, LLMSettings, Settings
from retrieval.embedding import FakeEmbedder
from tests.utils.fake_openai import FakeOpenAI
from tests.utils.redis_keys import REDIS_URL


def bare_services(tmp_path: Path, **settings: object) -> Services:
    """Services on an empty index: readiness needs no content."""
    config = Settings(data_dir=tmp_path / "var", embedding_model="fake", _env_file=None, **settings)  # type: ignore[call-arg]
    return Services.build(config, embedder=FakeEmbedder(dim=16))


@pytest.fixture
def llm_server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


@pytest.fixture
def llm_services(tmp_path: Path, llm_server: FakeOpenAI) -> Iterator[Services]:
    built = bare_services(
        tmp_path,
        llm=LLMSettings(base_url=llm_server.base_url, model="ready-test", max_retries=0),  # type: ignore[arg-type]
        health=HealthSettings(timeout_s=2.0, llm_required=True),
    )
    yield built
    built.close()


def test_healthz_is_alive(client: TestClient) -> None:
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["index_points"] > 0


def test_ready_when_the_database_and_the_index_answer(client: TestClient) -> None:
    resp = client.get("/readyz")
    assert resp.status_code == 200
    body = resp.json()
    assert body["status"] == "ready" and body["failed"] == []
    # offline: no LLM to ask; the embedded index also reports whether it can be written
    assert set(body["checks"]) == {"database", "index", "index_writable"}
    assert all(check["ok"] for check in body["checks"].values())


def test_not_ready_when_the_database_is_unreachable(services: Services) -> None:
    # Nothing listens on port 1: the connection is refused at once.
    gone = make_engine("postgresql+psycopg://postgres@127.0.0.1:1/nowhere")
    broken = dataclasses.replace(services, engine=gone)
    with TestClient(create_app(services=broken)) as c:
        resp = c.get("/readyz")
    gone.dispose()
    assert resp.status_code == 503
    body = resp.json()
    assert body["status"] == "unavailable" and body["failed"] == ["database"]
    assert body["checks"]["database"]["ok"] is False
    assert "OperationalError" in body["checks"]["database"]["error"]
    assert body["checks"]["index"]["ok"] is True


def test_the_llm_endpoint_is_checked(llm_services: Services, llm_server: FakeOpenAI) -> None:
    with TestClient(create_app(services=llm_services)) as c:
        ready = c.get("/readyz")
        assert ready.status_code == 200 and ready.json()["checks"]["llm"]["ok"] is True
        llm_server.models_status = 500
        down = c.get("/readyz")
    assert down.status_code == 503 and down.json()["failed"] == ["llm"]
    assert "500" in down.json()["checks"]["llm"]["error"]
    assert llm_server.requests == []  # the check sends no chat completion


def test_not_ready_when_the_llm_server_is_stopped(
    llm_services: Services, llm_server: FakeOpenAI
) -> None:
    with TestClient(create_app(services=llm_services)) as c:
        llm_server.stop()
        resp = c.get("/readyz")
    assert resp.status_code == 503 and resp.json()["failed"] == ["llm"]
    assert resp.json()["checks"]["llm"]["error"].startswith("LLMError: connection")


def test_an_optional_llm_is_reported_without_deciding(
    tmp_path: Path, llm_server: FakeOpenAI
) -> None:
    built = bare_services(
        tmp_path,
        llm=LLMSettings(base_url=llm_server.base_url, model="optional", max_retries=0),  # type: ignore[arg-type]
    )  # the default: the LLM is reported, not required
    llm_server.models_status = 503
    try:
        with TestClient(create_app(services=built)) as c:
            resp = c.get("/readyz")
    finally:
        built.close()
    assert resp.status_code == 200  # the coach answers offline meanwhile
    llm = resp.json()["checks"]["llm"]
    assert llm["ok"] is False and llm["required"] is False


def test_redis_is_checked_when_set(tmp_path: Path) -> None:
    built = bare_services(tmp_path, redis_url=REDIS_URL)
    try:
        with TestClient(create_app(services=built)) as c:
            body = c.get("/readyz").json()
    finally:
        built.close()
    assert body["checks"]["redis"]["ok"] is True and body["status"] == "ready"
    broken = bare_services(tmp_path / "b", redis_url="redis://127.0.0.1:1/0")
    try:
        with TestClient(create_app(services=broken)) as c:
            resp = c.get("/readyz")
    finally:
        broken.close()
    assert resp.status_code == 503 and resp.json()["failed"] == ["redis"]
