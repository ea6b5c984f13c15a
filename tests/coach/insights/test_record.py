"""Content gaps are recorded from chat turns (not covered, weak evidence) and thumbs-downs."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from coach import storage
from coach.insights.record import WEAK_CONFIDENCE, gap_of
from coach.responders.base import Answer, CitationRef
from coach.services import Services
from tests.coach.api.test_chat import BREACH, ask
from tests.utils.hits import make_hit
from tests.utils.users import TestUser

SOUFFLE = "What is the best recipe for a chocolate soufflé?"


def gaps(services: Services, org_id: str) -> list[storage.GapQuestion]:
    with Session(services.engine) as session:
        return storage.gap_questions(session, org_id=org_id)


def thumbs(client: TestClient, user: TestUser, message_id: str, rating: int) -> None:
    resp = client.post(
        f"/v1/messages/{message_id}/feedback", json={"rating": rating}, headers=user.headers
    )
    assert resp.status_code == 200, resp.text


def test_an_uncovered_turn_is_recorded_with_its_evidence(
    client: TestClient, services: Services, learner: TestUser
) -> None:
    body = ask(client, learner, SOUFFLE)
    assert body["covered"] is False
    [gap] = gaps(services, learner.org_id)
    assert gap.question == SOUFFLE
    assert gap.not_covered and not gap.thumbs_down
    assert gap.user_id == learner.id and gap.message_id == body["message_id"]
    assert gap.language == "en"
    assert gap.best_score is not None and gap.nearest_module_id  # a hint for L&D, even far


def test_a_well_covered_turn_is_not_recorded(
    client: TestClient, services: Services, learner: TestUser
) -> None:
    body = ask(client, learner, BREACH)
    assert body["covered"] is True
    assert gaps(services, learner.org_id) == []


def test_a_thumbs_down_records_the_question_and_a_thumbs_up_takes_it_back(
    client: TestClient, services: Services, learner: TestUser
) -> None:
    body = ask(client, learner, BREACH)
    thumbs(client, learner, body["message_id"], -1)
    [gap] = gaps(services, learner.org_id)
    assert gap.question == BREACH and gap.thumbs_down and not gap.not_covered
    assert gap.nearest_module_id == body["citations"][0]["module_id"]
    thumbs(client, learner, body["message_id"], 1)
    assert gaps(services, learner.org_id) == []


def test_a_thumbs_up_keeps_an_uncovered_question(
    client: TestClient, services: Services, learner: TestUser
) -> None:
    body = ask(client, learner, SOUFFLE)
    thumbs(client, learner, body["message_id"], -1)
    thumbs(client, learner, body["message_id"], 1)
    [gap] = gaps(services, learner.org_id)
    assert gap.not_covered and not gap.thumbs_down


def test_the_conversation_course_scope_is_kept(
    client: TestClient, services: Services, learner: TestUser
) -> None:
    ask(client, learner, SOUFFLE, course_id="gdpr-basics")
    [gap] = gaps(services, learner.org_id)
    assert gap.course_id == "gdpr-basics"


def test_deleting_the_conversation_erases_its_gaps(
    client: TestClient, services: Services, learner: TestUser
) -> None:
    body = ask(client, learner, SOUFFLE)
    with Session(services.engine) as session, session.begin():
        storage.delete_conversation(
            session, conversation_id=body["conversation_id"], viewer=learner.viewer
        )
    assert gaps(services, learner.org_id) == []


def _answer(
    covered: bool, confidence: float, citations: tuple[CitationRef, ...] = (), **extra: Any
) -> Answer:
    meta: dict[str, object] = {"confidence": confidence}
    return Answer("text", citations, covered, "offline", "fr", meta=meta, **extra)


def test_weak_evidence_is_a_gap_and_strong_evidence_is_not() -> None:
    h = make_hit("Le RGPD encadre les données.", dense=0.41)
    weak = gap_of(_answer(True, WEAK_CONFIDENCE - 0.01), [h])
    assert weak is not None and weak["weak"] and not weak["not_covered"]
    assert weak["best_score"] == 0.41 and weak["language"] == "fr"
    assert gap_of(_answer(True, WEAK_CONFIDENCE + 0.01), [h]) is None


def test_the_nearest_module_is_the_suggestion_then_the_citation_then_the_top_hit() -> None:
    first, second = make_hit("a", module="m1"), make_hit("b", module="m2")
    suggested = gap_of(_answer(False, 0.2, suggestion=second.citation), [first])
    assert suggested is not None and suggested["nearest_module_id"] == "m2"
    cited = CitationRef(1, second.chunk_id, second.citation, "b")
    weak = gap_of(_answer(True, 0.6, citations=(cited,)), [first])
    assert weak is not None and weak["nearest_module_id"] == "m2"
    far = gap_of(_answer(False, 0.1), [first])
    assert far is not None and far["nearest_module_id"] == "m1"
    assert gap_of(_answer(False, 0.0), [])["nearest_module_id"] is None  # type: ignore[index]
