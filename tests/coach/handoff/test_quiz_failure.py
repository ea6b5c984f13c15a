"""Repeated failure read from quiz attempts: wrong several times in a row on one skill,
once after a hint, offers a person beside the coach's usual answer (once a week)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from coach import storage
from coach.handoff.quiz_signal import failing_skill
from coach.org_settings import HandoffSettings
from coach.services import Services
from tests.utils.users import TestUser

pytestmark = pytest.mark.usefixtures("org_ready")
SKILL = "python.pandas"


def _fail(engine: Engine, who: TestUser, *, n: int, hint: bool, correct_last: bool = False) -> None:
    with Session(engine) as session, session.begin():
        items = [
            storage.save_item(
                session,
                org_id=who.org_id,
                course_id="python",
                module_id="pandas",
                chunk_id=f"python/03#groupby-{i}",
                kind="mcq",
                skills=[SKILL],
                payload={"stem": f"groupby {i}?", "options": ["a", "b"], "correct": 0},
                fingerprint=f"fp-{who.id}-{i}",
                generator="offline",
            )[0]
            for i in range(n)
        ]
        quiz = storage.create_quiz(
            session, viewer=who.viewer, item_ids=[i.id for i in items], scope={}
        )
        for k, item in enumerate(items):
            if hint and k == 0:
                storage.use_hint(session, quiz=quiz, item_id=item.id)
            right = correct_last and k == n - 1
            storage.record_attempt(
                session,
                quiz=quiz,
                item=item,
                answer={"choice": 0 if right else 1},
                correct=right,
                score=1.0 if right else 0.0,
                confidence=1.0,
                feedback="",
                time_taken_ms=900,
            )


def _skill(engine: Engine, who: TestUser) -> str | None:
    with Session(engine) as session:
        return failing_skill(session, user_id=who.id, settings=HandoffSettings())


def test_three_failures_after_a_hint_call_a_person(services: Services, learner: TestUser) -> None:
    _fail(services.engine, learner, n=3, hint=True)
    assert _skill(services.engine, learner) == SKILL


@pytest.mark.parametrize(
    ("n", "hint", "correct_last"), [(2, True, False), (3, False, False), (4, True, True)]
)
def test_fewer_failures_no_hint_or_a_success_do_not(
    services: Services, learner: TestUser, n: int, hint: bool, correct_last: bool
) -> None:
    _fail(services.engine, learner, n=n, hint=hint, correct_last=correct_last)
    assert _skill(services.engine, learner) is None


def test_the_offer_comes_beside_the_answer_once(
    client: TestClient, services: Services, learner: TestUser, trainer: TestUser
) -> None:
    _fail(services.engine, learner, n=3, hint=True)
    first = client.post(
        "/v1/chat", json={"message": "How does groupby work?"}, headers=learner.headers
    ).json()
    assert first["responder"] != "handoff"  # the learner still gets help with the skill
    (offer,) = client.get(
        "/v1/handoffs", params={"message_id": first["user_message_id"]}, headers=learner.headers
    ).json()["handoffs"]
    assert (offer["signal"], offer["skill"]) == ("repeated_failure", SKILL)
    coaching = [o for o in offer["options"] if o["kind"] == "coaching"]
    assert [o["item_id"] for o in coaching] == ["coach-python-mentoring"]  # teaches pandas
    again = client.post(
        "/v1/chat",
        json={"message": "And agg?", "conversation_id": first["conversation_id"]},
        headers=learner.headers,
    ).json()
    assert (
        client.get(
            "/v1/handoffs",
            params={"message_id": again["user_message_id"]},
            headers=learner.headers,
        ).json()["handoffs"]
        == []
    )
