"""The coach behind the LLM circuit breaker: an endpoint that keeps failing is left alone
and learners get the offline answer at once; after the cool-down one trial call goes out,
and the coach is back on the model when it answers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from coach.app import create_app
from coach.auth import auth_secret
from coach.llm import CircuitBreaker, breaker_for
from coach.services import Services
from coach.settings import LLMSettings, Settings
from retrieval.embedding import FakeEmbedder
from tests.conftest import DEMO_CATALOG
from tests.utils.fake_openai import FakeOpenAI, Reply
from tests.utils.metrics import value
from tests.utils.users import make_user

BREACH = "How quickly must a personal data breach be reported?"


class Clock:
    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(default=Reply.error(500)) as fake:
        yield fake


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def breaker(server: FakeOpenAI, clock: Clock) -> CircuitBreaker:
    """The process's breaker for this endpoint, made here first so it runs on ``clock``."""
    made = breaker_for(llm_settings(server), clock=clock)
    assert made is not None
    return made


def llm_settings(server: FakeOpenAI) -> LLMSettings:
    return LLMSettings(
        base_url=server.base_url,
        model="breaker-test",
        max_retries=0,
        breaker_failures=2,
        breaker_cooldown_s=30,
    )  # type: ignore[call-arg]


@pytest.fixture
def services(tmp_path: Path, server: FakeOpenAI, breaker: CircuitBreaker) -> Iterator[Services]:
    settings = Settings(  # type: ignore[call-arg]
        data_dir=tmp_path / "var", embedding_model="fake", llm=llm_settings(server), _env_file=None
    )
    built = Services.build(settings, embedder=FakeEmbedder(dim=64))
    built.ingestor().ingest([DEMO_CATALOG])
    yield built
    built.close()


def test_open_circuit_answers_offline_then_recovers(
    services: Services, server: FakeOpenAI, breaker: CircuitBreaker, clock: Clock
) -> None:
    ana = make_user(services.engine, secret=auth_secret(services.settings), external_id="ana")
    with TestClient(create_app(services=services)) as c:

        def ask() -> str:
            resp = c.post("/v1/chat", json={"message": BREACH}, headers=ana.headers)
            assert resp.status_code == 200, resp.text
            assert resp.json()["covered"] and resp.json()["citations"]
            return str(resp.json()["responder"])

        # The endpoint fails: each answer falls back, until the circuit opens.
        for _ in range(3):
            assert ask() == "offline (fallback)"
            if breaker.state == "open":
                break
        assert breaker.state == "open"
        sent = len(server.requests)
        for _ in range(3):
            assert ask() == "offline (fallback)"
        assert len(server.requests) == sent  # nobody waited on the endpoint meanwhile
        assert value(c, "blendcoach_llm_errors_total", kind="circuit_open") >= 3
        assert value(c, "blendcoach_llm_errors_total", kind="http") >= 2
        assert value(c, "blendcoach_llm_circuit_state") == 2

        # The endpoint is back; after the cool-down one trial call finds it so.
        server.default = Reply.quote()
        clock.now += 29
        assert ask() == "offline (fallback)" and len(server.requests) == sent
        clock.now += 1
        assert breaker.state == "half_open"
        assert ask() == "llm:breaker-test"
        assert breaker.state == "closed" and len(server.requests) > sent
        assert value(c, "blendcoach_llm_circuit_state") == 0
        ok = value(c, "blendcoach_llm_request_duration_seconds_count", outcome="ok")
        assert ok >= 1
