"""The LLM endpoint hanging, then failing with 500s, then back, on a real clock: learners get
the offline grounded answer within the configured timeout, marked as degraded, never a 5xx;
the circuit opens (answers at once, the endpoint left alone), /readyz says so, and the coach
is back on the model after the cool-down.

``tests/coach/api/test_llm_breaker.py`` walks the breaker's states on a fake clock and
``tests/coach/responders/test_llm.py`` each kind of failure of one call; this runs the whole
service through an outage as an operator would see it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from coach.app import create_app
from coach.auth import auth_secret
from coach.services import Services
from coach.settings import LLMSettings, Settings
from retrieval.embedding import FakeEmbedder
from tests.conftest import DEMO_CATALOG
from tests.utils.fake_openai import FakeOpenAI, Reply
from tests.utils.metrics import value
from tests.utils.users import TestUser, make_user

BREACH = "How quickly must a personal data breach be reported?"
FIRST_TOKEN_S = 0.5
COOLDOWN_S = 3.0  # longer than the checks made while the circuit is open, even at load 10


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(default=Reply.quote()) as fake:
        yield fake


@pytest.fixture
def services(tmp_path: Path, server: FakeOpenAI) -> Iterator[Services]:
    llm = LLMSettings(  # type: ignore[call-arg]
        base_url=server.base_url,
        model="faults",
        first_token_timeout_s=FIRST_TOKEN_S,
        timeout_s=3.0,
        max_retries=1,
        breaker_failures=2,
        breaker_cooldown_s=COOLDOWN_S,
    )
    settings = Settings(data_dir=tmp_path / "var", embedding_model="fake", llm=llm, _env_file=None)  # type: ignore[call-arg]
    built = Services.build(settings, embedder=FakeEmbedder(dim=64))
    built.ingestor().ingest([DEMO_CATALOG])
    yield built
    built.close()


def ask(client: TestClient, user: TestUser) -> tuple[dict, float]:
    started = time.monotonic()
    resp = client.post("/v1/chat", json={"message": BREACH}, headers=user.headers)
    seconds = time.monotonic() - started
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["covered"] and body["citations"] and body["answer"]
    return body, seconds


def stream(client: TestClient, user: TestUser) -> dict[str, list[dict]]:
    events: dict[str, list[dict]] = {}
    with client.stream(
        "POST", "/v1/chat/stream", json={"message": BREACH}, headers=user.headers
    ) as r:
        assert r.status_code == 200
        name = ""
        for line in r.iter_lines():
            if line.startswith("event: "):
                name = line.removeprefix("event: ")
            elif line.startswith("data: "):
                events.setdefault(name, []).append(json.loads(line.removeprefix("data: ")))
    return events


def test_llm_hanging_then_failing_then_back_then_stalling(
    services: Services, server: FakeOpenAI
) -> None:
    ana = make_user(services.engine, secret=auth_secret(services.settings), external_id="ana")
    with TestClient(create_app(services=services)) as c:
        well, _ = ask(c, ana)
        assert well["responder"] == "llm:faults" and well["degraded"] is False

        # The endpoint hangs: each answer waits out the first-token limit, then falls back.
        server.default = Reply.hang(30)
        for _ in range(2):
            body, seconds = ask(c, ana)
            assert body["responder"] == "offline (fallback)" and body["degraded"] is True
            assert seconds < FIRST_TOKEN_S + 2.0, seconds  # the hang lasts 30 s
        sent = len(server.requests)
        assert sent == 3  # one request per hung answer: no retry once the learner has one

        # Open: answers without asking the endpoint (no new request), JSON and streamed alike.
        body, seconds = ask(c, ana)
        assert body["degraded"] is True and seconds < FIRST_TOKEN_S + 2.0
        events = stream(c, ana)
        assert "error" not in events and events["token"]
        assert events["done"][0]["responder"] == "offline (fallback)"
        assert events["done"][0]["degraded"] is True
        quiz = c.post("/v1/quizzes", json={"course_id": "gdpr-basics", "n": 3}, headers=ana.headers)
        assert quiz.status_code == 201 and quiz.json()["items"]  # generated offline
        assert len(server.requests) == sent
        # /readyz reports the LLM down, but the replica stays ready: it answers offline (the
        # default; BLENDCOACH_HEALTH__LLM_REQUIRED=true would make it 503, tests/coach/api)
        ready = c.get("/readyz")
        assert ready.status_code == 200 and ready.json()["failed"] == []
        llm = ready.json()["checks"]["llm"]
        assert llm["ok"] is False and llm["required"] is False and "circuit open" in llm["error"]
        assert ready.json()["checks"]["database"]["ok"] and ready.json()["checks"]["index"]["ok"]

        # After the cool-down the trial call finds it failing with 500s: open again.
        server.default = Reply.error(500)
        time.sleep(COOLDOWN_S)
        body, seconds = ask(c, ana)
        assert body["degraded"] is True and len(server.requests) > sent
        sent = len(server.requests)
        assert ask(c, ana)[0]["degraded"] is True and len(server.requests) == sent

        # Back: the next trial succeeds and closes the circuit.
        server.default = Reply.quote()
        time.sleep(COOLDOWN_S)
        body, _ = ask(c, ana)
        assert body["responder"] == "llm:faults" and body["degraded"] is False
        assert c.get("/readyz").status_code == 200

        # A model that stalls after a few sentences: what it said stands (still the model's
        # answer), and the answer says it was cut short at the whole-reply limit.
        server.tokens_per_s = 15  # 3 s for the whole reply: eight quoted sentences need more
        server.default = Reply.quote(sentences=8)
        sent = len(server.requests)
        body, seconds = ask(c, ana)
        assert body["responder"] == "llm:faults" and body["degraded"] is True
        assert "[1]" in body["answer"] and seconds < 3.0 + 2.0 and len(server.requests) == sent + 1
        assert value(c, "blendcoach_llm_circuit_state") == 0
        assert value(c, "blendcoach_llm_errors_total", kind="timeout") >= 2
        assert value(c, "blendcoach_llm_errors_total", kind="http") >= 1
        assert value(c, "blendcoach_llm_errors_total", kind="circuit_open") >= 3
        five_xx = sum(
            value(c, "blendcoach_http_requests_total", method=m, route=r, status=s)
            for m, r in (("POST", "/v1/chat"), ("POST", "/v1/chat/stream"))
            for s in ("500", "502", "503", "504")
        )
        assert five_xx == 0
