"""The runtime guard on chat answers, end to end: a sloppy LLM answer never reaches the
learner; it is rewritten once with the guard's reasons, or replaced by the offline answer,
and every verdict is logged for the admins' slop-rate view."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from coach import storage
from coach.app import create_app
from coach.auth import auth_secret
from coach.prompts import load_prompt
from coach.services import Services
from coach.settings import GuardSettings, LLMSettings, Settings
from retrieval.embedding import Embedder
from tests.utils.fake_openai import FakeOpenAI, Reply
from tests.utils.stack import module_md, write_course
from tests.utils.users import TestUser, make_user

HORN = "When must forklift drivers sound the horn?"
SLOP = (
    "It is important to note that, in today's fast-paced world, safety is a key priority "
    "for everyone [1]. Always do your best and stay positive [1]. It is important to note "
    "that safety is a key priority [1]."
)
GOOD = (
    "Forklift drivers must sound the horn at blind corners and when they leave an aisle [1]. "
    "Where are the blind corners in your aisle?"
)


@pytest.fixture
def llm() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(default=Reply.text(GOOD)) as server:
        yield server


def _services(tmp_path: Path, llm: FakeOpenAI, embedder: Embedder, *, guard: bool) -> Services:
    settings = Settings(  # type: ignore[call-arg]
        data_dir=tmp_path / "var",
        embedding_model="minilm",
        llm=LLMSettings(base_url=llm.base_url, model="coach-test", api_key="sk-test"),
        guard=GuardSettings(enabled=guard),
        _env_file=None,
    )
    built = Services.build(settings, embedder=embedder)
    root = tmp_path / "forklifts"
    sections = {
        "Horn": "Forklift drivers must sound the horn at blind corners and when they leave an "
        "aisle. The horn warns pedestrians who cannot see the truck coming.",
        "Speed": "Forklifts keep to walking pace inside the warehouse and slow down further "
        "on wet floors. Outside, in the yard, the limit is ten kilometres per hour.",
    }
    write_course(root, "forklifts", {"01-rules.md": module_md("forklifts", "Rules", sections)})
    built.ingestor().ingest([root])
    return built


@pytest.fixture
def guarded(tmp_path: Path, llm: FakeOpenAI, minilm: Embedder) -> Iterator[Services]:
    built = _services(tmp_path, llm, minilm, guard=True)
    yield built
    built.close()


def _client(services: Services) -> TestClient:
    return TestClient(create_app(services=services))


def _user(services: Services, name: str, role: str = "learner") -> TestUser:
    secret = auth_secret(services.settings)
    return make_user(services.engine, secret=secret, external_id=name, role=role)


def _answer_prompts(server: FakeOpenAI) -> list[str]:
    p = load_prompt("answer")
    system = p.render(**dict.fromkeys(p.variables, "English")).system
    return [
        r.messages[-1]["content"] for r in server.requests if r.messages[0]["content"] == system
    ]


def _guard_events(services: Services, org_id: str) -> list[dict]:
    with Session(services.engine) as session:
        events = storage.list_events(session, org_id=org_id, type="guard.verdict")
        return [e.payload for e in events]


@pytest.mark.slow
def test_a_sloppy_answer_is_rewritten_with_the_reasons_and_both_verdicts_are_logged(
    guarded: Services, llm: FakeOpenAI
) -> None:
    ana = _user(guarded, "ana")
    admin = _user(guarded, "boss", role="admin")
    llm.add(Reply.text(SLOP), Reply.text(GOOD))
    with _client(guarded) as client:
        body = client.post("/v1/chat", json={"message": HORN}, headers=ana.headers).json()
        assert body["answer"] == GOOD
        assert body["responder"] == "llm:coach-test"
        # The rewrite request carried the first draft's problems as review notes.
        first, second = _answer_prompts(llm)
        assert "<review_notes>\n(none)\n</review_notes>" in first
        notes = second.split("<review_notes>")[1].split("</review_notes>")[0]
        assert "specificity" in notes or "redundancy" in notes, notes
        events = _guard_events(guarded, ana.viewer.org_id)
        assert [(e["verdict"], e["first"], e["outcome"]) for e in events] == [
            ("block", True, "rewritten"),
            (events[1]["verdict"], False, "rewritten"),
        ]
        assert events[1]["verdict"] != "block"
        assert set(events[0]["scores"]) >= {"grounding", "specificity", "citations"}
        # Admins see the slop rate; learners may not.
        stats = client.get("/v1/admin/guard?days=7", headers=admin.headers).json()
        assert stats["totals"]["answer"] == {
            "n": 1,
            "pass": 0,
            "revise": 0,
            "block": 1,
            "block_rate": 1.0,
            "revise_rate": 0.0,
        }
        assert client.get("/v1/admin/guard", headers=ana.headers).status_code == 403


@pytest.mark.slow
def test_a_stream_never_shows_a_blocked_draft_and_falls_back_to_the_offline_answer(
    guarded: Services, llm: FakeOpenAI
) -> None:
    ana = _user(guarded, "ana")
    llm.add(Reply.text(SLOP), Reply.text(SLOP))
    tokens, done = [], {}
    with (
        _client(guarded) as client,
        client.stream(
            "POST", "/v1/chat/stream", json={"message": HORN}, headers=ana.headers
        ) as resp,
    ):
        event = ""
        for line in resp.iter_lines():
            if line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:") and event == "token":
                tokens.append(json.loads(line[5:])["text"])
            elif line.startswith("data:") and event == "done":
                done = json.loads(line[5:])
    shown = "".join(tokens)
    assert "fast-paced" not in shown and "do your best" not in shown
    assert done["responder"] == "offline (guard fallback)"
    assert "horn" in shown.lower() and "[1]" in shown
    with Session(guarded.engine) as session:
        stored = storage.get_message(session, message_id=done["message_id"], viewer=ana.viewer)
        assert stored.content == shown.strip()
        assert stored.meta["guard"]["outcome"] == "fallback"
    verdicts = [e["verdict"] for e in _guard_events(guarded, ana.viewer.org_id)]
    assert verdicts[:2] == ["block", "block"] and verdicts[2] != "block"


@pytest.mark.slow
def test_with_the_guard_off_the_answer_is_shown_as_written(
    tmp_path: Path, llm: FakeOpenAI, minilm: Embedder
) -> None:
    services = _services(tmp_path, llm, minilm, guard=False)
    try:
        ana = _user(services, "ana")
        llm.add(Reply.text(SLOP))
        with _client(services) as client:
            body = client.post("/v1/chat", json={"message": HORN}, headers=ana.headers).json()
        assert body["answer"] == SLOP
        assert _guard_events(services, ana.viewer.org_id) == []
    finally:
        services.close()
