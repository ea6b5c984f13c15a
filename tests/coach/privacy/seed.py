"""A learner with data in every table the privacy registry knows, made the way the service
makes it (its routes where practical, the storage and service functions otherwise).

Ana Ribeiro (the demo's "ana") chats, rates an answer, is remembered, takes a quiz, has
imported history, enrolments and a signed session, a path under review, a manager (Tom)
who proposes a goal she comments on and confirms she applies a skill, hot and cold surveys
(hers and Tom's about her), nudges (hers and Tom's about her), a hand-off consented to a
trainer, an admin's reminder action naming her, gap topics and a Kirkpatrick rollup she
fed, a point in the index keyed to her, and a pending request to be erased. Luc gets a
smaller life of his own, which her erasure must leave alone.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from coach import storage
from coach.admin import actions
from coach.insights.refresh import refresh_topics
from coach.managers.applications import open_due_requests
from coach.services import Services
from coach.storage.handoff import consent_handoff, create_handoff
from coach.surveys import rollup
from coach.surveys.sweep import open_due
from retrieval.index.base import IndexPoint
from tests.utils.paths import DEMO_TODAY, seed_demo_paths
from tests.utils.users import TestUser

SENTENCE = "My parrot Quetzalcoatl shredded the phishing drill report on the Manchester quay"
MEMORY = "I am allergic to the Lyon warehouse forklift diesel fumes"
FEEDBACK = "Zyxwv feedback: the answer ignored my Quetzalcoatl question"
COMMENT = "Happy to lead the Salford onboarding squad next spring, Tom"
SURVEY = "The Kestrel workshop changed how I brief drivers"
MANAGER_SURVEY = "Ana now briefs the Kestrel drivers on her own"
NOTE = "Please call me after 5pm about the Quetzalcoatl matter"
EMAIL = "ana.ribeiro@northwind.example"
TEXTS = (SENTENCE, MEMORY, FEEDBACK, COMMENT, SURVEY, MANAGER_SURVEY, NOTE, EMAIL)


@dataclass(frozen=True)
class Seeded:
    org_id: str
    conversation_id: str
    point_id: str


def _chat(client: TestClient, user: TestUser, message: str, **more: str) -> dict[str, str]:
    resp = client.post("/v1/chat", json={"message": message, **more}, headers=user.headers)
    assert resp.status_code == 200, resp.text
    return resp.json()  # type: ignore[no-any-return]


def _quiz(client: TestClient, user: TestUser) -> None:
    quiz = client.post(
        "/v1/quizzes", json={"course_id": "cyber-awareness", "n": 2}, headers=user.headers
    )
    assert quiz.status_code == 201, quiz.text
    item = quiz.json()["items"][0]
    answer = {"item_id": item["id"]} | ({"choice": 0} if item["options"] else {"text": "no idea"})
    graded = client.post(
        f"/v1/quizzes/{quiz.json()['id']}/answers", json=answer, headers=user.headers
    )
    assert graded.status_code == 200, graded.text


def seed(
    client: TestClient,
    services: Services,
    tmp_path: Path,
    *,
    ana: TestUser,
    luc: TestUser,
    admin: TestUser,
    reviewer: TestUser,
    tom: TestUser,
    trainer: TestUser,
) -> Seeded:
    """Ana's data everywhere, Luc's somewhere (see the module's docstring)."""
    engine = services.engine
    org_id = seed_demo_paths(engine, tmp_path)  # profiles, records, Tom's reporting lines
    with Session(engine) as s, s.begin():
        storage.get_user(s, user_id=ana.id).email = EMAIL

    # conversations, messages, memory, feedback, a gap question, events; a quiz
    first = _chat(client, ana, "My goal is to lead the Lyon team. How do I report phishing?")
    turn = _chat(client, ana, SENTENCE, conversation_id=first["conversation_id"])
    rated = client.post(
        f"/v1/messages/{turn['message_id']}/feedback",
        json={"rating": -1, "comment": FEEDBACK},
        headers=ana.headers,
    )
    assert rated.status_code == 200, rated.text
    _quiz(client, ana)
    _chat(client, luc, "Comment signaler un courriel d'hameçonnage ?")
    _quiz(client, luc)

    # a path under review, approved with a comment
    assert client.post("/v1/paths", json={}, headers=reviewer.headers).status_code == 201
    paths = client.get("/v1/paths", headers=reviewer.headers).json()
    path = next(p for p in paths["paths"] if p["learner"]["id"] == ana.external_id)
    review = {"action": "comment", "revision": path["revision"], "comment": "Looks right for Ana"}
    resp = client.post(f"/v1/paths/{path['id']}/review", json=review, headers=reviewer.headers)
    assert resp.status_code == 200, resp.text

    # Tom's goal for Ana (her comment on it), his confirmation that she applies a skill
    goal = client.post(
        f"/v1/manager/reports/{ana.id}/goals",
        json={"reason": "grow", "deadline": "2027-06-30", "target_role": "team-leader"},
        headers=tom.headers,
    )
    assert goal.status_code == 201, goal.text
    goal_id = goal.json()["goal"]["id"]
    said = client.post(f"/v1/goals/{goal_id}/comments", json={"text": COMMENT}, headers=ana.headers)
    assert said.status_code == 201, said.text
    with Session(engine) as s, s.begin():
        opened = open_due_requests(s, org_id=org_id, today=date(2026, 10, 10))
        request_id = next(r.id for r in opened if r.report_id == ana.id)
    answered = client.post(
        f"/v1/manager/confirmations/{request_id}",
        json={"level": 3, "comment": "Ana applies it"},
        headers=tom.headers,
    )
    assert answered.status_code == 200, answered.text

    now = datetime.now(UTC)
    with Session(engine) as s, s.begin():
        ana_v, tom_v = ana.viewer, tom.viewer
        storage.add_history(
            s, org_id=org_id, user_id=ana.id, skill="security.phishing", correct=True,
            occurred_at=now - timedelta(days=400),
        )  # fmt: skip
        storage.save_enrolments(
            s,
            org_id=org_id,
            rows=[{"user_id": ana.id, "item_id": "cyber-awareness", "enrolled_on": DEMO_TODAY}],
        )
        storage.save_attendance(
            s,
            org_id=org_id,
            rows=[{"session_id": "fc-virtual-2026-12", "user_id": ana.id, "signed": True}],
        )
        # surveys: Ana's cold survey and Tom's about her, both answered
        day = date(2026, 9, 1)
        storage.add_learning_records(
            s,
            org_id=org_id,
            records=[
                {"user_id": ana.id, "kind": "completion", "on": day, "item_id": "gdpr-basics"}
            ],
        )
        open_due(
            s, org_id=org_id, today=day + timedelta(days=30), manager_of=lambda *_: {ana.id: tom.id}
        )
        for inst in storage.survey_instances(s, org_id=org_id, opened_until=DEMO_TODAY):
            text = SURVEY if inst.respondent_id == ana.id else MANAGER_SURVEY
            storage.save_survey_answer(
                s, instance=inst, values={"comment": text}, language="en", today=inst.opens_on,
                scores={"satisfaction": 4},
            )  # fmt: skip
        # nudges to Ana, and to Tom about her; her preferences and hold-out draw
        base = {"org_id": org_id, "channel": "feed", "kind": "path.step", "language": "en",
                "link": "/demo", "reason": "a step is due", "send_at": now}  # fmt: skip
        storage.save_planned_nudges(
            s,
            rows=[
                base | {"user_id": ana.id, "key": "step:1", "about": None,
                        "subject": "Your next step", "body": "Start Cybersecurity awareness"},
                base | {"user_id": tom.id, "key": f"confirm:{ana.id}", "about": ana.id,
                        "subject": "Ana Ribeiro", "body": "Does Ana apply it?"},
            ],
        )  # fmt: skip
        storage.set_nudge_preferences(
            s, org_id=org_id, user_id=ana.id, opted_out=["email"],
            webhook_url="https://hooks.slack.com/services/T0/B0/secret",
        )  # fmt: skip
        storage.save_holdout_draws(
            s,
            org_id=org_id,
            draws=[
                {"user_id": ana.id, "team": "Manchester planning", "position": 0, "holdout": False}
            ],
            seed=0,
            share=0.1,
        )
        # a hand-off consented to Claire (her notice), with the learner's note
        offer = create_handoff(
            s, viewer=ana_v, signal="explicit_request", subtopic=None, source="rules",
            confidence=0.9, conversation_id=first["conversation_id"],
            message_id=turn["user_message_id"],
            options=[{"kind": "trainer", "user_id": trainer.id, "name": "Claire Dubois"}],
        )  # fmt: skip
        consent_handoff(
            s, handoff_id=offer.id, viewer=ana_v, recipient_id=trainer.id, note=NOTE,
            share_conversation=True, summary={"goals": ["lead the Lyon team"], "excerpt": SENTENCE},
        )  # fmt: skip
        # Maria reminds Ana through the admin assistant's action (audited with her LMS id)
        action = storage.create_action(
            s, org_id=org_id, kind="remind", proposed_by=admin.id,
            args={"learner_ids": ["ana"], "item_id": "cyber-awareness"},
            summary="Remind Ana Ribeiro (ana) about Cybersecurity awareness",
            question="remind ana about cyber", expires_at=now + timedelta(days=1),
        )  # fmt: skip
        actions.confirm(s, org_id=org_id, admin_id=admin.id, action_id=action.id, today=DEMO_TODAY)
        del tom_v
        refresh_topics(s, org_id=org_id, embed=services.embedder.embed_documents)
        rollup.refresh(s, org_id=org_id)
        storage.add_memory(s, user_id=ana.id, kind="fact", text=MEMORY)

    # something keyed to Ana in the index (nothing writes such points today: see
    # coach.privacy.erasure.PERSON_FIELD), and her request to be erased
    point_id = str(uuid.uuid4())
    vector = services.embedder.embed_documents([SENTENCE])[0]
    services.index.upsert(
        [
            IndexPoint(
                point_id, {"user_id": ana.id, "kind": "memory", "text": SENTENCE}, dense=vector
            )
        ]
    )
    asked = client.delete("/v1/me", headers=ana.headers)
    assert asked.status_code == 202, asked.text
    return Seeded(org_id, first["conversation_id"], point_id)
